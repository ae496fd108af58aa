/**
 * Backlinks: which notes link to a note with `[[wikilinks]]`. Each note file's links are read once and kept
 * until the file changes (same path, size and modification time as indexed), so asking again costs one scan of
 * the notes table and a map lookup per link, however many notes there are.
 */
import type { NoteScanState } from '../library/note-store.ts';
import { findWikilinks, isPhotoTarget, NoteResolver } from '../../shared/wikilinks.ts';
import { readNote } from './note-files.ts';

interface OutgoingLink {
  target: string;
  /** The line the link is on, for showing where it was written. */
  context: string;
}

interface CachedLinks {
  path: string;
  size: number;
  mtimeMs: number;
  links: OutgoingLink[];
}

export interface BacklinkSource {
  noteId: string;
  path: string;
  count: number;
  context: string;
}

/** Notes read at once when the cache is filled (the first time, every note file is read). */
const READ_CONCURRENCY = 16;
const CONTEXT_CHARS = 200;

export class BacklinkIndex {
  private readonly cache = new Map<string, CachedLinks>();

  /** The notes (among `notes`, the library's readable ones) that link to `noteId`, most links first, then by path. */
  async backlinks(noteId: string, notes: readonly NoteScanState[]): Promise<BacklinkSource[]> {
    const target = notes.find((note) => note.note_id === noteId);
    if (!target) return [];
    await this.refresh(notes);
    const resolver = new NoteResolver(notes);
    const sources: BacklinkSource[] = [];
    for (const note of notes) {
      if (note.note_id === noteId) continue;
      const hits = (this.cache.get(note.note_id)?.links ?? []).filter((link) => resolver.resolve(link.target, note.path) === target);
      if (hits.length > 0) sources.push({ noteId: note.note_id, path: note.path, count: hits.length, context: hits[0]!.context });
    }
    return sources.sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
  }

  private async refresh(notes: readonly NoteScanState[]): Promise<void> {
    const live = new Set(notes.map((note) => note.note_id));
    for (const id of this.cache.keys()) if (!live.has(id)) this.cache.delete(id);
    const stale = notes.filter((note) => {
      const known = this.cache.get(note.note_id);
      return !known || known.path !== note.path || known.size !== note.size || known.mtimeMs !== note.mtime_ms;
    });
    for (let i = 0; i < stale.length; i += READ_CONCURRENCY) {
      await Promise.all(stale.slice(i, i + READ_CONCURRENCY).map((note) => this.read(note)));
    }
  }

  private async read(note: NoteScanState): Promise<void> {
    // A file that cannot be read now (gone, locked) has no links until it can; the indexer reports why.
    const content = await readNote(note.path).then((file) => file.content, () => '');
    const links = findWikilinks(content)
      .filter((link) => link.target && !(link.embed && isPhotoTarget(link.target)))
      .map((link) => ({ target: link.target, context: lineAround(content, link.start) }));
    this.cache.set(note.note_id, { path: note.path, size: note.size, mtimeMs: note.mtime_ms, links });
  }
}

function lineAround(text: string, at: number): string {
  const start = Math.max(text.lastIndexOf('\n', at) + 1, 0);
  const newline = text.indexOf('\n', at);
  const line = text.slice(start, newline < 0 ? text.length : newline).trim();
  return line.length > CONTEXT_CHARS ? `${line.slice(0, CONTEXT_CHARS - 1)}…` : line;
}
