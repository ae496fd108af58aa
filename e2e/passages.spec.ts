/**
 * Photo → notes shows the passage that matched, not the note's opening: a long journal note whose fifth
 * paragraph describes a dog photo is suggested on that photo's page with that paragraph marked, in the words
 * around it. With the shipped model and ../shared's Flickr 8k photos the dog photo and paragraph are checked;
 * otherwise (generated photos, a tiny model) only that a passage is shown in its context.
 */
import { expect, test, type Page } from '@playwright/test';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MethodName, RequestOf, ResponseOf } from '../src/shared/api.ts';
import { checkQuality, flickrPhotos, writeOwnPhotos } from './support/library-data.ts';
import { useSuiteModel } from './support/model.ts';
import { serve, type Served } from './support/serve.ts';
import { photosShown } from './support/photos-shown.ts';

const DOG = 'At the park a black dog leapt through the air to catch a rope toy, all four paws off the grass.';
const JOURNAL = `# Saturday

Slept badly again and woke before six. The flat was cold, so I made coffee and read the news on the sofa until it got light outside.

Called my mother about the holidays. She wants everyone at her place this year, which means the long drive again and the spare room with the broken heater.

The bank finally answered about the mortgage statement: the error was theirs, and the fee will be refunded next month.

In the afternoon I walked to the market for bread, cheese and a bag of apples, and stopped for a while at the bookshop on the corner to look at the new novels.

${DOG}

Dinner with Sam and Ines. We talked about work until late and made plans for the spring.
`;
/** A black dog leaping at a rope toy, a girl jumping on the shore, a man in a beret on a bicycle. */
const FLICKR = ['1107246521_d16a476380.jpg', '1174525839_7c1e6cfa86.jpg', '2075321027_c8fcbaf581.jpg'];

test.describe.configure({ mode: 'serial' });

let tmp: string;
let server: Served;
let page: Page;
let photosDir: string;

async function call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
  const response = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const envelope = (await response.json()) as { ok: boolean; result: ResponseOf<M>; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error?.message}`);
  return envelope.result;
}

test.beforeAll(async ({ browser }) => {
  tmp = await mkdtemp(join(tmpdir(), 'subspace-e2e-passages-'));
  photosDir = join(tmp, 'Photos');
  const notesDir = join(tmp, 'Notes');
  await mkdir(photosDir, { recursive: true });
  if (checkQuality) for (const name of FLICKR) await copyFile(join(flickrPhotos, name), join(photosDir, name));
  else await writeOwnPhotos(photosDir, 3);
  await mkdir(notesDir, { recursive: true });
  await writeFile(join(notesDir, 'Saturday.md'), JOURNAL);
  await writeFile(join(notesDir, 'Beach week.md'), '# Beach week\n\nA girl jumped and twirled on the wet shore while small waves rolled in behind her.\n');
  await writeFile(join(notesDir, 'Lentil soup.md'), '# Lentil soup\n\nSoften an onion and two carrots in olive oil, add red lentils and stock, and simmer.\n');
  await useSuiteModel(join(tmp, 'library'));
  server = await serve(join(tmp, 'library'));
  await call('folders.add', { kind: 'photos', path: photosDir });
  await call('folders.add', { kind: 'notes', path: notesDir });
  await expect.poll(async () => (await call('indexing.status', {})).phase, { timeout: 120_000 }).toBe('done');
  page = await browser.newPage();
});

test.afterAll(async () => {
  await server?.stop();
  await page?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('a photo’s suggested note shows the passage that matched, marked in the words around it', async () => {
  const photo = await call('photos.byPath', { path: join(photosDir, checkQuality ? FLICKR[0]! : 'generated-00.jpg') });
  await page.goto(`${server.url}#/photo/${encodeURIComponent(photo.id)}`);
  const suggested = page.getByRole('complementary', { name: 'About this photo' }).getByRole('region', { name: 'Suggested notes' });
  await expect(suggested.getByRole('button', { name: /^Link .* to this photo$|weaker match/ }).first()).toBeVisible();
  const weaker = suggested.getByRole('button', { name: /weaker match/ });
  if ((await weaker.count()) > 0) await weaker.click();

  const card = suggested.getByRole('article').filter({ hasText: 'Saturday' });
  const passage = card.locator('mark.passage');
  await expect(passage).toHaveCount(1);
  if (checkQuality) {
    await expect(suggested.getByRole('article').first()).toContainText('Saturday');
    await expect(passage).toHaveText(DOG);
    await expect(card).toContainText('…');
    await expect(card).toContainText('look at the new novels.');
  }
  const allLoaded = () => photosShown(page);
  await expect.poll(allLoaded, { timeout: 5_000 }).toBe(true);
  await page.screenshot({ path: join(import.meta.dirname, 'screenshots', 'photo-note-passage.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(import.meta.dirname, 'screenshots', 'photo-note-passage-dark.png') });
});
