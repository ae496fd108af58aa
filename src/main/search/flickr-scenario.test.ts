/**
 * The acceptance scenario with the embedded model: index the 125 full-size Flickr 8k test photos
 * (in ../shared, never copied) and a notes folder, then search by meaning. Skipped, with a message, where
 * ../shared or the embedded model's backbone is absent (a fresh clone has neither).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Indexer } from '../indexing/indexer.ts';
import { tempDir } from '../indexing/testing/fixtures.ts';
import { Library } from '../library/library.ts';
import { backboneCandidates, loadBackboneSpec } from '../model/backbone.ts';
import { embeddedModelDir, loadEmbedder } from '../model/embedder.ts';
import type { Embedder } from '../model/embedder-types.ts';
import { sharedPath, skipForMissingData } from '../model/testing/shared-data.ts';
import { searchContext, type SearchContext } from './context.ts';
import { linkSuggestions } from './links.ts';
import { notesForPhoto, searchNotes } from './note-search.ts';
import { searchPhotosByText } from './photo-search.ts';

/** By its real path, as the library stores it (`../shared` may be a symbolic link). */
const shared = sharedPath('datasets', 'flickr8k-test-fullres');
const photos = shared && existsSync(shared) ? realpathSync(shared) : shared;
const captionsFile = sharedPath('datasets', 'flickr8k', 'Flickr8k.token.txt');
const modelReady =
  existsSync(join(embeddedModelDir(), 'model.json')) && backboneCandidates(loadBackboneSpec('mobilenetv2-12-int8')).some((path) => existsSync(path));
if (!modelReady) skipForMissingData('the Flickr scenario', 'the embedded model (models/subspace-masan-v2.3 and its backbone) is not available.');

const NOTES: Record<string, string> = {
  'park.md': '# Saturday at the park\n\nOur dog ran through the grass after the ball, then the brown dog jumped over a log.',
  'winter.md': '# Winter holiday\n\nThe children played in the snow all afternoon and built a snowman.',
  'cycling.md': '# Cycling trip\n\nA man rode his bicycle down a dirt track in the mountains.',
  'summer.md': '# Summer\n\nThe kids swam in the ocean and played in the sand on the beach.',
  'recipes.md': '# Recipes\n\nTomato soup: simmer the tomatoes with garlic and basil for twenty minutes.',
};

describe.skipIf(!photos || !captionsFile || !modelReady)('Flickr 8k test photos with the embedded model', () => {
  const dir = tempDir('flickr');
  const captions = new Map<string, string[]>();
  let library: Library;
  let embedder: Embedder;
  let ctx: SearchContext;

  const mentions = (path: string, word: string) => (captions.get(path.split('/').at(-1)!) ?? []).some((t) => t.toLowerCase().includes(word));

  beforeAll(async () => {
    for (const line of readFileSync(captionsFile!, 'utf8').split('\n')) {
      const [key, text] = line.split('\t');
      if (!key || !text) continue;
      const name = key.split('#')[0]!;
      if (existsSync(join(photos!, name))) captions.set(name, [...(captions.get(name) ?? []), text]);
    }
    const notes = join(dir.path, 'notes');
    mkdirSync(notes);
    for (const [file, text] of Object.entries(NOTES)) writeFileSync(join(notes, file), text);
    embedder = await loadEmbedder({ threads: 2 });
    library = await Library.open({ dir: join(dir.path, 'library'), model: { id: embedder.modelId, dim: embedder.dim } });
    const indexer = new Indexer({ library, watch: false });
    await indexer.addRoot('photos', photos!);
    await indexer.addRoot('notes', notes);
    await indexer.idle();
    expect(indexer.progress).toMatchObject({ phase: 'done', failed: 0 });
    await indexer.close();
    ctx = searchContext(library, embedder);
  });

  afterAll(async () => {
    await embedder?.close();
    library?.close();
    dir.remove();
  });

  it('indexes all 125 photos', async () => {
    expect(await library.photos.count("status = 'ok'")).toBe(125);
  });

  it('finds dog photos first for "a dog running through the grass"', async () => {
    const { items } = await searchPhotosByText(ctx, 'a dog running through the grass', { limit: 5 });
    expect(mentions(items[0]!.photo.path, 'dog')).toBe(true);
    expect(items.filter((hit) => mentions(hit.photo.path, 'dog')).length).toBeGreaterThanOrEqual(4);
  });

  it('suggests the note about what a photo shows', async () => {
    // A photo is about a topic when every caption names one of its words and none names another topic's.
    const topics: Record<string, string[]> = {
      'park.md': ['dog'],
      'winter.md': ['snow'],
      'cycling.md': ['bike', 'bicycle', 'cyclist'],
      'summer.md': ['beach', 'ocean', 'sand', 'swim'],
    };
    const about = (texts: string[], words: string[]) => texts.every((t) => words.some((w) => t.toLowerCase().includes(w)));
    const mentionsAny = (texts: string[], words: string[]) => texts.some((t) => words.some((w) => t.toLowerCase().includes(w)));
    let photosTried = 0;
    let first = 0;
    let inTopTwo = 0;
    for (const [name, texts] of captions) {
      const topic = Object.keys(topics).find(
        (note) => about(texts, topics[note]!) && !Object.entries(topics).some(([other, words]) => other !== note && mentionsAny(texts, words)),
      );
      if (!topic) continue;
      photosTried++;
      const id = (await library.photos.getByPath(join(photos!, name)))!.id;
      const names = (await notesForPhoto(ctx, id, { limit: 2 })).items.map((hit) => hit.note.path.split('/').at(-1));
      if (names[0] === topic) first++;
      if (names.includes(topic)) inTopTwo++;
    }
    expect(photosTried).toBeGreaterThanOrEqual(15);
    expect(first / photosTried).toBeGreaterThanOrEqual(0.7);
    expect(inTopTwo / photosTried).toBeGreaterThanOrEqual(0.85);
  });

  it('suggests links above the calibrated threshold, mostly between a photo and the note about it', async () => {
    const words: Record<string, string[]> = { 'park.md': ['dog'], 'winter.md': ['snow'], 'cycling.md': ['bike', 'bicycl'], 'summer.md': ['beach', 'ocean', 'sand', 'water'] };
    const suggestions = await linkSuggestions(ctx, { limit: 20 });
    expect(suggestions.length).toBeGreaterThanOrEqual(5);
    const fitting = suggestions.filter((s) => (words[s.note.path.split('/').at(-1)!] ?? []).some((w) => mentions(s.photo.path, w)));
    expect(fitting.length / suggestions.length).toBeGreaterThanOrEqual(0.7);
    expect(suggestions.every((s) => s.similarity >= ctx.calibration!.suggestThreshold)).toBe(true);
  });

  it('finds notes by keyword and by meaning', async () => {
    expect((await searchNotes(ctx, 'snowman', { limit: 1 })).items[0]!.note.path.endsWith('winter.md')).toBe(true);
    expect((await searchNotes(ctx, 'a bike ride in the hills', { limit: 1 })).items[0]!.note.path.endsWith('cycling.md')).toBe(true);
    expect((await searchNotes(ctx, 'cold weather fun with the family', { limit: 1 })).items[0]!.note.path.endsWith('winter.md')).toBe(true);
  });
});
