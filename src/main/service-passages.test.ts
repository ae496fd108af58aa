/**
 * Photo → notes through the service with the embedded model: a long journal note whose fifth paragraph describes
 * a dog photo is suggested for that photo, shown by that paragraph. Needs the embedded model's backbone and
 * three Flickr 8k test photos from ../shared (copied to a temp folder, never into the repository); skipped,
 * with a message, where they are absent.
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './indexing/testing/fixtures.ts';
import { backboneCandidates, loadBackboneSpec } from './model/backbone.ts';
import { sharedPath, skipForMissingData } from './model/testing/shared-data.ts';
import { openService, type Service } from './service.ts';
import { serviceCalls } from './service/test-calls.ts';

const flickr = sharedPath('datasets', 'flickr8k-test-fullres');
const backbone = backboneCandidates(loadBackboneSpec('mobilenetv2-12-int8')).some((path) => existsSync(path));
if (!backbone) skipForMissingData('photo → note passages', "the embedded model's backbone is not available.");

/** A black dog leaping at a rope toy; a girl jumping on the shore; a man in a beret on a bicycle. */
const PHOTOS = { dog: '1107246521_d16a476380.jpg', beach: '1174525839_7c1e6cfa86.jpg', bike: '2075321027_c8fcbaf581.jpg' };

const DOG = 'At the park a black dog leapt through the air to catch a rope toy, all four paws off the grass.';
const JOURNAL = [
  '# Saturday',
  '',
  'Slept badly again and woke before six. The flat was cold, so I made coffee and read the news on the sofa until it got light outside.',
  '',
  'Called my mother about the holidays. She wants everyone at her place this year, which means the long drive again and the spare room with the broken heater.',
  '',
  'The bank finally answered about the mortgage statement: the error was theirs, and the fee will be refunded next month.',
  '',
  'In the afternoon I walked to the market for bread, cheese and a bag of apples, and stopped for a while at the bookshop on the corner to look at the new novels.',
  '',
  DOG,
  '',
  'Dinner with Sam and Ines. We talked about work until late and made plans for the spring.',
  '',
].join('\n');

let service: Service;
const { call } = serviceCalls(() => service);
const dir = tempDir('service-passages');

describe.skipIf(!flickr || !backbone)('photo → notes with the embedded model', () => {
  beforeAll(async () => {
    const photos = join(dir.path, 'photos');
    const notes = join(dir.path, 'notes');
    mkdirSync(photos, { recursive: true });
    mkdirSync(notes, { recursive: true });
    for (const name of Object.values(PHOTOS)) copyFileSync(join(flickr!, name), join(photos, name));
    writeFileSync(join(notes, 'saturday.md'), JOURNAL);
    writeFileSync(join(notes, 'beach.md'), '# Beach week\n\nA girl jumped and twirled on the wet shore while small waves rolled in behind her.\n');
    writeFileSync(join(notes, 'soup.md'), '# Lentil soup\n\nSoften an onion and two carrots in olive oil, add red lentils and stock, and simmer for twenty-five minutes.\n');
    service = await openService({ dataDir: join(dir.path, 'data'), watch: false });
    await call('folders.add', { kind: 'photos', path: photos });
    await call('folders.add', { kind: 'notes', path: notes });
    await service.indexingSettled();
  }, 300_000);

  afterAll(async () => {
    await service?.close();
    dir.remove();
  });

  it('suggests the long note for the dog photo, shown by the paragraph about the dog', async () => {
    const dog = await call('photos.byPath', { path: join(dir.path, 'photos', PHOTOS.dog) });
    const { items } = await call('photos.notes', { photoId: dog.id, limit: 3 });
    expect(items[0]!.note.path).toBe(join(dir.path, 'notes', 'saturday.md'));
    const [shown] = items[0]!.highlights;
    expect(items[0]!.snippet.slice(shown!.start, shown!.end)).toBe(DOG);
    expect(items[0]!.snippet).toMatch(/^….*look at the new novels\. At the park a black dog/);
    expect(JOURNAL.slice(items[0]!.passage.start, items[0]!.passage.end)).toBe(DOG);
  });

  it('finds the dog photo first for the note, among photos of what its other paragraphs do not describe', async () => {
    const note = await call('notes.byPath', { path: join(dir.path, 'notes', 'saturday.md') });
    const { items } = await call('notes.photos', { noteId: note.id, limit: 3 });
    expect(items[0]!.photo.path).toBe(join(dir.path, 'photos', PHOTOS.dog));
  });
});
