/**
 * Selecting photos in the grids and acting on them, in browser mode with real Chromium: check circles, clicks
 * while selecting, shift-click ranges, Space, Shift+arrows, Ctrl+A and Esc; linking the selection to a new and to an existing
 * note (and finding the links after a reload), unlinking from a note's photos, copying paths, "More like these".
 * Its own photos (made with sharp) and notes; nothing from ../shared but the model where it is there.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { useSuiteModel } from './support/model.ts';
import { showAllResults } from './support/search.ts';
import { serve, type Served } from './support/serve.ts';
import { photosShown } from './support/photos-shown.ts';

test.describe.configure({ mode: 'serial' });

const PHOTOS = 12;
const screenshots = join(import.meta.dirname, 'screenshots');
let tmp: string;
let photosDir: string;
let notesDir: string;
let server: Served;
let context: BrowserContext;
let page: Page;

const api = <T>(method: string, request: object) => server.call<T>(method, request);

async function writePhotos(): Promise<void> {
  await mkdir(photosDir, { recursive: true });
  for (let i = 0; i < PHOTOS; i++) {
    const hue = (i * 29) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">
      <rect width="400" height="300" fill="hsl(${hue},60%,60%)"/>
      <rect x="${40 + i * 12}" y="60" width="${90 + (i % 3) * 40}" height="150" fill="hsl(${(hue + 150) % 360},55%,35%)"/>
    </svg>`;
    // One day, an hour apart: one group in the grid, in a known order (newest first: photo-12 … photo-01).
    const n = String(i + 1).padStart(2, '0');
    const taken = `2024:03:14 ${String(8 + i).padStart(2, '0')}:00:00`;
    await sharp(Buffer.from(svg))
      .jpeg({ quality: 85 })
      .withExif({ IFD0: { DateTime: taken }, IFD2: { DateTimeOriginal: taken } })
      .toFile(join(photosDir, `photo-${n}.jpg`));
  }
}

const grid = () => page.getByRole('listbox', { name: /All photos/ });
const tile = (index: number) => grid().getByRole('option').nth(index);
const bar = () => page.getByRole('toolbar', { name: 'Selected photos' });
const selectedCount = () => grid().locator('[role="option"][aria-selected="true"]').count();
const fileNameOf = async (index: number) => (await tile(index).getAttribute('aria-label'))!.split(',')[0]!.trim();

async function shot(name: string): Promise<void> {
  const allLoaded = () => photosShown(page);
  await expect.poll(allLoaded, { timeout: 5_000 }).toBe(true).catch(() => undefined);
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** Selects the tiles at these indexes of the library grid with their check circles. */
async function selectTiles(indexes: number[]): Promise<string[]> {
  const names: string[] = [];
  for (const index of indexes) {
    await tile(index).hover();
    await tile(index).locator('.check').click();
    names.push(await fileNameOf(index));
  }
  await expect(bar()).toContainText(`${indexes.length} selected`);
  return names;
}

async function idsOf(fileNames: string[]): Promise<string[]> {
  return Promise.all(fileNames.map(async (name) => (await api<{ id: string }>('photos.byPath', { path: join(photosDir, name) })).id));
}

test.beforeAll(async ({ browser }) => {
  tmp = await mkdtemp(join(tmpdir(), 'subspace-selection-'));
  photosDir = join(tmp, 'Photos');
  notesDir = join(tmp, 'Notes');
  await writePhotos();
  await mkdir(notesDir, { recursive: true });
  await writeFile(join(notesDir, 'coast.md'), '# Trip to the coast\n\nCliffs, a harbour and the long walk back.\n');
  await useSuiteModel(join(tmp, 'library'));
  server = await serve(join(tmp, 'library'));
  await api('folders.add', { kind: 'photos', path: photosDir });
  await api('folders.add', { kind: 'notes', path: notesDir });
  await expect
    .poll(async () => (await api<{ photoCount: number; noteCount: number }>('library.facets', {})).photoCount, { timeout: 150_000 })
    .toBe(PHOTOS);
  await expect.poll(async () => (await api<{ phase: string }>('indexing.status', {})).phase, { timeout: 60_000 }).toBe('done');
  context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  page = await context.newPage();
  await page.goto(server.url);
  await expect(tile(PHOTOS - 1)).toBeVisible();
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('selects with the check circle, clicks while selecting, shift-click ranges, Space, Shift+arrows and Ctrl+A; Esc clears', async () => {
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await tile(1).hover();
  await tile(1).locator('.check').click();
  await expect(bar()).toContainText('1 selected');
  await expect(page.getByRole('heading', { name: 'Library' })).toBeHidden();

  // While something is selected a click selects instead of opening the photo.
  await tile(3).click();
  await expect(bar()).toContainText('2 selected');
  expect(page.url()).not.toContain('#/photo');

  // Shift-click: from the last clicked (3) to 6.
  await tile(6).click({ modifiers: ['Shift'] });
  await expect(bar()).toContainText('5 selected');
  expect(await selectedCount()).toBe(5);
  await expect(tile(2)).toHaveAttribute('aria-selected', 'false');
  await expect(tile(5)).toHaveAttribute('aria-selected', 'true');
  await shot('selection-bar');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot('selection-bar-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.keyboard.press('Control+a');
  await expect(bar()).toContainText(`${PHOTOS} selected`);
  expect(await selectedCount()).toBe(PHOTOS);

  await page.keyboard.press('Escape');
  await expect(bar()).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  expect(page.url()).not.toContain('#/photo');
  expect(await selectedCount()).toBe(0);

  // Keyboard: arrows move, Space toggles the focused photo, Enter still opens.
  await grid().focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await expect(bar()).toContainText('1 selected');
  await expect(tile(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Space');
  await expect(bar()).toBeHidden();

  // Shift+arrows select from the focused photo as the focus moves, and stepping back shrinks the range.
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(bar()).toContainText('3 selected');
  await expect(tile(3)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(bar()).toContainText('2 selected');
  await expect(tile(3)).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('Escape');
});

test('links the selection to a new note, then to an existing one; the links are in the store after a reload', async () => {
  const forNew = await selectTiles([0, 1, 2]);
  await bar().getByRole('button', { name: 'Link to note…' }).click();
  const picker = page.getByRole('dialog', { name: 'Link 3 photos to a note' });
  await expect(picker).toBeVisible();
  await expect(picker.getByRole('option', { name: /Trip to the coast/ })).toBeVisible();
  await picker.getByRole('searchbox').fill('Harbour walk');
  await expect(picker.getByRole('option', { name: /New note “Harbour walk”/ })).toHaveAttribute('aria-selected', 'true');
  await shot('selection-link-picker');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Linked 3 photos to “Harbour walk”' })).toBeVisible();
  await expect(picker).toBeHidden();
  await expect(bar()).toBeHidden();
  expect(await readFile(join(notesDir, 'Harbour walk.md'), 'utf8')).toBe('# Harbour walk\n\n');

  const forExisting = await selectTiles([4, 5]);
  await bar().getByRole('button', { name: 'Link to note…' }).click();
  const second = page.getByRole('dialog', { name: 'Link 2 photos to a note' });
  await second.getByRole('searchbox').fill('coast');
  await second.getByRole('option', { name: /Trip to the coast/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Linked 2 photos to “Trip to the coast”' })).toBeVisible();

  const coast = await api<{ id: string }>('notes.byPath', { path: join(notesDir, 'coast.md') });
  const harbour = await api<{ id: string }>('notes.byPath', { path: join(notesDir, 'Harbour walk.md') });
  const linked = async (noteId: string) => (await api<{ items: { photo: { id: string } }[] }>('links.list', { noteId })).items.map((l) => l.photo.id).sort();
  expect(await linked(coast.id)).toEqual((await idsOf(forExisting)).sort());
  expect(await linked(harbour.id)).toEqual((await idsOf(forNew)).sort());

  // The note shows them, and so does a reload of its photos.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Notes/ }).click();
  await page.getByRole('link', { name: /Trip to the coast/ }).click();
  const linkedSection = page.getByRole('region', { name: /^Linked photos/ });
  for (const name of forExisting) await expect(linkedSection.getByRole('button', { name: `Open ${name}` })).toBeVisible();
  await shot('selection-linked-to-note');
  await linkedSection.getByRole('link', { name: 'All 2' }).click();
  const notePhotos = page.getByRole('listbox', { name: 'Photos linked to Trip to the coast' });
  await expect(notePhotos.getByRole('option')).toHaveCount(2);
  await page.reload();
  await expect(notePhotos.getByRole('option')).toHaveCount(2);
  const shown = await notePhotos.getByRole('option').evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label')!.split(',')[0]!.trim()));
  expect(shown.sort()).toEqual([...forExisting].sort());
});

test("unlinks photos from a note's photos", async () => {
  const notePhotos = page.getByRole('listbox', { name: 'Photos linked to Trip to the coast' });
  const first = notePhotos.getByRole('option').first();
  const name = (await first.getAttribute('aria-label'))!.split(',')[0]!.trim();
  await first.hover();
  await first.locator('.check').click();
  await shot('selection-note-photos');
  await bar().getByRole('button', { name: 'Unlink' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Unlinked 1 photo' })).toBeVisible();
  await expect(notePhotos.getByRole('option')).toHaveCount(1);
  await expect(notePhotos.getByRole('option', { name: new RegExp(`^${name.replace('.', '\\.')}`) })).toHaveCount(0);
  const coast = await api<{ id: string }>('notes.byPath', { path: join(notesDir, 'coast.md') });
  const links = await api<{ items: { photo: { fileName: string } }[] }>('links.list', { noteId: coast.id });
  expect(links.items.map((l) => l.photo.fileName)).not.toContain(name);
  expect(links.items).toHaveLength(1);
});

test('copies the paths of the selection, one a line', async () => {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Library/ }).click();
  const names = await selectTiles([7, 2, 9]);
  await bar().getByRole('button', { name: 'Copy paths' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied 3 paths' })).toBeVisible();
  const clipboard = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
  expect(clipboard).toBe(names.map((name) => join(photosDir, name)).join('\n'));
  // Browser mode cannot open a file manager: the action is not offered.
  await expect(bar().getByRole('button', { name: 'Show in folder' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(bar()).toBeHidden();
});

test('"More like these" searches for the selection together, without the selected photos', async () => {
  const names = await selectTiles([0, 3]);
  await bar().getByRole('button', { name: 'More like these' }).click();
  await expect(page.getByRole('heading', { name: 'More like these' })).toBeVisible();
  const results = page.getByRole('listbox', { name: 'Photos like the 2 you picked, most similar first' });
  await expect(results.getByRole('option')).toHaveCount(PHOTOS - 2);
  await shot('selection-more-like-these');
  const shown = await results.getByRole('option').evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label')!.split(',')[0]!.trim()));
  for (const name of names) expect(shown).not.toContain(name);

  // Back in the library the selection is as it was left (per view), and Esc clears it.
  await page.goBack();
  await expect(bar()).toContainText('2 selected');
  await page.keyboard.press('Escape');
  await expect(bar()).toBeHidden();
});

test('search results select the same way; Esc clears the selection before it leaves the screen', async () => {
  await page.keyboard.press('/');
  await page.getByRole('searchbox', { name: 'Search photos' }).fill('a purple square');
  const results = page.getByRole('listbox', { name: /Search results for a purple square/ });
  await showAllResults(page, results, 'a purple square');
  await expect(results.getByRole('option')).toHaveCount(PHOTOS);
  await results.focus();
  await page.keyboard.press('Control+a');
  await expect(bar()).toContainText(`${PHOTOS} selected`);
  await shot('selection-search');
  await page.keyboard.press('Escape');
  await expect(bar()).toBeHidden();
  expect(page.url()).toContain('#/search');
});
