import { afterAll, describe, expect, it } from 'vitest';
import { photoRow, tempDir } from '../indexing/testing/fixtures.ts';
import { Library } from './library.ts';
import { LISTING_COLUMNS, type PhotoListing } from './photo-order.ts';
import type { PhotoFilter } from './photo-store.ts';
import { plainRows } from './rows.ts';
import type { PhotoRow } from './schema.ts';
import { sqlAnd, sqlString, sqlUnder } from './sql.ts';

const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((remove) => remove()));

async function openFresh(): Promise<Library> {
  const dir = tempDir('photo-order');
  dirs.push(dir.remove);
  return Library.open({ dir: dir.path, model: { id: 'test-model', dim: 3 } });
}

const DAY = 24 * 3600 * 1000;
const FOLDERS = ['/lib/a', '/lib/a/b', '/lib/ab', '/lib/c', '/other/x'];
const CAMERAS = ['Canon', 'Pixel', null];
const STATUSES = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'error', 'stale', 'missing'] as const;

/** Rows with every case the order must get right: equal capture times, undated photos, nested and look-alike folders, every status. */
function rows(from: number, count: number, salt = 0): PhotoRow[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const folder = FOLDERS[(i * 7 + salt) % FOLDERS.length]!;
    return photoRow({
      id: `p${i}`,
      path: `${folder}/img-${String((i * 37 + salt) % 1000).padStart(3, '0')}-${i}.jpg`,
      root: folder.startsWith('/other') ? '/other' : '/lib',
      taken_at: (i + salt) % 11 === 0 ? null : Date.UTC(2021, 0, 1) + ((i * 13 + salt) % 40) * (DAY / 3),
      camera: CAMERAS[(i + salt) % CAMERAS.length]!,
      width: 64 + salt,
      thumb: i % 4 === 0 ? null : `thumbs/${salt}/p${i}.jpg`,
      status: STATUSES[(i * 5 + salt) % STATUSES.length]!,
    });
  });
}

const FILTERS: PhotoFilter[] = [
  {},
  { camera: 'Canon' },
  { folder: '/lib/a' },
  { folder: '/lib/a/' },
  { folder: '/lib' },
  { takenFrom: Date.UTC(2021, 0, 3), takenTo: Date.UTC(2021, 0, 9) },
  { takenFrom: Date.UTC(2021, 0, 6) },
  { takenTo: Date.UTC(2021, 0, 6) },
  { takenFrom: Date.UTC(2021, 0, 2), takenTo: Date.UTC(2021, 0, 12), folder: '/lib/a', camera: 'Pixel' },
  { takenFrom: Date.UTC(2030, 0, 1) },
];

/** The same question asked of LanceDB itself: filter, then ORDER BY taken_at DESC NULLS LAST, path. */
async function expected(library: Library, filter: PhotoFilter): Promise<PhotoListing[]> {
  const where = sqlAnd(
    "status = 'ok'",
    filter.takenFrom !== undefined && `taken_at >= ${filter.takenFrom}`,
    filter.takenTo !== undefined && `taken_at < ${filter.takenTo}`,
    filter.folder !== undefined && sqlUnder('path', filter.folder, '/'),
    filter.camera !== undefined && `camera = ${sqlString(filter.camera)}`,
  )!;
  const found = await library.photos.table
    .query()
    .where(where)
    .select([...LISTING_COLUMNS])
    .orderBy([{ columnName: 'taken_at', ascending: false, nullsFirst: false }, { columnName: 'path', ascending: true }])
    .toArray();
  return plainRows<PhotoListing>(found).map((row) => ({ ...row }));
}

function days(sorted: { taken_at: number | null }[]): { day: string | null; count: number }[] {
  const out: { day: string | null; count: number }[] = [];
  for (const { taken_at } of sorted) {
    const date = taken_at === null ? null : new Date(taken_at);
    const day = date && `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    if (out.at(-1)?.day === day && out.length > 0) out.at(-1)!.count++;
    else out.push({ day, count: 1 });
  }
  return out;
}

async function expectAgreement(library: Library, step: string): Promise<void> {
  for (const filter of FILTERS) {
    const truth = await expected(library, filter);
    const label = `${step}: ${JSON.stringify(filter)}`;
    const all = await library.photos.list(filter, 0, 500);
    expect(all.rows, label).toEqual(truth);
    expect(all.total, label).toBe(truth.length);
    const page = await library.photos.list(filter, 7, 5);
    expect(page.rows, label).toEqual(truth.slice(7, 12));
    expect(page.total, label).toBe(truth.length);
    expect(await library.photos.timeline(filter), label).toEqual(days(truth));
  }
  const truth = await expected(library, {});
  const dated = truth.flatMap((row) => (row.taken_at === null ? [] : [row.taken_at]));
  expect(await library.photos.facets(), `${step}: facets`).toEqual({
    folders: [...new Set(truth.map((row) => row.path.slice(0, row.path.lastIndexOf('/'))))].sort(),
    cameras: [...new Set(truth.flatMap((row) => (row.camera ? [row.camera] : [])))].sort(),
    takenRange: dated.length === 0 ? null : { from: Math.min(...dated), to: Math.max(...dated) },
    count: truth.length,
  });
  const stored = plainRows<Pick<PhotoRow, 'id' | 'path' | 'thumb' | 'status'>>(await library.photos.table.query().select(['id', 'path', 'thumb', 'status']).toArray());
  for (const { id, ...media } of stored) expect(await library.photos.mediaSource(id), `${step}: media of ${id}`).toEqual(media);
  expect(await library.photos.mediaSource('no-such-photo')).toBeNull();
}

describe('the grid order kept by the photo store', () => {
  it('answers list() and timeline() as the table would, through every kind of write', async () => {
    const library = await openFresh();
    await library.photos.write(rows(0, 240), new Set(rows(0, 240).map((row) => row.id)));
    await expectAgreement(library, 'built');

    const changed = rows(200, 40, 3);
    await library.photos.write([...changed, ...rows(240, 30)], new Set(rows(240, 30).map((row) => row.id)));
    await expectAgreement(library, 'written');

    const [moved, back] = [(await library.photos.list({}, 3, 1)).rows[0]!, (await library.photos.scanState("status = 'missing'"))[0]!];
    await library.photos.relocate(moved.id, { path: '/lib/c/moved.jpg', root: '/lib', size: 1, mtime_ms: 1 }, 'ok');
    await library.photos.relocate(back.id, { path: '/lib/a/back.jpg', root: '/lib', size: 1, mtime_ms: 1 }, 'ok');
    await expectAgreement(library, 'relocated');

    const gone = (await library.photos.list({ folder: '/lib/ab' }, 0, 6)).rows.map((row) => row.id);
    await library.photos.markMissing(gone, 1000);
    await expectAgreement(library, 'marked missing');

    await library.photos.deleteUnder('/other');
    await library.purgeMissing(0, 2000);
    await expectAgreement(library, 'deleted and purged');

    await library.photos.markAllStale();
    expect((await library.photos.list({}, 0, 10)).total).toBe(0);
    await library.photos.write(rows(0, 50, 5));
    await expectAgreement(library, 'stale, then re-embedded');
    library.close();
  });

  it('starts from an empty library and takes in the first photos', async () => {
    const library = await openFresh();
    expect(await library.photos.list({}, 0, 10)).toEqual({ rows: [], total: 0 });
    expect(await library.photos.timeline({})).toEqual([]);
    await library.photos.write(rows(0, 30));
    await expectAgreement(library, 'first photos');
    library.close();
  });

  it('stays right when writes and the first list run at once', async () => {
    const library = await openFresh();
    await library.photos.write(rows(0, 100), new Set(rows(0, 100).map((row) => row.id)));
    const fresh = rows(100, 20);
    const changed = rows(0, 20, 4);
    await Promise.all([
      library.photos.write(fresh, new Set(fresh.map((row) => row.id))),
      library.photos.list({}, 0, 10),
      library.photos.write(changed),
      library.photos.timeline({}),
    ]);
    await expectAgreement(library, 'built during a write');
    library.close();
  });
});
