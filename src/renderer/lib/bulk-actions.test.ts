import { describe, expect, it } from 'vitest';
import type { PhotoSummary } from '../../shared/dto.ts';
import { batches, onePerFolder } from './bulk-actions.ts';

const photo = (id: string, folder: string): PhotoSummary => ({
  id,
  path: `${folder}/${id}.jpg`,
  fileName: `${id}.jpg`,
  folder,
  width: 1,
  height: 1,
  takenAt: null,
  camera: null,
});

describe('bulk actions', () => {
  it('cuts a selection into batches the API takes', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 2)).toEqual([]);
  });

  it('reveals one photo per folder, the first of each, at most so many folders', () => {
    const photos = [photo('a', '/x'), photo('b', '/y'), photo('c', '/x'), photo('d', '/z')];
    expect(onePerFolder(photos, 5)).toEqual({ photos: [photos[0], photos[1], photos[3]], folders: 3 });
    expect(onePerFolder(photos, 2)).toEqual({ photos: [photos[0], photos[1]], folders: 3 });
  });
});
