/** Photo bytes and thumbnails for the transports: only files the library holds, by id. */
import { access, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import type { MediaKind } from '../../shared/channels.ts';
import { ApiError } from '../../shared/errors.ts';
import type { Library } from '../library/library.ts';
import { writeThumbnail } from '../indexing/thumbnail.ts';
import type { MediaFile } from '../service.ts';

/** Formats every browser and Electron shows as they are; the rest (HEIC, TIFF) are converted to JPEG. */
const DISPLAYABLE: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
};

/** Longest side of a converted photo: large enough for any screen, small enough to convert quickly. */
const CONVERTED_MAX = 4096;

export async function photoMedia(library: Library, kind: MediaKind, photoId: string): Promise<MediaFile> {
  const row = await library.photos.mediaSource(photoId);
  if (!row || row.status === 'missing' || row.status === 'error') throw new ApiError('not_found', `No photo ${photoId} in the library.`);
  if (kind === 'thumbnail') {
    const existing = row.thumb ? library.thumbnailPath(row.thumb) : null;
    if (existing && (await exists(existing))) return { contentType: 'image/jpeg', path: existing };
  }
  if (!(await exists(row.path))) throw new ApiError('not_found', `${row.path} is no longer on disk.`);
  if (kind === 'thumbnail') {
    // Thumbnails lost (a cleared cache, a failed write) are made again on demand and kept.
    const relative = await writeThumbnail(await readFile(row.path), library.dir, photoId).catch(() => null);
    if (!relative) throw new ApiError('not_found', `${row.path} cannot be decoded.`);
    return { contentType: 'image/jpeg', path: library.thumbnailPath(relative) };
  }
  const type = DISPLAYABLE[extname(row.path).toLowerCase()];
  if (type) return { contentType: type, path: row.path };
  const data = await sharp(row.path, { failOn: 'none' })
    .rotate()
    .resize(CONVERTED_MAX, CONVERTED_MAX, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 90 })
    .toBuffer()
    .catch(() => null);
  if (!data) throw new ApiError('not_found', `${row.path} cannot be decoded.`);
  return { contentType: 'image/jpeg', data };
}

/**
 * Thumbnails of many photos as `data:` URLs, in the order asked; null for a photo without one (gone from the
 * library, or undecodable). A grid asks for a screenful in one request: see `photos.thumbnails`.
 */
export async function thumbnailDataUrls(library: Library, photoIds: readonly string[]): Promise<(string | null)[]> {
  return Promise.all(
    photoIds.map(async (photoId) => {
      const media = await photoMedia(library, 'thumbnail', photoId).catch(() => null);
      const jpeg = media && ('data' in media ? media.data : await readFile(media.path).catch(() => null));
      return jpeg ? `data:image/jpeg;base64,${jpeg.toString('base64')}` : null;
    }),
  );
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
