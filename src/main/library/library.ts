import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, type Connection } from '@lancedb/lancedb';
import { appDataDir } from '../paths.ts';
import { LinkStore } from './link-store.ts';
import { openTables, openTablesToRead, type LibraryModel } from './migrations.ts';
import { NoteStore } from './note-store.ts';
import { PhotoStore } from './photo-store.ts';
import { RootStore } from './root-store.ts';
import { DEFAULT_VECTOR_INDEX_POLICY, type VectorIndexPolicy } from './table-indexes.ts';

export interface OpenLibraryOptions {
  /** The library folder (LanceDB tables and `thumbs/`); default `<appDataDir()>/library`. */
  dir?: string;
  /** The model whose vectors the library holds; a different id or dimension marks every vector stale. */
  model: LibraryModel;
  vectorIndex?: Partial<VectorIndexPolicy>;
  /**
   * For a process that only reads while another one writes: nothing is created, migrated or marked stale (a library
   * that would need it throws LibraryNotReadyError), and every read first looks for commits made since the last.
   */
  readOnly?: boolean;
}

/** How long a missing photo or note keeps its row and links before a purge deletes them: 30 days. */
export const MISSING_GRACE_MS = 30 * 24 * 3600 * 1000;

export function defaultLibraryDir(): string {
  return join(appDataDir(), 'library');
}

/** The on-disk library: photos, note chunks, links and roots, each in its own LanceDB table. */
export class Library {
  private constructor(
    readonly dir: string,
    readonly model: LibraryModel,
    /** True when this open found vectors of another model (they are now `stale`). */
    readonly modelChanged: boolean,
    readonly photos: PhotoStore,
    readonly notes: NoteStore,
    readonly links: LinkStore,
    readonly roots: RootStore,
    private readonly db: Connection,
  ) {}

  static async open(options: OpenLibraryOptions): Promise<Library> {
    const dir = options.dir ?? defaultLibraryDir();
    if (!options.readOnly) await mkdir(join(dir, 'thumbs'), { recursive: true });
    // Checking for new commits costs about 1–2 ms a read (bench/read-consistency.ts); the writer needs none.
    const db = await connect(join(dir, 'db'), options.readOnly ? { readConsistencyInterval: 0 } : {});
    const { tables, modelChanged } = options.readOnly ? await openTablesToRead(db, options.model, dir) : await openTables(db, options.model);
    const policy = { ...DEFAULT_VECTOR_INDEX_POLICY, ...options.vectorIndex };
    return new Library(
      dir,
      options.model,
      modelChanged,
      new PhotoStore(tables.photos, options.model.dim, { policy, meta: tables.meta, key: 'vector_index.photos' }),
      new NoteStore(tables.notes, options.model.dim, { policy, meta: tables.meta, key: 'vector_index.notes' }),
      new LinkStore(tables.links),
      new RootStore(tables.roots),
      db,
    );
  }

  /** A thumbnail's file: rows store the path relative to the library folder (`thumbs/…`, ≈256 px JPEG). */
  thumbnailPath(relative: string): string {
    return join(this.dir, relative);
  }

  /**
   * Deletes photos and notes missing for longer than `graceMs` (0: every missing one), with their links.
   * Until then a file that comes back (same content hash) gets its id and links back.
   */
  async purgeMissing(graceMs = MISSING_GRACE_MS, now = Date.now()): Promise<{ photos: number; notes: number }> {
    const photos = await this.photos.purgeMissing(now - graceMs);
    const noteIds = await this.notes.purgeMissing(now - graceMs);
    await this.links.deleteFor('photo_id', photos.map((photo) => photo.id));
    await this.links.deleteFor('note_id', noteIds);
    await Promise.all(photos.map((photo) => (photo.thumb ? rm(this.thumbnailPath(photo.thumb), { force: true }) : undefined)));
    return { photos: photos.length, notes: noteIds.length };
  }

  /**
   * Builds or refreshes the full-text and vector indexes; the indexer calls it after each run. A vector index
   * due to be (re)trained is built in the background: `vectorIndexesSettled()` waits for it.
   */
  async optimize(): Promise<void> {
    await this.photos.optimize();
    await this.notes.optimize();
  }

  async vectorIndexesSettled(): Promise<void> {
    await Promise.all([this.photos.vectorIndex.settled(), this.notes.vectorIndex.settled()]);
  }

  close(): void {
    this.db.close();
  }
}

export function openLibrary(options: OpenLibraryOptions): Promise<Library> {
  return Library.open(options);
}

export type { LibraryModel };
