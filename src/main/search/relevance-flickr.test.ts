/**
 * Honest relevance with the embedded model over the 125 full-size Flickr 8k test photos (in ../shared, never
 * copied): a clear query keeps its matches above the divider, nonsense has none, `−` moves the ranking, and bad
 * input gets an answer. Skipped, with a message, where ../shared or the model's backbone is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Indexer } from '../indexing/indexer.ts';
import { tempDir } from '../indexing/testing/fixtures.ts';
import { Library } from '../library/library.ts';
import { backboneCandidates, loadBackboneSpec } from '../model/backbone.ts';
import { embeddedModelDir, loadTextEmbedder } from '../model/embedder.ts';
import type { TextEmbedder } from '../model/embedder-types.ts';
import { sharedPath, skipForMissingData } from '../model/testing/shared-data.ts';
import { searchContext, type SearchContext } from './context.ts';
import { explainMatch, searchPhotosByQuery } from './photo-search.ts';

const photos = sharedPath('datasets', 'flickr8k-test-fullres');
const captionsFile = sharedPath('datasets', 'flickr8k', 'Flickr8k.token.txt');
const modelReady =
  existsSync(join(embeddedModelDir(), 'model.json')) && backboneCandidates(loadBackboneSpec('mobilenetv2-12-int8')).some((path) => existsSync(path));
if (!modelReady) skipForMissingData('relevance on Flickr photos', 'the embedded model (models/subspace-masan-v2.3 and its backbone) is not available.');

describe.skipIf(!photos || !captionsFile || !modelReady)('good matches with the embedded model on Flickr 8k test photos', () => {
  const dir = tempDir('relevance-flickr');
  const captions = new Map<string, string[]>();
  let library: Library;
  let embedder: TextEmbedder;
  let ctx: SearchContext;

  const mentions = (path: string, words: string[]) =>
    (captions.get(path.split('/').at(-1)!) ?? []).some((caption) => words.some((word) => new RegExp(`\\b${word}`, 'i').test(caption)));

  beforeAll(async () => {
    for (const line of readFileSync(captionsFile!, 'utf8').split('\n')) {
      const [key, text] = line.split('\t');
      const name = key?.split('#')[0];
      if (name && text && existsSync(join(photos!, name))) captions.set(name, [...(captions.get(name) ?? []), text]);
    }
    embedder = await loadTextEmbedder({ threads: 2 });
    library = await Library.open({ dir: join(dir.path, 'library'), model: { id: embedder.modelId, dim: embedder.dim } });
    const indexer = new Indexer({ library, watch: false });
    await indexer.addRoot('photos', photos!);
    await indexer.idle();
    await indexer.close();
    ctx = searchContext(library, embedder);
  }, 600_000);

  afterAll(async () => {
    await embedder?.close();
    library?.close();
    dir.remove();
  });

  it('keeps the matches of a clear query above the divider, good ones first', async () => {
    const { items, reading } = await searchPhotosByQuery(ctx, 'a dog running through the grass', { limit: 60 });
    expect(reading?.cutoff).toBe('measured');
    const good = items.filter((hit) => hit.good);
    expect(good.length).toBeGreaterThanOrEqual(3);
    expect(items.slice(0, good.length).every((hit) => hit.good)).toBe(true);
    expect(good.filter((hit) => mentions(hit.photo.path, ['dog', 'pupp'])).length / good.length).toBeGreaterThanOrEqual(0.8);
    expect(items.length).toBeGreaterThan(good.length);
    const recognised = good.flatMap((hit) => hit.recognised ?? []);
    expect(recognised.length, 'the concept channel names what it recognised in the good matches').toBeGreaterThan(0);
    expect(items.filter((hit) => !hit.good).every((hit) => hit.recognised === undefined)).toBe(true);
  });

  it('explains each result as the results say it: good or not, the same concepts, and what a subtracted term ranked down', async () => {
    const query = 'a dog running through the grass';
    const { items } = await searchPhotosByQuery(ctx, query, { limit: 40 });
    for (const hit of [items[0]!, items.at(-1)!]) {
      const why = await explainMatch(ctx, query, hit.photo.id);
      expect(why.good).toBe(hit.good);
      expect(why.recognised).toEqual(hit.recognised ?? []);
      expect(why.demoted).toBe(false);
    }
    // Every photo of the library (125) is a candidate of this page, so every demoted one is among its items.
    const minus = await searchPhotosByQuery(ctx, 'water − dog', { limit: 200 });
    const whys = await Promise.all(minus.items.map((hit) => explainMatch(ctx, 'water − dog', hit.photo.id)));
    expect(whys.filter((why) => why.demoted).length).toBe(minus.reading!.demoted);
    expect(whys.map((why) => why.good)).toEqual(minus.items.map((hit) => hit.good));
    await expect(explainMatch(ctx, 'water', 'no-such-photo')).rejects.toThrow(/not in the library/);
  });

  it('finds no good match for nonsense, names the unknown words, and still returns the nearest photos', async () => {
    const { items, reading } = await searchPhotosByQuery(ctx, 'xqzvw plorf', { limit: 20 });
    expect(reading?.unknownWords).toEqual(['xqzvw', 'plorf']);
    expect(items.length).toBe(20);
    expect(items.some((hit) => hit.good)).toBe(false);
  });

  it('answers emoji, another script, stop words only and a 10,000-character query without a crash', async () => {
    for (const query of ['🦄🦄', 'の写真', 'собака на пляже', 'the of and', 'a the them']) {
      const { items } = await searchPhotosByQuery(ctx, query, { limit: 10 });
      expect(items.length, query).toBe(10);
      expect(items.some((hit) => hit.good), query).toBe(false);
    }
    const long = await searchPhotosByQuery(ctx, 'a dog on the grass '.repeat(530), { limit: 10 });
    expect(long.items.length).toBe(10);
  });

  it('moves photos of a subtracted thing down: water − dog', async () => {
    const dogs = async (query: string) => {
      const { items, reading } = await searchPhotosByQuery(ctx, query, { limit: 10 });
      return { count: items.filter((hit) => mentions(hit.photo.path, ['dog'])).length, reading };
    };
    const plain = await dogs('water');
    const minus = await dogs('water − dog');
    expect(minus.reading?.terms).toEqual([
      { sign: 1, text: 'water' },
      { sign: -1, text: 'dog' },
    ]);
    expect(minus.reading?.demoted).toBeGreaterThan(0);
    expect(minus.count).toBeLessThan(plain.count);
  });

  it('keeps dog photos above the divider for a short query such as "a dog"', async () => {
    const { items } = await searchPhotosByQuery(ctx, 'a dog', { limit: 60 });
    const good = items.filter((hit) => hit.good);
    expect(good.length).toBeGreaterThanOrEqual(3);
    expect(good.filter((hit) => mentions(hit.photo.path, ['dog', 'pupp'])).length / good.length).toBeGreaterThanOrEqual(0.9);
  });
});
