import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conceptVector, loadConceptMap, type ConceptMap } from './concepts.ts';

const dir = mkdtempSync(join(tmpdir(), 'subspace-concepts-'));

function writeMap(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

const classes = ['golden retriever', 'tabby', 'teddy', 'brown bear', 'school bus', 'zebra'].map((name, i) => ({
  wnid: `n0000000${i}`,
  name,
}));
const dog: [number, number][] = [[0, 0.97]];
const bear: [number, number][] = [[3, 1]];
const teddy: [number, number][] = [[2, 1]];
const map = {
  version: 1,
  classes,
  // As build_concepts.py writes it: plural surface forms carry their lemma's vector.
  words: { dog, dogs: dog, bear, bears: bear, teddy, cat: [[1, 0.95]], zebra: [[5, 1]], bus: [[4, 1]], buses: [[4, 1]] },
  phrases: { 'teddy bear': teddy, 'teddy bears': teddy, 'golden retriever': [[0, 1]], 'big brown bear': [[3, 0.5]] },
};

async function load(): Promise<ConceptMap> {
  return loadConceptMap(writeMap('concepts.json', map));
}

const dense = (v: Float32Array): number[] => Array.from(v, (x) => Math.round(x * 1e4) / 1e4);

describe('conceptVector', () => {
  it('has one value per class and sums the words it knows', async () => {
    const m = await load();
    const v = conceptVector(m, 'A dog chases a cat past the school bus.');
    expect(v).toHaveLength(classes.length);
    expect(dense(v)).toEqual([0.97, 0.95, 0, 0, 1, 0]);
  });

  it('finds plurals through the surface forms the map lists', async () => {
    const m = await load();
    expect(dense(conceptVector(m, 'two dogs near buses'))).toEqual([0.97, 0, 0, 0, 1, 0]);
    expect(dense(conceptVector(m, 'zebras'))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('counts each concept once however often and in whatever form it appears', async () => {
    const m = await load();
    expect(dense(conceptVector(m, 'dog dog DOG, a dog and two dogs'))).toEqual([0.97, 0, 0, 0, 0, 0]);
  });

  it('lets a phrase consume its words', async () => {
    const m = await load();
    expect(dense(conceptVector(m, 'a teddy bear'))).toEqual([0, 0, 1, 0, 0, 0]);
    expect(dense(conceptVector(m, 'Teddy bears and a bear'))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(dense(conceptVector(m, 'a golden retriever and a dog'))).toEqual([1.97, 0, 0, 0, 0, 0]);
    expect(dense(conceptVector(m, 'a big brown bear'))).toEqual([0, 0, 0, 0.5, 0, 0]);
    expect(dense(conceptVector(m, 'the golden-retriever'))).toEqual([1, 0, 0, 0, 0, 0]);
  });

  it('ignores unknown words, emoji, digits and scripts the map does not have', async () => {
    const m = await load();
    for (const text of ['', '   ', 'xqzvw', '😀🐶🚌', '12345', 'собака на улице', '狗', '\u0000\t\ufffd']) {
      expect(dense(conceptVector(m, text))).toEqual([0, 0, 0, 0, 0, 0]);
    }
    expect(dense(conceptVector(m, '🐶dog🐶'))).toEqual([0.97, 0, 0, 0, 0, 0]);
  });

  it('folds case and accents', async () => {
    const m = await load();
    expect(dense(conceptVector(m, 'ZÉBRA'))).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('handles 10,000 characters', async () => {
    const m = await load();
    const long = 'a dog and a teddy bear '.repeat(440).slice(0, 10_000);
    expect(long).toHaveLength(10_000);
    expect(dense(conceptVector(m, long))).toEqual([0.97, 0, 1, 0, 0, 0]);
    expect(dense(conceptVector(m, 'x'.repeat(10_000)))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('loadConceptMap', () => {
  it('refuses class indices past the class list', async () => {
    const bad = { ...map, words: { dog: [[classes.length, 1]] } };
    await expect(loadConceptMap(writeMap('bad-index.json', bad))).rejects.toThrow(/out of range/);
  });

  it('refuses another version or a malformed entry', async () => {
    await expect(loadConceptMap(writeMap('v2.json', { ...map, version: 2 }))).rejects.toThrow();
    await expect(loadConceptMap(writeMap('neg.json', { ...map, words: { dog: [[0, -1]] } }))).rejects.toThrow();
  });
});
