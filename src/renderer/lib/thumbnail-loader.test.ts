import { describe, expect, it } from 'vitest';
import { ThumbnailLoader, type FetchThumbnails } from './thumbnail-loader.ts';

const url = (id: string) => `data:image/jpeg;base64,${Buffer.from(id).toString('base64')}`;

/** `photos.thumbnails` as the service answers it: known ids get a URL, the rest null; every call is recorded. */
function library(known: (id: string) => boolean = () => true) {
  const calls: string[][] = [];
  let open = 0;
  let mostOpen = 0;
  let failNext = false;
  const fetch: FetchThumbnails = async (ids) => {
    calls.push(ids);
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    await new Promise((resolve) => setTimeout(resolve, 5));
    open -= 1;
    if (failNext) {
      failNext = false;
      throw new Error('The library service is not reachable.');
    }
    return ids.map((id) => (known(id) ? url(id) : null));
  };
  return {
    fetch,
    calls,
    mostOpen: () => mostOpen,
    failOnce: () => (failNext = true),
  };
}

function loadAll(loader: ThumbnailLoader, ids: string[]): Promise<(string | null)[]> {
  return Promise.all(ids.map((id) => new Promise<string | null>((resolve) => loader.load(id, resolve))));
}

const ids = (count: number, prefix = 'p') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('ThumbnailLoader', () => {
  it('asks for a screenful in a few requests, the photos asked for last first, two requests at a time', async () => {
    const source = library();
    const loader = new ThumbnailLoader(source.fetch, { batch: 64, inFlight: 2, keptBytes: 1_000_000 });
    const wanted = ids(150);
    expect(await loadAll(loader, wanted)).toEqual(wanted.map(url));
    expect(source.calls.map((call) => call.length)).toEqual([64, 64, 22]);
    expect(source.calls[0]).toEqual(wanted.slice(-64));
    expect(source.mostOpen()).toBe(2);
  });

  it('never asks for a photo whose wish was withdrawn before its turn, and answers null for a photo without a thumbnail', async () => {
    const source = library((id) => id !== 'gone');
    const loader = new ThumbnailLoader(source.fetch);
    const seen: (string | null)[] = [];
    const withdraw = loader.load('scrolled-past', (thumbnail) => seen.push(thumbnail));
    withdraw();
    expect(await loadAll(loader, ['a', 'gone'])).toEqual([url('a'), null]);
    expect(source.calls).toEqual([['a', 'gone']]);
    expect(seen).toEqual([]);
  });

  it('keeps what it fetched: scrolling back asks for nothing, until the library changes', async () => {
    const source = library();
    const loader = new ThumbnailLoader(source.fetch);
    await loadAll(loader, ['a', 'b']);
    let again: string | null = null;
    loader.load('a', (thumbnail) => (again = thumbnail));
    expect(again).toBe(url('a'));
    expect(source.calls).toHaveLength(1);
    loader.forget();
    expect(await loadAll(loader, ['a'])).toEqual([url('a')]);
    expect(source.calls).toHaveLength(2);
  });

  it('lets the oldest go past its budget, and fetches again after a failed request', async () => {
    const source = library();
    const loader = new ThumbnailLoader(source.fetch, { batch: 64, inFlight: 2, keptBytes: url('a').length * 2 });
    await loadAll(loader, ['a']);
    await loadAll(loader, ['b']);
    await loadAll(loader, ['c']);
    expect(await loadAll(loader, ['b', 'c'])).toEqual([url('b'), url('c')]);
    expect(source.calls).toHaveLength(3);
    await loadAll(loader, ['a']);
    expect(source.calls.at(-1)).toEqual(['a']);
    source.failOnce();
    expect(await loadAll(loader, ['d'])).toEqual([null]);
    expect(await loadAll(loader, ['d'])).toEqual([url('d')]);
  });

  it('answers every cell that waits for the same photo from one request', async () => {
    const source = library();
    const loader = new ThumbnailLoader(source.fetch);
    expect(await loadAll(loader, ['a', 'a', 'a'])).toEqual([url('a'), url('a'), url('a')]);
    const inFlight = loadAll(loader, ['b']);
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(await Promise.all([inFlight, loadAll(loader, ['b'])])).toEqual([[url('b')], [url('b')]]);
    expect(source.calls).toEqual([['a'], ['b']]);
  });
});
