import type { Table, VectorQuery } from '@lancedb/lancedb';
import { z } from 'zod';
import type { MetaTable } from './meta-table.ts';
import { createVectorIndex, hasVectorIndex, nearest, partitionsFor, VECTOR_INDEX_TYPE, type VectorIndexPolicy } from './table-indexes.ts';
import type { WriteQueue } from './write-queue.ts';

/**
 * What an index was trained on, kept in the meta table: a query probes a share of the partitions it has. An
 * index of another type (built by another version) has no valid record, so it is trained again.
 */
const VectorIndexRecordSchema = z.object({
  type: z.literal(VECTOR_INDEX_TYPE),
  /** Searchable rows when it was trained. */
  rows: z.number().int().positive(),
  partitions: z.number().int().positive(),
  builtAt: z.number(),
});
export type VectorIndexRecord = z.infer<typeof VectorIndexRecordSchema>;

/** `unrecorded`: an index built by an earlier version; its partitions are estimated until it is retrained. */
type IndexState = { kind: 'none' } | { kind: 'recorded'; record: VectorIndexRecord } | { kind: 'unrecorded'; partitions: number };

export interface VectorIndexOptions {
  table: Table;
  policy: VectorIndexPolicy;
  meta: MetaTable;
  /** The meta key of this table's record. */
  key: string;
  /** The table's write queue: decisions that must not interleave with the store's writes go through it. */
  writes: WriteQueue;
}

/**
 * One table's ANN index over the `vector` column: built once the table has `minRows` searchable rows, trained
 * again in the background once it has grown `retrainGrowth`-fold since. LanceDB trains the new index while the
 * old one keeps answering (rows written meanwhile are searched exactly), and swaps it in at its commit.
 */
export class VectorIndex {
  private state: Promise<IndexState> | undefined;
  private building: Promise<void> | undefined;

  constructor(private readonly options: VectorIndexOptions) {}

  /** A query for the `limit` nearest neighbours through the index as it is now (exact while there is none). */
  async nearest(vector: Float32Array, limit: number): Promise<VectorQuery> {
    const state = await this.current();
    const partitions = state.kind === 'none' ? null : state.kind === 'recorded' ? state.record.partitions : state.partitions;
    return nearest(this.options.table, vector, partitions, this.options.policy, limit);
  }

  /** What the current index was trained on; null without an index, or for one built by an earlier version. */
  async record(): Promise<VectorIndexRecord | null> {
    const state = await this.current();
    return state.kind === 'recorded' ? state.record : null;
  }

  /**
   * Called by the store's `optimize()`, inside its write queue: starts a build in the background when one is
   * due, else folds the rows added since into the index and compacts the table. Nothing runs beside a build:
   * compaction rewrites the files the build has read, and its commit would then be refused.
   */
  async maintain(): Promise<void> {
    if (this.building) return;
    const rows = await this.searchableRows();
    if (await this.due(rows)) {
      this.building = this.build(rows)
        .catch((error: unknown) => console.error(`[subspace] the vector index of ${this.options.table.name} could not be (re)built; the current one keeps answering:`, error))
        .finally(() => (this.building = undefined));
    } else {
      await this.options.table.optimize();
    }
  }

  /** Whether an index is being trained now (queries meanwhile go through the previous one, or are exact). */
  get training(): boolean {
    return this.building !== undefined;
  }

  /** Resolves once no build is under way. */
  async settled(): Promise<void> {
    while (this.building) await this.building;
  }

  private async build(rows: number): Promise<void> {
    const { table, policy, meta, key, writes } = this.options;
    const partitions = partitionsFor(rows);
    await createVectorIndex(table, partitions, policy);
    const record: VectorIndexRecord = { type: VECTOR_INDEX_TYPE, rows, partitions, builtAt: Date.now() };
    this.state = Promise.resolve({ kind: 'recorded', record });
    await meta.write({ [key]: JSON.stringify(record) });
    // Rows written while it trained are not in the new index yet: fold them in, or train again if they doubled it.
    const next = await writes.run(async () => {
      const now = await this.searchableRows();
      if (await this.due(now)) return now;
      await table.optimize();
      return null;
    });
    if (next !== null) await this.build(next);
  }

  private async due(rows: number): Promise<boolean> {
    const { policy } = this.options;
    const state = await this.current();
    if (state.kind === 'none') return rows >= Math.max(1, policy.minRows);
    if (state.kind === 'unrecorded') return rows > 0;
    return rows > state.record.rows && rows >= policy.retrainGrowth * state.record.rows;
  }

  private searchableRows(): Promise<number> {
    return this.options.table.countRows("status = 'ok'");
  }

  private current(): Promise<IndexState> {
    this.state ??= this.load().catch((error: unknown) => {
      this.state = undefined;
      throw error;
    });
    return this.state;
  }

  private async load(): Promise<IndexState> {
    const { table, meta, key } = this.options;
    if (!(await hasVectorIndex(table))) return { kind: 'none' };
    const record = VectorIndexRecordSchema.safeParse(parseJson(await meta.get(key)));
    if (record.success) return { kind: 'recorded', record: record.data };
    return { kind: 'unrecorded', partitions: partitionsFor(await table.countRows()) };
  }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
