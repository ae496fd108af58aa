import { Index, makeArrowTable, type Table } from '@lancedb/lancedb';
import { plainRow, plainRows, vectorSample } from './rows.ts';
import { notesSchema, type ItemStatus, type NoteChunkRow } from './schema.ts';
import { sqlAnd, sqlIn, sqlString, sqlUnder } from './sql.ts';
import { ensureScalarIndexes } from './table-indexes.ts';
import { VectorIndex, type VectorIndexOptions } from './vector-index.ts';
import { WriteQueue } from './write-queue.ts';
import { sep } from 'node:path';

/** One note file as the scanner sees it (read from the note's first chunk). */
export interface NoteScanState {
  note_id: string;
  path: string;
  root: string;
  size: number;
  mtime_ms: number;
  hash: string;
  status: ItemStatus;
  model_id: string | null;
  missing_since: number | null;
  chunker: number | null;
}

/** A chunk found by meaning (`similarity`: cosine) or by keywords (`score`: BM25 from the full-text index). */
export interface NoteChunkMatch {
  chunk: NoteChunkRow;
  similarity?: number;
  keywordScore?: number;
}

const SCAN_COLUMNS = ['note_id', 'path', 'root', 'size', 'mtime_ms', 'hash', 'status', 'model_id', 'missing_since', 'chunker'];
const CHUNK_COLUMNS = notesSchema(1)
  .fields.map((f) => f.name)
  .filter((name) => name !== 'vector');

export function chunkId(noteId: string, chunkIndex: number): string {
  return `${noteId}:${chunkIndex}`;
}

/** The notes table: one row per chunk; all chunks of a note share its stable `note_id`. */
export class NoteStore {
  private readonly writes = new WriteQueue();
  readonly vectorIndex: VectorIndex;

  constructor(
    readonly table: Table,
    private readonly dim: number,
    vectorIndex: Omit<VectorIndexOptions, 'table' | 'writes'>,
  ) {
    this.vectorIndex = new VectorIndex({ ...vectorIndex, table, writes: this.writes });
  }

  /** The note's chunks in order (without vectors); empty when the note is unknown. */
  async chunks(noteId: string): Promise<NoteChunkRow[]> {
    const rows = await this.table.query().where(`note_id = ${sqlString(noteId)}`).select(CHUNK_COLUMNS).toArray();
    return plainRows<NoteChunkRow>(rows)
      .map((row) => ({ ...row, vector: null }))
      .sort((a, b) => a.chunk_index - b.chunk_index);
  }

  /** First chunks (which carry the note's file facts) of the given notes. */
  async heads(noteIds: readonly string[]): Promise<Map<string, NoteChunkRow>> {
    const out = new Map<string, NoteChunkRow>();
    for (let i = 0; i < noteIds.length; i += 500) {
      const where = `${sqlIn('note_id', noteIds.slice(i, i + 500))} AND chunk_index = 0`;
      for (const row of plainRows<NoteChunkRow>(await this.table.query().where(where).select(CHUNK_COLUMNS).toArray())) {
        out.set(row.note_id, { ...row, vector: null });
      }
    }
    return out;
  }

  async chunkVectors(noteId: string): Promise<{ chunk: NoteChunkRow; vector: Float32Array }[]> {
    const rows = plainRows<NoteChunkRow>(
      await this.table.query().where(`note_id = ${sqlString(noteId)} AND status = 'ok'`).toArray(),
    );
    return rows
      .filter((row): row is NoteChunkRow & { vector: Float32Array } => row.vector !== null)
      .sort((a, b) => a.chunk_index - b.chunk_index)
      .map((row) => ({ chunk: { ...row, vector: null }, vector: row.vector }));
  }

  /** Vectors of up to `limit` searchable passages, spread over the notes: a sample for per-photo statistics. */
  sampleVectors(limit: number): Promise<Float32Array[]> {
    return vectorSample(this.table, "status = 'ok' AND vector IS NOT NULL", limit);
  }

  /** The given chunks (by chunk id, without vectors); unknown ids are absent. */
  async chunksById(chunkIds: readonly string[]): Promise<Map<string, NoteChunkRow>> {
    const out = new Map<string, NoteChunkRow>();
    if (chunkIds.length === 0) return out;
    for (const row of plainRows<NoteChunkRow>(await this.table.query().where(sqlIn('id', chunkIds)).select(CHUNK_COLUMNS).toArray())) {
      out.set(row.id, { ...row, vector: null });
    }
    return out;
  }

  /** Vectors of the given chunks (by chunk id); chunks without a vector are absent. */
  async vectorsOf(chunkIds: readonly string[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    if (chunkIds.length === 0) return out;
    const rows = plainRows<{ id: string; vector: Float32Array | null }>(
      await this.table.query().where(sqlIn('id', chunkIds)).select(['id', 'vector']).toArray(),
    );
    for (const row of rows) if (row.vector) out.set(row.id, row.vector);
    return out;
  }

  async scanState(where?: string): Promise<NoteScanState[]> {
    const query = this.table
      .query()
      .where(sqlAnd('chunk_index = 0', where) ?? 'chunk_index = 0')
      .select(SCAN_COLUMNS);
    return plainRows<NoteScanState>(await query.toArray());
  }

  async getByPath(path: string): Promise<NoteScanState | null> {
    const found = await this.scanState(`path = ${sqlString(path)}`);
    return found[0] ?? null;
  }

  /** Replaces the chunks of each given note in one commit (old chunks beyond the new count are deleted). */
  async replace(notes: readonly { noteId: string; chunks: readonly NoteChunkRow[] }[]): Promise<void> {
    if (notes.length === 0) return;
    const rows = notes.flatMap((note) => note.chunks.map((row) => ({ ...row, vector: row.vector ? Array.from(row.vector) : null })));
    const data = makeArrowTable(rows, { schema: notesSchema(this.dim) });
    const ids = notes.map((note) => note.noteId);
    await this.writes.run(() =>
      this.table
        .mergeInsert('id')
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .whenNotMatchedBySourceDelete({ where: sqlIn('note_id', ids) })
        .execute(data),
    );
  }

  async relocate(noteId: string, location: { path: string; root: string; size: number; mtime_ms: number }, status: ItemStatus): Promise<void> {
    await this.writes.run(() =>
      this.table.update({ values: { ...location, status, missing_since: null }, where: `note_id = ${sqlString(noteId)}` }),
    );
  }

  async markMissing(noteIds: readonly string[], at: number): Promise<void> {
    for (let i = 0; i < noteIds.length; i += 500) {
      const where = sqlAnd(sqlIn('note_id', noteIds.slice(i, i + 500)), "status != 'missing'");
      await this.writes.run(() => this.table.update({ values: { status: 'missing', missing_since: at }, where }));
    }
  }

  async markAllStale(): Promise<void> {
    await this.writes.run(() => this.table.update({ values: { status: 'stale' }, where: "status = 'ok'" }));
  }

  async purgeMissing(before: number): Promise<string[]> {
    const where = `status = 'missing' AND missing_since <= ${before}`;
    const ids = (await this.scanState(where)).map((row) => row.note_id);
    if (ids.length > 0) await this.writes.run(() => this.table.delete(where));
    return ids;
  }

  async deleteUnder(root: string): Promise<string[]> {
    const where = `root = ${sqlString(root)}`;
    const ids = (await this.scanState(where)).map((row) => row.note_id);
    if (ids.length > 0) await this.writes.run(() => this.table.delete(where));
    return ids;
  }

  /** Number of notes (not chunks) matching an optional predicate on their first chunk. */
  countNotes(where?: string): Promise<number> {
    return this.table.countRows(sqlAnd('chunk_index = 0', where));
  }

  /** Readable notes (status ok), most recently modified first; optionally only those at or below a folder. */
  async list(folder: string | undefined, offset: number, limit: number): Promise<{ rows: NoteChunkRow[]; total: number }> {
    const where = sqlAnd('chunk_index = 0', "status = 'ok'", folder !== undefined && sqlUnder('path', folder, sep))!;
    const rows = await this.table
      .query()
      .where(where)
      .select(CHUNK_COLUMNS)
      .orderBy([{ columnName: 'mtime_ms', ascending: false }, { columnName: 'path', ascending: true }])
      .offset(offset)
      .limit(limit)
      .toArray();
    return { rows: plainRows<NoteChunkRow>(rows).map((row) => ({ ...row, vector: null })), total: await this.table.countRows(where) };
  }

  /** Chunks nearest in meaning to a vector. */
  async searchVector(vector: Float32Array, limit: number, excludeNoteIds: readonly string[] = []): Promise<NoteChunkMatch[]> {
    const where = sqlAnd("status = 'ok'", excludeNoteIds.length > 0 && `NOT ${sqlIn('note_id', excludeNoteIds)}`)!;
    const rows = await (await this.vectorIndex.nearest(vector, limit))
      .where(where)
      .select([...CHUNK_COLUMNS, '_distance'])
      .toArray();
    return rows.map((row) => {
      const { _distance, ...chunk } = plainRow<NoteChunkRow & { _distance: number }>(row);
      return { chunk: { ...chunk, vector: null }, similarity: 1 - _distance };
    });
  }

  /** Chunks matching the words of `query` through the full-text (BM25) index. */
  async searchText(query: string, limit: number): Promise<NoteChunkMatch[]> {
    if (!(await this.hasTextIndex())) return [];
    const rows = await this.table
      .search(query, 'fts', 'text')
      .where("status = 'ok'")
      .select([...CHUNK_COLUMNS, '_score'])
      .limit(limit)
      .toArray();
    return rows.map((row) => {
      const { _score, ...chunk } = plainRow<NoteChunkRow & { _score: number }>(row);
      return { chunk: { ...chunk, vector: null }, keywordScore: _score };
    });
  }

  async failures(): Promise<(NoteScanState & { error: string | null; indexed_at: number })[]> {
    return plainRows(
      await this.table
        .query()
        .where("status = 'error'")
        .select([...SCAN_COLUMNS, 'error', 'indexed_at'])
        .toArray(),
    );
  }

  /** Creates the full-text index on first content and folds in new rows; the vector index as `VectorIndex.maintain` decides. */
  async optimize(): Promise<void> {
    await this.writes.run(async () => {
      if ((await this.table.countRows()) === 0) return;
      if (!(await this.hasTextIndex())) {
        const config = Index.fts({ withPosition: true, lowercase: true, stem: true, removeStopWords: true, asciiFolding: true, language: 'English' });
        await this.table.createIndex('text', { config });
      }
      await ensureScalarIndexes(this.table, { id: 'btree', note_id: 'btree', path: 'btree', status: 'bitmap' });
      await this.vectorIndex.maintain();
    });
  }

  private async hasTextIndex(): Promise<boolean> {
    return (await this.table.listIndices()).some((index) => index.indexType === 'FTS');
  }
}
