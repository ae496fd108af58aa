import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 256;

/** Where a photo's thumbnail lives, relative to the library folder (sharded so no folder holds 200k files). */
export function thumbnailRelativePath(photoId: string): string {
  return join('thumbs', photoId.slice(0, 2), `${photoId}.jpg`);
}

/** Writes an EXIF-rotated JPEG thumbnail; written beside its final name first so a crash leaves no half file. */
export async function writeThumbnail(image: Buffer, libraryDir: string, photoId: string): Promise<string> {
  const relative = thumbnailRelativePath(photoId);
  const target = join(libraryDir, relative);
  await mkdir(dirname(target), { recursive: true });
  await sharp(image, { failOn: 'none' })
    .rotate()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80, mozjpeg: false })
    .toFile(`${target}.part`);
  await rename(`${target}.part`, target);
  return relative;
}
