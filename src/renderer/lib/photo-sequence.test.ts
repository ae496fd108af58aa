import { describe, expect, it } from 'vitest';
import type { PhotoSummary } from '../../shared/dto.ts';
import { SEQUENCE_PAGE, locate, pagesAround, pagesOf, withoutOrigin, type LoadPage } from './photo-sequence.ts';

function photo(id: string): PhotoSummary {
  return { id, path: `/p/${id}.jpg`, fileName: `${id}.jpg`, folder: '/p', width: 10, height: 10, takenAt: null, camera: null };
}

const list = (n: number, prefix = 'p') => Array.from({ length: n }, (_, i) => photo(`${prefix}${i}`));
const signal = new AbortController().signal;

async function readAll(load: LoadPage, limit: number): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await load(offset, limit, signal);
    ids.push(...page.photos.map((p) => p.id));
    if (!page.more || page.photos.length === 0) return ids;
  }
}

describe('pages to read around a photo', () => {
  it('reads the page of the photo and the neighbouring page it touches', () => {
    expect(pagesAround(0, 2, new Set(), null)).toEqual([0]);
    expect(pagesAround(SEQUENCE_PAGE - 1, 2, new Set(), null)).toEqual([0, 1]);
    expect(pagesAround(SEQUENCE_PAGE, 2, new Set(), null)).toEqual([0, 1]);
    expect(pagesAround(SEQUENCE_PAGE * 3 + 50, 2, new Set(), null)).toEqual([3]);
  });

  it('skips pages at hand and pages past the end', () => {
    expect(pagesAround(SEQUENCE_PAGE - 1, 2, new Set([0]), null)).toEqual([1]);
    expect(pagesAround(SEQUENCE_PAGE - 1, 2, new Set(), SEQUENCE_PAGE)).toEqual([0]);
  });
});

describe('finding the photo in its list', () => {
  const photos = list(10);
  const at = (i: number) => photos[i];
  it('trusts the position from the URL when it still holds the photo', () => {
    expect(locate('p4', 4, at, photos.keys())).toBe(4);
  });

  it('finds the photo nearest the old position when the list has moved', () => {
    expect(locate('p4', 6, at, photos.keys())).toBe(4);
  });

  it('says when the photo is not among the photos at hand', () => {
    expect(locate('gone', 3, at, photos.keys())).toBeNull();
  });
});

describe('a list held whole', () => {
  it('is served by pages', async () => {
    expect(await readAll(pagesOf(list(7)), 3)).toEqual(list(7).map((p) => p.id));
  });
});

describe('similar photos without the photo they are like', () => {
  const search = (photos: PhotoSummary[]): LoadPage => pagesOf(photos);

  it('drops the origin where it ranks first, and shifts the later pages', async () => {
    const raw = [photo('origin'), ...list(25)];
    expect(await readAll(withoutOrigin('origin', search(raw)), 10)).toEqual(list(25).map((p) => p.id));
  });

  it('drops the origin where a tie ranks it later', async () => {
    const raw = [photo('twin'), photo('origin'), ...list(12)];
    expect(await readAll(withoutOrigin('origin', search(raw)), 5)).toEqual(['twin', ...list(12).map((p) => p.id)]);
  });

  it('keeps every photo when the filters leave the origin out', async () => {
    expect(await readAll(withoutOrigin('origin', search(list(12))), 5)).toEqual(list(12).map((p) => p.id));
  });

  it('reads a later page first, as after a reload deep in the list', async () => {
    const raw = [photo('origin'), ...list(30)];
    const load = withoutOrigin('origin', search(raw));
    expect((await load(20, 5, signal)).photos.map((p) => p.id)).toEqual(['p20', 'p21', 'p22', 'p23', 'p24']);
  });
});
