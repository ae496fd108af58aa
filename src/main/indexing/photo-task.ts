import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Embedder, PreparedImage } from '../model/embedder-types.ts';
import type { PhotoRow } from '../library/schema.ts';
import { contentHashOf } from './content-hash.ts';
import { cameraLabel, readExif, type PhotoExif } from './exif.ts';
import { photoRowFor } from './failure-rows.ts';
import { writeThumbnailOf } from './thumbnail.ts';
import type { PhotoOutcome, PhotoTask } from './worker-protocol.ts';

/** A photo read, decoded and thumbnailed, waiting for its batch to go through the image tower. */
export type DecodedPhoto = { kind: 'decoded'; row: PhotoRow; image: PreparedImage } | Exclude<PhotoOutcome, { kind: 'indexed' }>;

/** Reads one photo once and derives everything from those bytes: hash, EXIF, and, from one decode, thumbnail and model input. */
export async function decodePhoto(task: PhotoTask, embedder: Embedder, libraryDir: string): Promise<DecodedPhoto> {
  const info = await stat(task.path).catch(() => null);
  if (!info?.isFile()) return { kind: 'gone', id: task.id, path: task.path };
  const base = photoRowFor(task, { size: info.size, mtimeMs: Math.floor(info.mtimeMs), hash: '' }, null);
  let bytes: Buffer;
  try {
    bytes = await readFile(task.path);
  } catch (error) {
    return { kind: 'failed', row: { ...base, status: 'error', error: `Cannot read the file: ${message(error)}` } };
  }
  base.hash = contentHashOf(bytes);
  try {
    const [decoded, exif] = await Promise.all([embedder.decodeImage(bytes), readExif(bytes)]);
    const [image, thumb] = await Promise.all([
      embedder.prepareDecoded(decoded),
      task.thumb ? Promise.resolve(task.thumb) : writeThumbnailOf(decoded, libraryDir, task.id),
    ]);
    return { kind: 'decoded', row: withExif({ ...base, width: image.width, height: image.height, thumb }, exif), image };
  } catch (error) {
    return { kind: 'failed', row: { ...base, status: 'error', error: decodeFailure(task.path, error) } };
  }
}

/** `work` over every item, at most `lanes` at a time, results in the items' order. */
export async function mapWithLanes<T, R>(items: readonly T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return results;
}

/**
 * Runs the decoded photos of a batch through the image tower in one call; if that fails, one call per
 * photo, so that a photo the tower cannot take is that photo's failure and not the batch's.
 */
export async function embedPhotos(decoded: readonly DecodedPhoto[], embedder: Embedder): Promise<PhotoOutcome[]> {
  const ready = decoded.filter((d): d is Extract<DecodedPhoto, { kind: 'decoded' }> => d.kind === 'decoded');
  const together = ready.length > 0 ? await embedder.embedPrepared(ready.map((d) => d.image)).catch(() => null) : [];
  const vectors = new Map<DecodedPhoto, Float32Array | string>();
  for (const [i, d] of ready.entries()) {
    vectors.set(d, together ? together[i]! : await embedder.embedPrepared([d.image]).then(([vector]) => vector!, (error) => message(error)));
  }
  const now = Date.now();
  return decoded.map((d): PhotoOutcome => {
    if (d.kind !== 'decoded') return d;
    const vector = vectors.get(d)!;
    if (typeof vector === 'string') return { kind: 'failed', row: { ...d.row, status: 'error', error: `Could not embed the photo: ${vector}` } };
    return { kind: 'indexed', row: { ...d.row, vector, model_id: embedder.modelId, status: 'ok', indexed_at: now } };
  });
}

function withExif(row: PhotoRow, exif: PhotoExif): PhotoRow {
  return {
    ...row,
    taken_at: exif.takenAt ?? row.mtime_ms,
    taken_at_exif: exif.takenAt !== null,
    camera_make: exif.make,
    camera_model: exif.model,
    camera: cameraLabel(exif.make, exif.model),
    lens: exif.lens,
    iso: exif.iso,
    exposure_time: exif.exposureTime,
    f_number: exif.fNumber,
    focal_length: exif.focalLength,
    gps_lat: exif.gps?.latitude ?? null,
    gps_lon: exif.gps?.longitude ?? null,
  };
}

function decodeFailure(path: string, error: unknown): string {
  const reason = error instanceof Error && 'reason' in error ? String(error.reason) : message(error);
  const ext = extname(path).toLowerCase();
  if ((ext === '.heic' || ext === '.heif') && /heif|compression format|unsupported/i.test(reason)) {
    return `HEIC photos need an image decoder with HEVC support, which this build lacks (${reason}). Convert the photo to JPEG to index it.`;
  }
  return `Not a readable image: ${reason}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
