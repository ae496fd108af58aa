import { makeArrowTable, type Table } from '@lancedb/lancedb';
import { plainRows } from './rows.ts';
import { metaSchema } from './schema.ts';
import { WriteQueue } from './write-queue.ts';

/** The library's small key/value table: schema version, model, what each vector index was built from. */
export class MetaTable {
  private readonly writes = new WriteQueue();

  constructor(private readonly table: Table) {}

  async read(): Promise<Map<string, string>> {
    const rows = plainRows<{ key: string; value: string }>(await this.table.query().toArray());
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.read()).get(key);
  }

  /** Sets the given keys in one commit; writes from two stores (photos, notes) are queued, never raced. */
  write(entries: Record<string, string>): Promise<void> {
    const rows = Object.entries(entries).map(([key, value]) => ({ key, value }));
    return this.writes.run(async () => {
      await this.table.mergeInsert('key').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(makeArrowTable(rows, { schema: metaSchema() }));
    });
  }
}
