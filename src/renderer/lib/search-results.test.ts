import { describe, expect, it } from 'vitest';
import type { PhotoHit } from '../../shared/dto.ts';
import { goodCount, layoutResults, MORE_RESULTS } from './search-results.ts';

function hit(id: string, takenAt: string | null, good?: boolean): PhotoHit {
  const photo = { id, path: `/p/${id}.jpg`, fileName: `${id}.jpg`, folder: '/p', width: 4, height: 3, takenAt, camera: null };
  return good === undefined ? { photo, score: 0.5 } : { photo, score: 0.5, good };
}

const dayLabel = (day: string | null) => day ?? 'No date';
const hits = [
  hit('a', '2024-05-01T10:00:00.000Z', true),
  hit('b', '2024-06-02T10:00:00.000Z', true),
  hit('c', '2024-05-01T12:00:00.000Z', true),
  hit('d', '2024-07-01T10:00:00.000Z', false),
  hit('e', null, false),
];

describe('search result layout', () => {
  it('counts the good matches at the head, and says when it cannot tell', () => {
    expect(goodCount(hits)).toBe(3);
    expect(goodCount([hit('x', null)])).toBeNull();
    expect(goodCount([])).toBe(0);
  });

  it('puts the good matches first and the rest under "More results"', () => {
    const layout = layoutResults(hits, { order: 'relevance', showRest: false, dayLabel });
    expect(layout.groups).toEqual([
      { label: null, count: 3 },
      { label: MORE_RESULTS, count: 2 },
    ]);
    expect(layout.hits.map((h) => h.photo.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('sorts the good matches by date in day groups, newest first, the rest after them', () => {
    const layout = layoutResults(hits, { order: 'date', showRest: false, dayLabel });
    expect(layout.hits.map((h) => h.photo.id)).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(layout.groups.map((g) => g.count)).toEqual([1, 2, 2]);
    expect(layout.groups.at(-1)!.label).toBe(MORE_RESULTS);
  });

  it('hides the nearest photos of a query nothing matches until asked', () => {
    const none = hits.map((h) => ({ ...h, good: false }));
    expect(layoutResults(none, { order: 'relevance', showRest: false, dayLabel }).hits).toEqual([]);
    const shown = layoutResults(none, { order: 'relevance', showRest: true, dayLabel });
    expect(shown.groups).toEqual([{ label: null, count: 5 }]);
  });
});
