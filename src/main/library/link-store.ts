import { makeArrowTable, type Table } from '@lancedb/lancedb';
import { plainRows } from './rows.ts';
import { linksSchema, type LinkOrigin, type LinkRow } from './schema.ts';
import { sqlAnd, sqlIn, sqlString } from './sql.ts';
import { WriteQueue } from './write-queue.ts';

export function linkId(photoId: string, noteId: string): string {
  return `${photoId}|${noteId}`;
}

/**
 * Photo ↔ note links. They name photos and notes by their stable ids, never by path, so a moved or renamed
 * file keeps its links, and a missing one gets them back when it returns.
 */
export class LinkStore {
  private readonly writes = new WriteQueue();

  constructor(readonly table: Table) {}

  /** Links a pair (idempotent: linking twice keeps the first link's time and origin). */
  async add(photoId: string, noteId: string, origin: LinkOrigin, at = Date.now()): Promise<LinkRow> {
    const row: LinkRow = { id: linkId(photoId, noteId), photo_id: photoId, note_id: noteId, origin, created_at: at };
    await this.writes.run(() =>
      this.table.mergeInsert('id').whenNotMatchedInsertAll().execute(makeArrowTable([{ ...row }], { schema: linksSchema() })),
    );
    const stored = await this.list({ photoId, noteId });
    return stored[0] ?? row;
  }

  /** Links many photos to one note in one commit; returns how many links are new. */
  async addMany(photoIds: readonly string[], noteId: string, origin: LinkOrigin, at = Date.now()): Promise<number> {
    if (photoIds.length === 0) return 0;
    const rows = photoIds.map((photoId) => ({ id: linkId(photoId, noteId), photo_id: photoId, note_id: noteId, origin, created_at: at }));
    return this.writes.run(async () => {
      const before = await this.table.countRows(sqlIn('id', rows.map((row) => row.id)));
      await this.table.mergeInsert('id').whenNotMatchedInsertAll().execute(makeArrowTable(rows, { schema: linksSchema() }));
      return rows.length - before;
    });
  }

  /** Unlinks many photos from one note in one commit; returns how many links existed. */
  async removeMany(photoIds: readonly string[], noteId: string): Promise<number> {
    if (photoIds.length === 0) return 0;
    const where = sqlIn('id', photoIds.map((photoId) => linkId(photoId, noteId)));
    return this.writes.run(async () => {
      const existing = await this.table.countRows(where);
      if (existing > 0) await this.table.delete(where);
      return existing;
    });
  }

  /** Returns whether a link existed. */
  async remove(photoId: string, noteId: string): Promise<boolean> {
    const where = `id = ${sqlString(linkId(photoId, noteId))}`;
    return this.writes.run(async () => {
      if ((await this.table.countRows(where)) === 0) return false;
      await this.table.delete(where);
      return true;
    });
  }

  /** Links of a photo, of a note, or both (the pair); oldest first. */
  async list(by: { photoId?: string; noteId?: string }): Promise<LinkRow[]> {
    const where = sqlAnd(
      by.photoId !== undefined && `photo_id = ${sqlString(by.photoId)}`,
      by.noteId !== undefined && `note_id = ${sqlString(by.noteId)}`,
    );
    const query = this.table.query();
    const rows = plainRows<LinkRow>(await (where ? query.where(where) : query).toArray());
    return rows.sort((a, b) => a.created_at - b.created_at);
  }

  async all(): Promise<LinkRow[]> {
    return plainRows<LinkRow>(await this.table.query().toArray());
  }

  /** Drops the links of photos or notes purged for good. */
  async deleteFor(column: 'photo_id' | 'note_id', ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      const where = sqlIn(column, ids.slice(i, i + 500));
      await this.writes.run(() => this.table.delete(where));
    }
  }
}
