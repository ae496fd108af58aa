/** `![[fjord.jpg]]` embeds: library photos by file name, the nearest to the note on ties (as Obsidian resolves). */
import type { PhotoScanState, PhotoStore } from '../library/photo-store.ts';
import { sqlString } from '../library/sql.ts';
import { NoteResolver } from '../../shared/wikilinks.ts';

export async function photosByName(photos: PhotoStore, names: readonly string[], near: string): Promise<Map<string, PhotoScanState>> {
  const wanted = [...new Set(names.map((name) => name.replaceAll('\\', '/').replace(/^\/+/, '')).filter(Boolean))];
  const out = new Map<string, PhotoScanState>();
  if (wanted.length === 0) return out;
  const suffixes = wanted.flatMap((name) => [`/${name}`, `\\${name.replaceAll('/', '\\')}`].map((s) => s.toLowerCase()));
  const where = `(${suffixes.map((s) => `ends_with(lower(path), ${sqlString(s)})`).join(' OR ')}) AND status IN ('ok', 'stale')`;
  const resolver = new NoteResolver(await photos.scanState(where));
  for (const name of names) {
    const photo = resolver.resolve(name.replaceAll('\\', '/'), near);
    if (photo) out.set(name, photo);
  }
  return out;
}
