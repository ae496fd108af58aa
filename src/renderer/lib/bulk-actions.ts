/** What the selection bar does with many photos at once, in calls the contract allows (batches of MAX_PHOTO_BATCH). */
import { MAX_PHOTO_BATCH } from '../../shared/api.ts';
import type { PhotoSummary } from '../../shared/dto.ts';
import type { ApiClient } from './api.ts';

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface LinkOutcome {
  added: number;
  alreadyLinked: number;
  notFound: number;
}

export async function linkPhotos(api: ApiClient, noteId: string, photoIds: readonly string[]): Promise<LinkOutcome> {
  const outcome: LinkOutcome = { added: 0, alreadyLinked: 0, notFound: 0 };
  for (const batch of batches(photoIds, MAX_PHOTO_BATCH)) {
    const result = await api.call('links.addMany', { noteId, photoIds: batch });
    outcome.added += result.added;
    outcome.alreadyLinked += result.alreadyLinked;
    outcome.notFound += result.notFound.length;
  }
  return outcome;
}

export async function unlinkPhotos(api: ApiClient, noteId: string, photoIds: readonly string[]): Promise<number> {
  let removed = 0;
  for (const batch of batches(photoIds, MAX_PHOTO_BATCH)) removed += (await api.call('links.removeMany', { noteId, photoIds: batch })).removed;
  return removed;
}

/** One photo per folder, in order, at most `max` folders: revealing each shows its folder with the photo picked. */
export function onePerFolder(photos: readonly PhotoSummary[], max: number): { photos: PhotoSummary[]; folders: number } {
  const seen = new Map<string, PhotoSummary>();
  for (const photo of photos) if (!seen.has(photo.folder)) seen.set(photo.folder, photo);
  return { photos: [...seen.values()].slice(0, max), folders: seen.size };
}

/** Puts text on the clipboard; where the async Clipboard API is refused, through a hidden text field. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const field = document.createElement('textarea');
    field.value = text;
    field.style.position = 'fixed';
    field.style.opacity = '0';
    document.body.append(field);
    field.select();
    const copied = document.execCommand('copy');
    field.remove();
    if (!copied) throw new Error('The clipboard is not available here.');
  }
}
