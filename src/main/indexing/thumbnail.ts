import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { fromDecoded, type DecodedImage } from '../model/preprocess.ts';

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 256;

/** Where a photo's thumbnail lives, relative to the library folder (sharded so no folder holds 200k files). */
export function thumbnailRelativePath(photoId: string): string {
  return join('thumbs', photoId.slice(0, 2), `${photoId}.jpg`);
}

/** Writes an EXIF-rotated JPEG thumbnail of a photo file's bytes (a thumbnail lost since indexing). */
export function writeThumbnail(image: Buffer, libraryDir: string, photoId: string): Promise<string> {
  return writeJpeg(sharp(image, { failOn: 'none' }).rotate(), libraryDir, photoId);
}

/** Writes the thumbnail of a photo the indexer has decoded already. */
export function writeThumbnailOf(image: DecodedImage, libraryDir: string, photoId: string): Promise<string> {
  return writeJpeg(fromDecoded(image), libraryDir, photoId);
}

/** Written beside its final name first, so a crash leaves no half file. */
async function writeJpeg(upright: Sharp, libraryDir: string, photoId: string): Promise<string> {
  const relative = thumbnailRelativePath(photoId);
  const target = join(libraryDir, relative);
  await mkdir(dirname(target), { recursive: true });
  await upright
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80, mozjpeg: false })
    .toFile(`${target}.part`);
  await rename(`${target}.part`, target);
  return relative;
}
