import { sep } from 'node:path';
import { makeArrowTable, type Table } from '@lancedb/lancedb';
import { LISTING_COLUMNS, PhotoOrder, type PhotoListing } from './photo-order.ts';
import { columnRows, plainRow, plainRows, vectorSample } from './rows.ts';
import { photosSchema, type ItemStatus, type PhotoRow } from './schema.ts';
import { sqlAnd, sqlIn, sqlString, sqlUnder } from './sql.ts';
import { ensureScalarIndexes } from './table-indexes.ts';
import { VectorIndex, type VectorIndexOptions } from './vector-index.ts';
import { WriteQueue } from './write-queue.ts';

/** Narrows photo queries; every bound is optional. Dates are epoch milliseconds, `takenTo` exclusive. */
export interface PhotoFilter {
  takenFrom?: number;
  takenTo?: number;
  /** Only photos at or below this folder. */
  folder?: string;
  /** The `camera` label exactly as `facets()` lists it ("Make Model"). */
  camera?: string;
}

/** What the scanner needs to diff a folder against the store: everything but the vector and EXIF. */
export interface PhotoScanState {
  id: string;
  path: string;
  root: string;
  size: number;
  mtime_ms: number;
  hash: string;
  status: ItemStatus;
  model_id: string | null;
  missing_since: number | null;
  thumb: string | null;
}

export interface PhotoMatch {
  photo: PhotoRow;
  /** Cosine similarity to the query vector (−1…1). */
  similarity: number;
}

export interface PhotoFacets {
  folders: string[];
  cameras: string[];
  takenRange: { from: number; to: number } | null;
  count: number;
}

const SCAN_COLUMNS = ['id', 'path', 'root', 'size', 'mtime_ms', 'hash', 'status', 'model_id', 'missing_since', 'thumb'];
const DETAIL_COLUMNS = photosSchema(1)
  .fields.map((f) => f.name)
  .filter((name) => name !== 'vector');

/** The photos table: one row per photo file, keyed by a stable id that survives moves and renames. */
export class PhotoStore {
  private readonly writes = new WriteQueue();
  readonly vectorIndex: VectorIndex;
  /** The grid behind `list()`, `timeline()` and `facets()`, once built; every write that commits is applied to it. */
  private order: PhotoOrder | undefined;
  private orderLoad: Promise<PhotoOrder> | undefined;

  constructor(
    readonly table: Table,
    private readonly dim: number,
    vectorIndex: Omit<VectorIndexOptions, 'table' | 'writes'>,
  ) {
    this.vectorIndex = new VectorIndex({ ...vectorIndex, table, writes: this.writes });
  }

  async get(id: string): Promise<PhotoRow | null> {
    const rows = await this.table.query().where(`id = ${sqlString(id)}`).limit(1).toArray();
    return rows[0] ? plainRow<PhotoRow>(rows[0]) : null;
  }

  /**
   * Where a photo's file and thumbnail are, for the media requests a grid makes by the dozen: a searchable photo
   * is read from the grid order in memory (a table query costs ~5 ms of CPU, taken from the page as it renders).
   */
  async mediaSource(id: string): Promise<Pick<PhotoRow, 'path' | 'thumb' | 'status'> | null> {
    const shown = (await this.ordered()).find(id);
    if (shown) return { path: shown.path, thumb: shown.thumb, status: 'ok' };
    const rows = await this.table.query().where(`id = ${sqlString(id)}`).select(['path', 'thumb', 'status']).limit(1).toArray();
    return rows[0] ? plainRow<Pick<PhotoRow, 'path' | 'thumb' | 'status'>>(rows[0]) : null;
  }

  /** Rows without vectors, in no particular order; ids not found are absent from the map. */
  async getMany(ids: readonly string[]): Promise<Map<string, PhotoRow>> {
    const out = new Map<string, PhotoRow>();
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500);
      const rows = await this.table.query().where(sqlIn('id', slice)).select(DETAIL_COLUMNS).toArray();
      for (const row of plainRows<PhotoRow>(rows)) out.set(row.id, { ...row, vector: null });
    }
    return out;
  }

  /** The photo stored at a path (any status), without its vector. */
  async getByPath(path: string): Promise<PhotoRow | null> {
    const rows = await this.table.query().where(`path = ${sqlString(path)}`).select(DETAIL_COLUMNS).limit(1).toArray();
    return rows[0] ? { ...plainRow<PhotoRow>(rows[0]), vector: null } : null;
  }

  async scanState(where?: string): Promise<PhotoScanState[]> {
    const query = this.table.query().select(SCAN_COLUMNS);
    return plainRows<PhotoScanState>(await (where ? query.where(where) : query).toArray());
  }

  /**
   * Stores whole rows in one commit, so a batch is either all stored or not at all. Rows of new photos are
   * appended; rows whose id may already exist are merged (a merge joins against the whole table, so it is
   * kept for the few rows that need it).
   */
  async write(rows: readonly PhotoRow[], knownNew: ReadonlySet<string> = new Set()): Promise<void> {
    if (rows.length === 0) return;
    const fresh = rows.filter((row) => knownNew.has(row.id));
    const existing = rows.filter((row) => !knownNew.has(row.id));
    const data = (batch: readonly PhotoRow[]) =>
      makeArrowTable(
        batch.map((row) => ({ ...row, vector: row.vector ? Array.from(row.vector) : null })),
        { schema: photosSchema(this.dim) },
      );
    await this.writes.run(async () => {
      if (fresh.length > 0) {
        await this.table.add(data(fresh));
        this.reorder(fresh);
      }
      if (existing.length > 0) {
        await this.table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data(existing));
        this.reorder(existing);
      }
    });
  }

  /** Inserts or replaces whole rows in one commit. */
  upsert(rows: readonly PhotoRow[]): Promise<void> {
    return this.write(rows);
  }

  /** Moves a row to a new path without touching its vector, thumbnail or links. */
  async relocate(id: string, location: { path: string; root: string; size: number; mtime_ms: number }, status: ItemStatus): Promise<void> {
    await this.writes.run(async () => {
      await this.table.update({ values: { ...location, status, missing_since: null }, where: `id = ${sqlString(id)}` });
      if (!this.order) return;
      const rows = await this.table.query().where(`id = ${sqlString(id)} AND status = 'ok'`).select([...LISTING_COLUMNS]).toArray();
      this.order.apply(plainRows<PhotoListing>(rows), [id]);
    });
  }

  async markMissing(ids: readonly string[], at: number): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500);
      await this.writes.run(async () => {
        await this.table.update({ values: { status: 'missing', missing_since: at }, where: sqlAnd(sqlIn('id', slice), "status != 'missing'")! });
        this.order?.apply([], slice);
      });
    }
  }

  /** After a model switch: every vector is from the old model and waits to be re-embedded. */
  async markAllStale(): Promise<void> {
    await this.writes.run(async () => {
      await this.table.update({ values: { status: 'stale' }, where: "status = 'ok'" });
      this.order?.clear();
    });
  }

  /** Deletes rows missing since `before` or earlier; returns them so their links and thumbnails can go too. */
  async purgeMissing(before: number): Promise<{ id: string; thumb: string | null }[]> {
    const where = `status = 'missing' AND missing_since <= ${before}`;
    const rows = plainRows<{ id: string; thumb: string | null }>(await this.table.query().where(where).select(['id', 'thumb']).toArray());
    if (rows.length > 0) {
      await this.writes.run(async () => {
        await this.table.delete(where);
        this.order?.apply([], rows.map((row) => row.id));
      });
    }
    return rows;
  }

  async deleteUnder(root: string): Promise<string[]> {
    const where = `root = ${sqlString(root)}`;
    const ids = (await this.table.query().where(where).select(['id']).toArray()).map((row) => String(row.id));
    if (ids.length > 0) {
      await this.writes.run(async () => {
        await this.table.delete(where);
        this.order?.apply([], ids);
      });
    }
    return ids;
  }

  count(where?: string): Promise<number> {
    return this.table.countRows(where);
  }

  /** Searchable photos (status ok), newest capture first (undated last, then by path), as the grid shows them. */
  async list(filter: PhotoFilter, offset: number, limit: number): Promise<{ rows: PhotoListing[]; total: number }> {
    return (await this.ordered()).page(filter, offset, limit);
  }

  /**
   * Photo counts per local calendar day (`YYYY-MM-DD` in this process's time zone), in `list()` order:
   * newest day first, photos without a date last (`day: null`).
   */
  async timeline(filter: PhotoFilter): Promise<{ day: string | null; count: number }[]> {
    return (await this.ordered()).timeline(filter);
  }

  /** Nearest searchable photos to a vector, best first. */
  async search(
    vector: Float32Array,
    options: { filter?: PhotoFilter; offset?: number; limit: number; excludeIds?: readonly string[] },
  ): Promise<PhotoMatch[]> {
    const offset = options.offset ?? 0;
    const where = sqlAnd(this.where(options.filter ?? {}), options.excludeIds?.length ? `NOT ${sqlIn('id', options.excludeIds)}` : undefined);
    const rows = await (await this.vectorIndex.nearest(vector, offset + options.limit))
      .where(where ?? "status = 'ok'")
      .select([...DETAIL_COLUMNS, '_distance'])
      .toArray();
    return rows.slice(offset).map((row) => {
      const { _distance, ...rest } = plainRow<PhotoRow & { _distance: number }>(row);
      return { photo: { ...rest, vector: null }, similarity: 1 - _distance };
    });
  }

  async vector(id: string): Promise<Float32Array | null> {
    const rows = await this.table.query().where(`id = ${sqlString(id)} AND status = 'ok'`).select(['vector']).limit(1).toArray();
    return rows[0] ? plainRow<{ vector: Float32Array | null }>(rows[0]).vector : null;
  }

  /** The vectors of the searchable photos among `ids` (the others are absent from the map). */
  async vectors(ids: readonly string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    for (let i = 0; i < ids.length; i += 500) {
      const where = `${sqlIn('id', ids.slice(i, i + 500))} AND status = 'ok'`;
      for (const row of await this.table.query().where(where).select(['id', 'vector']).toArray()) {
        const { id, vector } = plainRow<{ id: string; vector: Float32Array | null }>(row);
        if (vector) found.set(id, vector);
      }
    }
    return found;
  }

  /** Vectors of up to `limit` searchable photos, spread over the library: a sample for per-query statistics. */
  sampleVectors(limit: number): Promise<Float32Array[]> {
    return vectorSample(this.table, "status = 'ok'", limit);
  }

  /** Folders, cameras, capture dates and count of the searchable photos, from the grid order. */
  async facets(): Promise<PhotoFacets> {
    return (await this.ordered()).facets();
  }

  /** Files that could not be read, most recent first. */
  async failures(offset: number, limit: number): Promise<{ rows: (PhotoScanState & { error: string | null; indexed_at: number })[]; total: number }> {
    const rows = plainRows<PhotoScanState & { error: string | null; indexed_at: number }>(
      await this.table
        .query()
        .where("status = 'error'")
        .select([...SCAN_COLUMNS, 'error', 'indexed_at'])
        .orderBy({ columnName: 'indexed_at', ascending: false })
        .offset(offset)
        .limit(limit)
        .toArray(),
    );
    return { rows, total: await this.table.countRows("status = 'error'") };
  }

  /** Brings the scalar indexes up to date; the vector index folds in new rows, or is (re)trained in the background. */
  async optimize(): Promise<void> {
    await this.writes.run(async () => {
      await ensureScalarIndexes(this.table, { id: 'btree', path: 'btree', hash: 'btree', status: 'bitmap', camera: 'bitmap' });
      await this.vectorIndex.maintain();
    });
  }

  /**
   * The grid order, built on first use from the columns it needs. The build waits its turn among the writes,
   * so no commit lands between the scan and the first write applied to the order.
   */
  private ordered(): Promise<PhotoOrder> {
    this.orderLoad ??= this.writes.run(async () => {
      const columns = await this.table.query().where("status = 'ok'").select([...LISTING_COLUMNS]).toArrow();
      this.order = new PhotoOrder(columnRows<PhotoListing>(columns, LISTING_COLUMNS), sep);
      return this.order;
    });
    return this.orderLoad.catch((error: unknown) => {
      this.orderLoad = undefined;
      throw error;
    });
  }

  /** Applies committed rows to the grid order: `ok` ones take their place, the others leave it. */
  private reorder(rows: readonly PhotoRow[]): void {
    this.order?.apply(
      rows.filter((row) => row.status === 'ok'),
      rows.filter((row) => row.status !== 'ok').map((row) => row.id),
    );
  }

  private where(filter: PhotoFilter): string {
    return (
      sqlAnd(
        "status = 'ok'",
        filter.takenFrom !== undefined && `taken_at >= ${filter.takenFrom}`,
        filter.takenTo !== undefined && `taken_at < ${filter.takenTo}`,
        filter.folder !== undefined && sqlUnder('path', filter.folder, sep),
        filter.camera !== undefined && `camera = ${sqlString(filter.camera)}`,
      ) ?? "status = 'ok'"
    );
  }
}
