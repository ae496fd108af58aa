import { makeArrowTable, type Table } from '@lancedb/lancedb';
import { plainRows } from './rows.ts';
import { rootsSchema, type RootKind, type RootRow } from './schema.ts';
import { sqlString } from './sql.ts';
import { WriteQueue } from './write-queue.ts';

/** The folders the user asked to index (photo folders and note folders), as absolute real paths. */
export class RootStore {
  private readonly writes = new WriteQueue();

  constructor(readonly table: Table) {}

  async list(kind?: RootKind): Promise<RootRow[]> {
    const query = this.table.query();
    const rows = plainRows<RootRow>(await (kind ? query.where(`kind = ${sqlString(kind)}`) : query).toArray());
    return rows.sort((a, b) => a.added_at - b.added_at);
  }

  async add(kind: RootKind, path: string, at = Date.now()): Promise<RootRow> {
    const row: RootRow = { path, kind, added_at: at };
    await this.writes.run(() => this.table.add(makeArrowTable([{ ...row }], { schema: rootsSchema() })));
    return row;
  }

  async remove(kind: RootKind, path: string): Promise<boolean> {
    const where = `path = ${sqlString(path)} AND kind = ${sqlString(kind)}`;
    return this.writes.run(async () => {
      if ((await this.table.countRows(where)) === 0) return false;
      await this.table.delete(where);
      return true;
    });
  }
}
