import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SyntheticVectors } from '../../../bench/synthetic.ts';
import { noteChunk, photoRow, tempDir, unit } from '../indexing/testing/fixtures.ts';
import { Library } from './library.ts';
import { hasVectorIndex, nearest, DEFAULT_VECTOR_INDEX_POLICY } from './table-indexes.ts';

const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((remove) => remove()));

async function openFresh(model = { id: 'test-model', dim: 3 }): Promise<{ library: Library; dir: string }> {
  const dir = tempDir('library');
  dirs.push(dir.remove);
  return { library: await Library.open({ dir: dir.path, model }), dir: dir.path };
}


describe('Library on a real LanceDB folder', () => {
  it('stores photos and finds the nearest by vector, with filters and paging', async () => {
    const { library } = await openFresh();
    await library.photos.upsert([
      photoRow({ id: 'red', path: '/p/a/red.jpg', root: '/p', vector: unit(1, 0, 0), camera: 'Canon EOS 5D', taken_at: Date.UTC(2020, 0, 5) }),
      photoRow({ id: 'orange', path: '/p/b/orange.jpg', root: '/p', vector: unit(1, 0.5, 0), taken_at: Date.UTC(2021, 5, 1) }),
      photoRow({ id: 'blue', path: '/p/a/blue.jpg', root: '/p', vector: unit(0, 0, 1), taken_at: Date.UTC(2022, 1, 1) }),
      photoRow({ id: 'broken', path: '/p/a/broken.jpg', root: '/p', status: 'error', error: 'Not a readable image' }),
    ]);

    const all = await library.photos.search(unit(1, 0.1, 0), { limit: 10 });
    expect(all.map((m) => m.photo.id)).toEqual(['red', 'orange', 'blue']);
    expect(all[0]!.similarity).toBeCloseTo(0.995, 2);

    const page2 = await library.photos.search(unit(1, 0.1, 0), { offset: 1, limit: 1 });
    expect(page2.map((m) => m.photo.id)).toEqual(['orange']);
    const inFolder = await library.photos.search(unit(1, 0, 0), { limit: 10, filter: { folder: '/p/a' } });
    expect(inFolder.map((m) => m.photo.id)).toEqual(['red', 'blue']);
    const byCamera = await library.photos.search(unit(0, 0, 1), { limit: 10, filter: { camera: 'Canon EOS 5D' } });
    expect(byCamera.map((m) => m.photo.id)).toEqual(['red']);
    const byDate = await library.photos.search(unit(1, 0, 0), { limit: 10, filter: { takenFrom: Date.UTC(2021, 0, 1), takenTo: Date.UTC(2022, 0, 1) } });
    expect(byDate.map((m) => m.photo.id)).toEqual(['orange']);

    const listed = await library.photos.list({}, 0, 2);
    expect(listed.total).toBe(3);
    expect(listed.rows.map((r) => r.id)).toEqual(['blue', 'orange']);
    expect((await library.photos.timeline({})).map((d) => d.count)).toEqual([1, 1, 1]);
    const failures = await library.photos.failures(0, 10);
    expect(failures.rows.map((r) => [r.id, r.error])).toEqual([['broken', 'Not a readable image']]);
    const facets = await library.photos.facets();
    expect(facets.cameras).toEqual(['Canon EOS 5D']);
    expect(facets.folders).toEqual(['/p/a', '/p/b']);
    library.close();
  });

  it('samples vectors from the whole library, not the folder indexed first', async () => {
    const { library } = await openFresh();
    const folders = [unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)];
    for (const [f, vector] of folders.entries()) {
      const rows = Array.from({ length: 400 }, (_, i) => photoRow({ id: `f${f}-${i}`, path: `/p/${f}/${i}.jpg`, root: '/p', vector }));
      await library.photos.write(rows, new Set(rows.map((row) => row.id)));
    }
    const sample = await library.photos.sampleVectors(300);
    expect(sample).toHaveLength(300);
    const shares = folders.map((v) => sample.filter((s) => s[0] === v[0] && s[1] === v[1]).length);
    expect(shares).toEqual([100, 100, 100]);
    expect(await library.photos.sampleVectors(5_000)).toHaveLength(1_200);
    library.close();
  });

  it('keeps links through a move, hides missing photos, restores them, and purges after the grace period', async () => {
    const { library } = await openFresh();
    writeFileSync(library.thumbnailPath('thumbs/p1.jpg'), 'thumbnail');
    await library.photos.upsert([photoRow({ id: 'p1', path: '/p/one.jpg', root: '/p', vector: unit(1, 0, 0), thumb: 'thumbs/p1.jpg' })]);
    await library.notes.replace([{ noteId: 'n1', chunks: [noteChunk('n1', 0, 'red things', unit(1, 0, 0))] }]);
    await library.links.add('p1', 'n1', 'user', 1000);

    await library.photos.relocate('p1', { path: '/p/moved/one.jpg', root: '/p', size: 1000, mtime_ms: 5 }, 'ok');
    expect((await library.photos.get('p1'))!.path).toBe('/p/moved/one.jpg');
    expect((await library.links.list({ photoId: 'p1' })).map((l) => l.note_id)).toEqual(['n1']);

    await library.photos.markMissing(['p1'], 10_000);
    expect(await library.photos.search(unit(1, 0, 0), { limit: 5 })).toEqual([]);
    expect((await library.photos.get('p1'))!.status).toBe('missing');
    expect(await library.purgeMissing(60_000, 20_000)).toEqual({ photos: 0, notes: 0 });

    await library.photos.relocate('p1', { path: '/p/back.jpg', root: '/p', size: 1000, mtime_ms: 6 }, 'ok');
    expect((await library.photos.search(unit(1, 0, 0), { limit: 5 })).map((m) => m.photo.id)).toEqual(['p1']);

    await library.photos.markMissing(['p1'], 10_000);
    expect(await library.purgeMissing(60_000, 80_000)).toEqual({ photos: 1, notes: 0 });
    expect(await library.photos.get('p1')).toBeNull();
    expect(existsSync(library.thumbnailPath('thumbs/p1.jpg'))).toBe(false);
    expect(await library.links.list({ photoId: 'p1' })).toEqual([]);
    library.close();
  });

  it('replaces a note’s chunks in one commit and finds passages by meaning and by keyword', async () => {
    const { library } = await openFresh();
    await library.notes.replace([
      {
        noteId: 'trip',
        chunks: [noteChunk('trip', 0, 'We walked the dog along the beach', unit(1, 0, 0)), noteChunk('trip', 1, 'Snow on the mountains', unit(0, 0, 1))],
      },
      { noteId: 'recipes', chunks: [noteChunk('recipes', 0, 'Tomato soup with basil', unit(0, 1, 0), { chunk_count: 1 })] },
    ]);
    await library.optimize();
    expect((await library.notes.searchText('beach', 5)).map((m) => m.chunk.id)).toEqual(['trip:0']);
    expect((await library.notes.searchVector(unit(0, 0.1, 1), 1)).map((m) => m.chunk.id)).toEqual(['trip:1']);

    await library.notes.replace([{ noteId: 'trip', chunks: [noteChunk('trip', 0, 'Only one passage now', unit(1, 0, 0), { chunk_count: 1 })] }]);
    expect((await library.notes.chunks('trip')).map((c) => c.text)).toEqual(['Only one passage now']);
    expect((await library.notes.chunks('recipes')).length).toBe(1);
    expect((await library.notes.searchText('passage', 5)).map((m) => m.chunk.id)).toEqual(['trip:0']);
    expect(await library.notes.countNotes()).toBe(2);
    library.close();
  });

  it('links idempotently and unlinks', async () => {
    const { library } = await openFresh();
    const first = await library.links.add('p', 'n', 'suggestion', 1);
    const again = await library.links.add('p', 'n', 'user', 2);
    expect(again).toEqual(first);
    expect(await library.links.remove('p', 'n')).toBe(true);
    expect(await library.links.remove('p', 'n')).toBe(false);
    library.close();
  });

  it('marks vectors stale when the model changes, re-shapes the vector column on a new dimension, and keeps links', async () => {
    const { library, dir } = await openFresh();
    await library.photos.upsert([photoRow({ id: 'p1', path: '/p/1.jpg', root: '/p', vector: unit(1, 0, 0) })]);
    await library.links.add('p1', 'n1', 'user');
    library.close();

    const sameDim = await Library.open({ dir, model: { id: 'other-model', dim: 3 } });
    expect(sameDim.modelChanged).toBe(true);
    expect((await sameDim.photos.get('p1'))!.status).toBe('stale');
    sameDim.close();

    const wider = await Library.open({ dir, model: { id: 'wide-model', dim: 5 } });
    expect(wider.modelChanged).toBe(true);
    const row = await wider.photos.get('p1');
    expect(row!.vector).toBeNull();
    await wider.photos.upsert([{ ...row!, vector: unit(0, 1, 0, 0, 0), model_id: 'wide-model', status: 'ok' }]);
    expect((await wider.photos.search(unit(0, 1, 0, 0, 0), { limit: 1 }))[0]!.photo.id).toBe('p1');
    expect((await wider.links.list({ photoId: 'p1' })).length).toBe(1);
    wider.close();

    const reopened = await Library.open({ dir, model: { id: 'wide-model', dim: 5 } });
    expect(reopened.modelChanged).toBe(false);
    expect((await reopened.photos.get('p1'))!.status).toBe('ok');
    reopened.close();
  });

  it('builds an ANN index once past the threshold and still finds what exact search finds', async () => {
    const dir = tempDir('ann');
    dirs.push(dir.remove);
    const dim = 16;
    const policy = { ...DEFAULT_VECTOR_INDEX_POLICY, minRows: 500 };
    const library = await Library.open({ dir: dir.path, model: { id: 'test-model', dim }, vectorIndex: policy });
    const vectors = new SyntheticVectors(dim, 20, 1 / Math.sqrt(dim));
    const stored = Array.from({ length: 600 }, () => vectors.next());
    await library.photos.upsert(stored.slice(0, 400).map((vector, i) => photoRow({ id: `p${i}`, path: `/p/${i}.jpg`, root: '/p', vector })));
    await library.optimize();
    expect(await hasVectorIndex(library.photos.table)).toBe(false);
    await library.photos.upsert(stored.slice(400).map((vector, i) => photoRow({ id: `p${400 + i}`, path: `/p/${400 + i}.jpg`, root: '/p', vector })));
    await library.optimize();
    await library.vectorIndexesSettled();
    expect(await hasVectorIndex(library.photos.table)).toBe(true);

    let hits = 0;
    let hitsInPage = 0;
    for (let q = 0; q < 20; q++) {
      const probe = vectors.near(stored[q * 29]!, 0.2);
      const exact = await nearest(library.photos.table, probe, null, policy, 10).select(['id', '_distance']).toArray();
      const truth = new Set(exact.map((row) => String(row.id)));
      hits += (await library.photos.search(probe, { limit: 10 })).filter((match) => truth.has(match.photo.id)).length;
      // A page of results re-scores fewer candidates per result (refineFactorFor); its first ten must not suffer.
      hitsInPage += (await library.photos.search(probe, { limit: 120 })).slice(0, 10).filter((match) => truth.has(match.photo.id)).length;
    }
    expect(hits / 200).toBeGreaterThanOrEqual(0.95);
    expect(hitsInPage / 200).toBeGreaterThanOrEqual(0.95);
    library.close();
  });
});
