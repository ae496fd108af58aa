import type { Connection, Table } from '@lancedb/lancedb';
import { MetaTable } from './meta-table.ts';
import { SCHEMA_VERSION, TABLES, chunkerField, linksSchema, metaSchema, notesSchema, photosSchema, rootsSchema, vectorField } from './schema.ts';

export interface LibraryModel {
  id: string;
  dim: number;
}

export interface LibraryTables {
  photos: Table;
  notes: Table;
  links: Table;
  roots: Table;
  meta: MetaTable;
}

/**
 * Steps that bring a library from version `n - 1` to `n`, run in order and recorded one by one in the meta
 * table, so a crash between two steps resumes at the first step not recorded. Version 1 is the first layout.
 */
const MIGRATIONS: Record<number, (db: Connection, model: LibraryModel) => Promise<void>> = {
  1: async (db, model) => {
    await createIfAbsent(db, TABLES.photos, photosSchema(model.dim));
    await createIfAbsent(db, TABLES.notes, notesSchema(model.dim));
    await createIfAbsent(db, TABLES.links, linksSchema());
    await createIfAbsent(db, TABLES.roots, rootsSchema());
  },
  // Notes record the chunker version that cut them; rows from before have none and are cut again.
  2: async (db) => {
    const notes = await db.openTable(TABLES.notes);
    if (!(await notes.schema()).fields.some((field) => field.name === 'chunker')) await notes.addColumns(chunkerField());
  },
};

export class NewerLibraryError extends Error {
  constructor(readonly found: number) {
    super(`This library was written by a newer Subspace (schema ${found}; this version reads up to ${SCHEMA_VERSION}). Update Subspace to open it.`);
    this.name = 'NewerLibraryError';
  }
}

/** Why a read-only open cannot read this library as it is: it needs the writer (the app or `subspace index`) first. */
export class LibraryNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LibraryNotReadyError';
  }
}

/** Opens every table as it is, writing nothing: throws LibraryNotReadyError when it is absent, older or of another model. */
export async function openTablesToRead(db: Connection, model: LibraryModel, dir: string): Promise<{ tables: LibraryTables; modelChanged: false }> {
  if (!(await db.tableNames()).includes(TABLES.meta)) {
    throw new LibraryNotReadyError(`There is no library in ${dir} yet: index a folder first (subspace index <folder>).`);
  }
  const meta = new MetaTable(await db.openTable(TABLES.meta));
  const stored = await meta.read();
  const version = Number(stored.get('schema_version') ?? 0);
  if (version > SCHEMA_VERSION) throw new NewerLibraryError(version);
  if (version < SCHEMA_VERSION) {
    throw new LibraryNotReadyError(`The library in ${dir} needs updating to this version of Subspace: open the app or run subspace index once.`);
  }
  if (stored.get('model_id') !== model.id || Number(stored.get('dim')) !== model.dim) {
    throw new LibraryNotReadyError(
      `The library in ${dir} holds vectors of ${stored.get('model_id')}, not of ${model.id} chosen in the settings: open the app or run subspace index to re-embed them.`,
    );
  }
  return { tables: await openAll(db, meta), modelChanged: false };
}

/** Opens (creating or migrating as needed) every table, and reports whether the library's model changed. */
export async function openTables(db: Connection, model: LibraryModel): Promise<{ tables: LibraryTables; modelChanged: boolean }> {
  const meta = new MetaTable(await createIfAbsent(db, TABLES.meta, metaSchema()));
  const stored = await meta.read();
  const version = Number(stored.get('schema_version') ?? 0);
  if (version > SCHEMA_VERSION) throw new NewerLibraryError(version);
  for (let next = version + 1; next <= SCHEMA_VERSION; next++) {
    await MIGRATIONS[next]!(db, model);
    await meta.write({ schema_version: String(next) });
  }
  if (version === 0) await meta.write({ model_id: model.id, dim: String(model.dim) });

  const tables = await openAll(db, meta);
  const current = await meta.read();
  const modelChanged = current.get('model_id') !== model.id || Number(current.get('dim')) !== model.dim;
  if (modelChanged) {
    await switchModel(tables.photos, model);
    await switchModel(tables.notes, model);
    await meta.write({ model_id: model.id, dim: String(model.dim) });
  }
  return { tables, modelChanged };
}

/**
 * Vectors from another model are meaningless to this one: they are dropped from search (status `stale`) and
 * re-embedded in the background. Every step is idempotent, and the meta table records the new model last,
 * so a crash part-way repeats the switch at the next start.
 */
async function switchModel(table: Table, model: LibraryModel): Promise<void> {
  for (const index of await table.listIndices()) {
    if (index.columns.includes('vector')) await table.dropIndex(index.name);
  }
  const schema = await table.schema();
  const vector = schema.fields.find((field) => field.name === 'vector');
  const dim = (vector?.type as { listSize?: number } | undefined)?.listSize;
  if (vector && dim !== model.dim) await table.dropColumns(['vector']);
  if (!vector || dim !== model.dim) await table.addColumns(vectorField(model.dim));
  await table.update({ values: { status: 'stale' }, where: "status = 'ok'" });
}

async function openAll(db: Connection, meta: MetaTable): Promise<LibraryTables> {
  return {
    photos: await db.openTable(TABLES.photos),
    notes: await db.openTable(TABLES.notes),
    links: await db.openTable(TABLES.links),
    roots: await db.openTable(TABLES.roots),
    meta,
  };
}

async function createIfAbsent(db: Connection, name: string, schema: ReturnType<typeof metaSchema>): Promise<Table> {
  const names = await db.tableNames();
  if (names.includes(name)) return db.openTable(name);
  return db.createEmptyTable(name, schema, { existOk: true });
}
