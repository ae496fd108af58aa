import { extname } from 'node:path';
import type { RootKind } from '../library/schema.ts';

/** Photo formats we try; whether HEIC/AVIF decode depends on the sharp build, and a failure is recorded per file. */
export const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif']);

/** Markdown (Obsidian vaults included) and plain text. */
export const NOTE_EXTENSIONS = new Set(['.md', '.markdown', '.mdown', '.txt']);

export function acceptsFile(kind: RootKind, path: string): boolean {
  const ext = extname(path).toLowerCase();
  return kind === 'photos' ? PHOTO_EXTENSIONS.has(ext) : NOTE_EXTENSIONS.has(ext);
}

export function isMarkdown(path: string): boolean {
  return extname(path).toLowerCase() !== '.txt';
}

/**
 * Folders never worth walking: hidden ones (.git, .obsidian, .Trash…), dependency trees, and the metadata
 * folders NAS boxes and operating systems sprinkle through photo collections.
 */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  '@eaDir',
  '#recycle',
  '$RECYCLE.BIN',
  'System Volume Information',
  'lost+found',
  '__MACOSX',
]);

export function skipsFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

export function skipsFile(name: string): boolean {
  return name.startsWith('.') || name.startsWith('._');
}
