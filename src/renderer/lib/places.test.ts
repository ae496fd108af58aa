import { describe, expect, it } from 'vitest';
import { PlaceBook, entryOf, newEntry, type KeyValueStore } from './places.ts';

/** sessionStorage as the browser behaves: strings in, strings out, optionally full. */
class MemoryStorage implements KeyValueStore {
  readonly data = new Map<string, string>();
  full = false;
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new Error('QuotaExceededError');
    this.data.set(key, String(value));
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

describe('places kept per history entry', () => {
  it('gives back the place kept for an entry, across a new book over the same storage (a reload)', () => {
    const storage = new MemoryStorage();
    new PlaceBook(storage).write('e1', { route: '#/search?q=dogs', scrollTop: 812, count: 240 });
    expect(new PlaceBook(storage).read('e1', '#/search?q=dogs')).toEqual({ route: '#/search?q=dogs', scrollTop: 812, count: 240 });
  });

  it('keeps one place per entry: the latest write wins, other entries are untouched', () => {
    const book = new PlaceBook(new MemoryStorage());
    book.write('e1', { route: '#/library', scrollTop: 10 });
    book.write('e2', { route: '#/library', scrollTop: 99 });
    book.write('e1', { route: '#/library', scrollTop: 20 });
    expect(book.read('e1', '#/library')?.scrollTop).toBe(20);
    expect(book.read('e2', '#/library')?.scrollTop).toBe(99);
  });

  it('ignores a place kept for another screen shown in the same entry (a new query typed over the old)', () => {
    const book = new PlaceBook(new MemoryStorage());
    book.write('e1', { route: '#/search?q=dog', scrollTop: 500 });
    expect(book.read('e1', '#/search?q=dogs')).toBeNull();
  });

  it('forgets the oldest entries past its limit', () => {
    const storage = new MemoryStorage();
    const book = new PlaceBook(storage, 3);
    for (const entry of ['a', 'b', 'c', 'd']) book.write(entry, { route: '#/library', scrollTop: 1 });
    expect(book.read('a', '#/library')).toBeNull();
    expect(book.read('d', '#/library')).not.toBeNull();
    expect([...storage.data.keys()].filter((key) => key.startsWith('subspace.place.'))).toHaveLength(3);
  });

  it('reads damaged or foreign values as no place, and survives a full storage', () => {
    const storage = new MemoryStorage();
    storage.setItem('subspace.place.x', '{not json');
    storage.setItem('subspace.place.y', JSON.stringify({ route: '#/library', scrollTop: -5 }));
    storage.setItem('subspace.places', '"oops"');
    const book = new PlaceBook(storage);
    expect(book.read('x', '#/library')).toBeNull();
    expect(book.read('y', '#/library')).toBeNull();
    storage.full = true;
    expect(() => book.write('z', { route: '#/library', scrollTop: 3 })).not.toThrow();
    expect(book.read('z', '#/library')).toBeNull();
  });
});

describe('history entry keys', () => {
  it('reads the key from history.state, and nothing from a state without one', () => {
    const entry = newEntry();
    expect(entryOf({ depth: 2, entry })).toBe(entry);
    expect(entryOf(null)).toBeNull();
    expect(entryOf({ depth: 1 })).toBeNull();
    expect(entryOf({ entry: 7 })).toBeNull();
  });

  it('draws distinct keys', () => {
    expect(new Set(Array.from({ length: 100 }, newEntry)).size).toBe(100);
  });
});
