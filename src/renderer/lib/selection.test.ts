import { describe, expect, it } from 'vitest';
import type { PhotoSummary } from '../../shared/dto.ts';
import { fetchRange, loadedSource, pagedSource, SelectionModel } from './selection.ts';

const photos: PhotoSummary[] = Array.from({ length: 10 }, (_, i) => ({
  id: `p${i}`,
  path: `/photos/${i}.jpg`,
  fileName: `${i}.jpg`,
  folder: '/photos',
  width: 4,
  height: 3,
  takenAt: null,
  camera: null,
}));
const source = loadedSource(() => photos);
const ids = (list: readonly PhotoSummary[]) => list.map((p) => p.id);

async function shiftClick(model: SelectionModel, index: number): Promise<void> {
  const { start, end, select } = model.rangeTo(index, photos[index]!.id);
  model.setRange(await source.photosIn(start, end), select, index);
}

describe('selection of a grid', () => {
  it('toggles single photos and counts them', async () => {
    const model = new SelectionModel();
    model.toggle(photos[2]!, 2);
    model.toggle(photos[5]!, 5);
    expect(model.count(10)).toBe(2);
    model.toggle(photos[2]!, 2);
    expect(ids(await model.photos(source))).toEqual(['p5']);
    expect(model.anchor).toBe(2);
  });

  it('shift-click selects the range from the last clicked item, in either direction', async () => {
    const model = new SelectionModel();
    model.toggle(photos[2]!, 2);
    await shiftClick(model, 5);
    expect(ids(await model.photos(source)).sort()).toEqual(['p2', 'p3', 'p4', 'p5']);
    await shiftClick(model, 0);
    expect(model.count(10)).toBe(6);
    expect(model.anchor).toBe(0);
  });

  it('shift-click on a selected photo deselects the range, and without an anchor is a toggle', async () => {
    const model = new SelectionModel();
    await shiftClick(model, 3);
    expect(ids(await model.photos(source))).toEqual(['p3']);
    await shiftClick(model, 6);
    expect(model.count(10)).toBe(4);
    model.toggle(photos[8]!, 8);
    model.toggle(photos[8]!, 8);
    await shiftClick(model, 4);
    expect(ids(await model.photos(source)).sort()).toEqual(['p3']);
  });

  it('selects all without the photos, takes some out, and lists the rest in grid order', async () => {
    const model = new SelectionModel();
    model.selectAll();
    expect(model.count(100_000)).toBe(100_000);
    model.toggle(photos[1]!, 1);
    expect(model.has('p1')).toBe(false);
    expect(model.has('p7')).toBe(true);
    await shiftClick(model, 3);
    expect(model.count(10)).toBe(7);
    expect(ids(await model.photos(source))).toEqual(['p0', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
    model.clear();
    expect(model.count(10)).toBe(0);
    expect(model.anchor).toBeNull();
  });

  it('fetches a range page by page, in order, whatever order the pages arrive in', async () => {
    const asked: [number, number][] = [];
    const range = await fetchRange(1, 10, 4, async (offset, limit) => {
      asked.push([offset, limit]);
      await new Promise((resolve) => setTimeout(resolve, offset === 1 ? 20 : 0));
      return photos.slice(offset, offset + limit);
    });
    expect(ids(range)).toEqual(ids(photos.slice(1, 10)));
    expect(asked.sort((a, b) => a[0] - b[0])).toEqual([
      [1, 4],
      [5, 4],
      [9, 1],
    ]);
  });

  it('uses the loaded photos of a paged list and fetches a range with gaps', async () => {
    const fetched: number[] = [];
    const paged = pagedSource({
      total: () => photos.length,
      photoAt: (index) => (index < 4 ? photos[index] : undefined),
      fetchPage: async (offset, limit) => (fetched.push(offset), photos.slice(offset, offset + limit)),
      pageSize: 3,
    });
    expect(ids(await paged.photosIn(1, 4))).toEqual(['p1', 'p2', 'p3']);
    expect(fetched).toEqual([]);
    const model = new SelectionModel();
    model.selectAll();
    model.toggle(photos[0]!, 0);
    expect(ids(await model.photos(paged))).toEqual(ids(photos.slice(1)));
    expect(fetched.sort((a, b) => a - b)).toEqual([0, 3, 6, 9]);
  });
});

describe('Shift+arrow', () => {
  async function shiftArrow(model: SelectionModel, from: number, to: number): Promise<void> {
    const range = model.keyRange(from, to);
    const dropped = (await Promise.all(range.dropped.map((r) => source.photosIn(r.start, r.end)))).flat();
    model.setKeyRange(range, await source.photosIn(range.start, range.end), dropped);
  }

  it('selects from the focused photo as it moves, and shrinks back when it steps back', async () => {
    const model = new SelectionModel();
    await shiftArrow(model, 2, 3);
    await shiftArrow(model, 3, 4);
    expect(ids(await model.photos(source)).sort()).toEqual(['p2', 'p3', 'p4']);
    await shiftArrow(model, 4, 3);
    expect(ids(await model.photos(source)).sort()).toEqual(['p2', 'p3']);
    await shiftArrow(model, 3, 0);
    expect(ids(await model.photos(source)).sort()).toEqual(['p0', 'p1', 'p2']);
    expect(model.anchor).toBe(2);
  });

  it('extends from the photo last clicked, and keeps what was selected before outside its range', async () => {
    const model = new SelectionModel();
    model.toggle(photos[8]!, 8);
    model.toggle(photos[5]!, 5);
    await shiftArrow(model, 5, 6);
    expect(ids(await model.photos(source)).sort()).toEqual(['p5', 'p6', 'p8']);
    await shiftArrow(model, 6, 5);
    expect(ids(await model.photos(source)).sort()).toEqual(['p5', 'p8']);
  });
});
