/** Library rows → the contract's DTOs, and the contract's filters → the library's. */
import { basename, dirname } from 'node:path';
import type { NoteSummary, PhotoDetails, PhotoFilters, PhotoSummary } from '../../shared/dto.ts';
import type { PhotoListing } from '../library/photo-order.ts';
import type { PhotoFilter } from '../library/photo-store.ts';
import type { NoteChunkRow, PhotoRow } from '../library/schema.ts';

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function photoSummary(row: PhotoListing): PhotoSummary {
  return {
    id: row.id,
    path: row.path,
    fileName: basename(row.path),
    folder: dirname(row.path),
    width: row.width ?? 0,
    height: row.height ?? 0,
    takenAt: row.taken_at === null ? null : isoTime(row.taken_at),
    camera: row.camera,
  };
}

export function photoDetails(row: PhotoRow): PhotoDetails {
  return {
    ...photoSummary(row),
    sizeBytes: row.size,
    modifiedAt: isoTime(row.mtime_ms),
    indexedAt: isoTime(row.indexed_at),
    modelId: row.model_id ?? '',
    metadata: {
      make: row.camera_make,
      model: row.camera_model,
      lens: row.lens,
      iso: row.iso,
      exposureTime: row.exposure_time,
      fNumber: row.f_number,
      focalLength: row.focal_length,
      gps: row.gps_lat !== null && row.gps_lon !== null ? { latitude: row.gps_lat, longitude: row.gps_lon } : null,
    },
  };
}

/** A note as its first chunk describes it. */
export function noteSummary(head: NoteChunkRow): NoteSummary {
  return {
    id: head.note_id,
    path: head.path,
    title: head.title,
    folder: dirname(head.path),
    modifiedAt: isoTime(head.mtime_ms),
    sizeBytes: head.size,
  };
}

/** Local calendar days (inclusive) → epoch-ms bounds (`takenTo` exclusive: the next local midnight). */
export function photoFilter(filters: PhotoFilters | undefined): PhotoFilter {
  if (!filters) return {};
  return {
    ...(filters.dateFrom ? { takenFrom: localMidnight(filters.dateFrom, 0) } : {}),
    ...(filters.dateTo ? { takenTo: localMidnight(filters.dateTo, 1) } : {}),
    ...(filters.folder ? { folder: filters.folder } : {}),
    ...(filters.camera ? { camera: filters.camera } : {}),
  };
}

function localMidnight(day: string, addDays: number): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + addDays).getTime();
}

/** Next page's offset, or null when this page was the last. */
export function nextOffset(offset: number, returned: number, limit: number, total?: number): number | null {
  if (total !== undefined) return offset + returned < total ? offset + returned : null;
  return returned < limit ? null : offset + returned;
}
