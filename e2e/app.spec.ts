/**
 * The whole product in browser mode, as a person uses it: add folders, watch indexing, search by
 * meaning, open a photo, link a suggested note, edit the note, restart, and find everything still there.
 * Screenshots of each main screen go to e2e/screenshots/ (git-ignored) for a human look.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usesShippedModel, useSuiteModel } from './support/model.ts';
import { serve, type Served } from './support/serve.ts';
import {
  beachPhoto,
  captions,
  checkQuality,
  dogPhotos,
  flickrPhotos,
  haveSharedData,
  notes,
  writeNotes,
  writeOwnPhotos,
} from './support/library-data.ts';
import { photosShown } from './support/photos-shown.ts';

test.describe.configure({ mode: 'serial' });

const screenshots = join(import.meta.dirname, 'screenshots');
let tmp: string;
let server: Served;
let page: Page;
let notesDir: string;
let ownPhotosDir: string;
let expectedPhotos: number;
let ownPhotoCount: number;
let openedPhoto: string;
let linkedNote: string;

/** Screenshots are for a person to judge the screen: wait (briefly) for the photos on it to arrive first. */
async function shot(name: string): Promise<void> {
  const allLoaded = () => photosShown(page);
  await expect.poll(allLoaded, { timeout: 5_000 }).toBe(true).catch(() => undefined);
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** File names of the photos in the visible grid, in display order (from their accessible names). */
async function gridFileNames(limit: number): Promise<string[]> {
  const labels = await page.getByRole('option').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label') ?? ''));
  return labels.slice(0, limit).map((label) => label.split(',')[0]!.trim());
}

test.beforeAll(async ({ browser }) => {
  tmp = await mkdtemp(join(tmpdir(), 'subspace-e2e-'));
  notesDir = join(tmp, 'Notes');
  ownPhotosDir = join(tmp, 'Camera uploads');
  await writeNotes(notesDir);
  const own = await writeOwnPhotos(ownPhotosDir, haveSharedData ? 2 : 8);
  ownPhotoCount = own.length;
  expectedPhotos = own.length + (haveSharedData ? 125 : 0);
  if (haveSharedData && !usesShippedModel) console.log('Another model runs: search-quality checks are skipped (they judge the shipped model).');
  await useSuiteModel(join(tmp, 'library'));
  server = await serve(join(tmp, 'library'));
  page = await browser.newPage();
});

test.afterAll(async () => {
  await server?.stop();
  await page?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('opens on the empty library, keeps the token out of the address bar, and adds folders', async () => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'No photos yet' })).toBeVisible();
  expect(page.url()).not.toContain('token=');
  await shot('01-empty-library');

  await page.getByRole('button', { name: 'Add a photo folder' }).click();
  await expect(page.getByRole('heading', { name: 'Folders', level: 1 })).toBeVisible();

  const photoFolders = page.getByRole('region', { name: 'Photo folders' });
  const pathField = photoFolders.getByRole('textbox', { name: /Path of a photo folder/ });
  await pathField.fill(join(tmp, 'does-not-exist'));
  await photoFolders.getByRole('button', { name: 'Add folder' }).click();
  await expect(photoFolders.getByRole('alert')).toContainText(/not|exist/i);

  for (const dir of haveSharedData ? [flickrPhotos, ownPhotosDir] : [ownPhotosDir]) {
    await pathField.fill(dir);
    await photoFolders.getByRole('button', { name: 'Add folder' }).click();
    await expect(photoFolders.getByText(dir, { exact: true })).toBeVisible();
  }
  const noteFolders = page.getByRole('region', { name: 'Note folders' });
  await noteFolders.getByRole('textbox', { name: /Path of a notes folder/ }).fill(notesDir);
  await noteFolders.getByRole('button', { name: 'Add folder' }).click();
  await expect(noteFolders.getByText(notesDir, { exact: true })).toBeVisible();
  await shot('02-folders-indexing');
});

test('indexes everything with a progress bar, and lists the corrupt file with its reason', async () => {
  const library = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Library/ });
  await expect(library).toContainText(String(expectedPhotos), { timeout: 150_000 });
  await expect(page.getByRole('heading', { name: 'Up to date' })).toBeVisible({ timeout: 60_000 });
  const failures = page.getByRole('region', { name: /Files that could not be indexed/ });
  await expect(failures.getByRole('cell', { name: join(ownPhotosDir, 'scan-damaged.jpg') })).toBeVisible();
  await shot('03-folders-done');

  await library.click();
  await expect(page.getByRole('listbox', { name: /All photos/ })).toBeVisible();
  await expect(page.getByRole('option').first()).toBeVisible();
  await shot('04-library');
});

test('searches by meaning as you type, best match first', async () => {
  await page.keyboard.press('/');
  const box = page.getByRole('searchbox', { name: 'Search photos' });
  await expect(box).toBeFocused();
  await box.pressSequentially('a dog running through the grass', { delay: 15 });
  const results = page.getByRole('listbox', { name: /Search results for a dog running through the grass/ });
  await expect(results).toBeVisible();
  await expect(results.getByRole('option').first()).toBeVisible();
  await shot('05-search');

  const top = await gridFileNames(5);
  expect(top.length).toBeGreaterThan(0);
  if (checkQuality) {
    const byFile = captions();
    const isDog = (file: string) => (byFile.get(file) ?? []).some((c) => /\b(dog|dogs|puppy)\b/.test(c));
    const dogs = top.filter(isDog);
    expect(isDog(top[0]!), `first result ${top[0]} should be a dog photo; top 5: ${top.join(', ')}`).toBe(true);
    expect(dogs.length, `dog photos among the top 5: ${top.join(', ')}`).toBeGreaterThanOrEqual(3);
    openedPhoto = top.find((file) => dogPhotos.includes(file)) ?? top[0]!;
  } else {
    openedPhoto = top[0]!;
  }
});

test('moves through results with the keyboard: arrows, Enter opens, M shows similar photos, Esc goes back', async () => {
  await page.getByRole('searchbox', { name: 'Search photos' }).press('ArrowDown');
  const grid = page.getByRole('listbox', { name: /Search results/ });
  await expect(grid).toBeFocused();
  const first = await grid.getAttribute('aria-activedescendant');
  await page.keyboard.press('ArrowRight');
  await expect(grid).not.toHaveAttribute('aria-activedescendant', first!);
  const focusedName = (await page.locator(`#${await grid.getAttribute('aria-activedescendant')}`).getAttribute('aria-label'))!.split(',')[0]!;
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: focusedName })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(grid).toBeVisible();

  await grid.focus();
  await page.keyboard.press('m');
  await expect(page.getByRole('heading', { level: 1, name: 'More like this' })).toBeVisible();
  await expect(page.getByRole('listbox', { name: /Photos similar to/ }).getByRole('option').first()).toBeVisible();
  await shot('05b-more-like-this');
  await page.keyboard.press('Escape');
  await expect(grid).toBeVisible();
});

test('opens a photo, shows its metadata and a suggested note, and links it in one click', async () => {
  await page.getByRole('option', { name: new RegExp(`^${openedPhoto.replace('.', '\\.')}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: openedPhoto })).toBeVisible();
  const about = page.getByRole('complementary', { name: 'About this photo' });
  await expect(about.getByText(/\d+ × \d+/)).toBeVisible();
  await expect(about.getByText(openedPhoto, { exact: false }).first()).toBeVisible();

  const suggested = about.getByRole('region', { name: 'Suggested notes' });
  if (!checkQuality) {
    await expect(suggested.getByRole('button', { name: /^Link .* to this photo$|weaker match/ }).first()).toBeVisible();
    const weaker = suggested.getByRole('button', { name: /weaker match/ });
    if ((await weaker.count()) > 0) await weaker.click();
  }
  const wanted = checkQuality ? notes.dogs.title : undefined;
  const linkButton = wanted
    ? suggested.getByRole('button', { name: `Link ${wanted} to this photo` })
    : suggested.getByRole('button', { name: /^Link .* to this photo$/ }).first();
  await expect(linkButton).toBeVisible();
  if (checkQuality) {
    await expect(suggested.getByRole('article').first()).toContainText(notes.dogs.title);
    await expect(suggested.locator('mark').first()).toBeVisible();
  }
  await shot('06-photo');
  const title = (await linkButton.getAttribute('aria-label'))!.replace(/^Link (.*) to this photo$/, '$1');
  linkedNote = title;
  await linkButton.click();
  const linked = about.getByRole('region', { name: 'Linked notes' });
  await expect(linked.getByRole('button', { name: title, exact: true })).toBeVisible();

  await linked.getByRole('button', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const notePhotos = page.getByRole('complementary', { name: 'About this note' });
  await expect(notePhotos.getByRole('region', { name: 'Linked photos' }).getByRole('button', { name: `Open ${openedPhoto}` })).toBeVisible();
  const suggestedPhotos = notePhotos.getByRole('region', { name: 'Suggested photos' });
  await expect(suggestedPhotos.getByRole('button', { name: /^Link .* to this note$/ }).first()).toBeAttached();
  await shot('07-note-with-linked-photo');
});

test('edits a note and saves it to its file on disk', async () => {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Notes/ }).click();
  await page.getByRole('region', { name: 'Notes' }).getByRole('link', { name: new RegExp(notes.dogs.title) }).click();
  const editor = page.getByRole('textbox', { name: 'Note text (Markdown)' });
  await expect(editor).toContainText('the black dog kept jumping');
  await editor.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nWe should go back next week, with a frisbee.\n');
  await expect
    .poll(() => readFile(join(notesDir, notes.dogs.file), 'utf8'), { timeout: 20_000 })
    .toBe(`${notes.dogs.content}\nWe should go back next week, with a frisbee.\n`);
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();

  const start = notes.dogs.content.indexOf('the black dog');
  const end = start + 'the black dog kept jumping to catch the rope toy'.length;
  // The editor is CodeMirror: select with the keyboard, as a person would.
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < start; i++) await page.keyboard.press('ArrowRight');
  for (let i = start; i <= end; i++) await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByRole('heading', { name: 'Photos for the selected text' })).toBeVisible();
  await shot('08-note-editor');

  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('article', { name: 'Note preview' }).getByRole('heading', { name: notes.dogs.title })).toBeVisible();
  await shot('09-note-preview');
});

test('keeps typing while a slow save is on its way, and saves everything without a conflict', async () => {
  await page.getByRole('region', { name: 'Notes' }).getByRole('link', { name: new RegExp(notes.dogs.title) }).click();
  await page.getByRole('button', { name: 'Write' }).click();
  const editor = page.getByRole('textbox', { name: 'Note text (Markdown)' });
  const before = await readFile(join(notesDir, notes.dogs.file), 'utf8');
  let saves = 0;
  await page.route('**/api/notes.save', async (route) => {
    saves++;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await route.continue();
  });
  try {
    await editor.focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('First line while online.\n');
    await expect.poll(() => saves, { timeout: 10_000 }).toBe(1);
    await page.keyboard.type('Second line, typed during the save.\n');
    await expect
      .poll(() => readFile(join(notesDir, notes.dogs.file), 'utf8'), { timeout: 30_000 })
      .toBe(`${before}First line while online.\nSecond line, typed during the save.\n`);
    await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
    await expect(page.locator('[data-save-state="conflict"]')).toHaveCount(0);
  } finally {
    await page.unroute('**/api/notes.save');
  }
});

test('renders an unsafe note without running anything in it', async () => {
  await page.getByRole('region', { name: 'Notes' }).getByRole('link', { name: new RegExp(notes.unsafe.title) }).click();
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('article', { name: 'Note preview' });
  await expect(preview.locator('b')).toHaveText('bold');
  expect(await preview.locator('script, [onerror]').count()).toBe(0);
  await expect(preview.getByText('a link')).toBeVisible();
  expect(await preview.locator('a[href^="javascript:" i]').count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as { __pwned?: boolean }).__pwned)).toBeUndefined();
});

test('creates a note in a notes folder from the app', async () => {
  await page.getByRole('button', { name: 'New note' }).click();
  await page.getByRole('textbox', { name: 'New note file name' }).fill('Ideas for the album');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ideas for the album' }).first()).toBeVisible();
  await expect.poll(() => readFile(join(notesDir, 'Ideas for the album.md'), 'utf8')).toBe('# Ideas for the album\n\n');
});

test('a note changed on disk while being edited is not overwritten: the user chooses', async () => {
  await page.getByRole('region', { name: 'Notes' }).getByRole('link', { name: new RegExp(notes.mountains.title) }).click();
  await page.getByRole('button', { name: 'Write' }).click();
  const editor = page.getByRole('textbox', { name: 'Note text (Markdown)' });
  await expect(editor).toContainText(notes.mountains.title);
  await editor.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('Mine: the rope was red.');
  await writeFile(join(notesDir, notes.mountains.file), `${notes.mountains.content}Theirs: written by another program.\n`);
  await expect(page.locator('[data-save-state="conflict"]')).toBeVisible({ timeout: 20_000 });
  expect(await readFile(join(notesDir, notes.mountains.file), 'utf8')).toContain('Theirs');
  await page.getByRole('button', { name: 'Keep mine' }).click();
  await expect
    .poll(() => readFile(join(notesDir, notes.mountains.file), 'utf8'))
    .toBe(`${notes.mountains.content}Mine: the rope was red.`);
});

test('shows the model and the execution provider in use, and switches to dark', async () => {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Settings/ }).click();
  const model = page.getByRole('region', { name: 'Model' });
  await expect(model.getByText('Ready')).toBeVisible();
  await expect(model.getByText(/CPU|CUDA|DirectML|Core ML/).first()).toBeVisible();
  await shot('10-settings');
  await page.getByRole('radio', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Library/ }).click();
  await expect(page.getByRole('option').first()).toBeVisible();
  await shot('11-library-dark');
});

test('after a restart of the server, photos, links, the edit and the theme are all still there', async () => {
  await server.stop();
  server = await serve(join(tmp, 'library'));
  await page.goto(server.url);
  const sections = page.getByRole('navigation', { name: 'Sections' });
  await expect(sections.getByRole('link', { name: /Library/ })).toContainText(String(expectedPhotos));
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await page.keyboard.press('/');
  await page.keyboard.type('beach');
  await expect(page.getByRole('listbox', { name: /Search results for beach/ }).getByRole('option').first()).toBeVisible();
  if (checkQuality) {
    expect(await gridFileNames(10)).toContain(beachPhoto);
    await page.getByRole('option', { name: new RegExp(`^${beachPhoto.replace('.', '\\.')}`) }).click();
    const suggested = page.getByRole('region', { name: 'Suggested notes' });
    await expect(suggested.getByRole('button', { name: /^Link .* to this photo$|weaker match/ }).first()).toBeVisible();
    const weaker = suggested.getByRole('button', { name: /weaker match/ });
    if ((await weaker.count()) > 0) await weaker.click();
    await suggested.getByRole('button', { name: `Open note ${notes.beach.title}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: notes.beach.title }).first()).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Photos for the selected text' })).toBeVisible();
  }

  await sections.getByRole('link', { name: /Notes/ }).click();
  const list = page.getByRole('region', { name: 'Notes' });
  await list.getByRole('link', { name: new RegExp(notes.dogs.title) }).click();
  await expect(page.getByRole('textbox', { name: 'Note text (Markdown)' })).toContainText('go back next week, with a frisbee');
  await list.getByRole('link', { name: new RegExp(linkedNote) }).click();
  await expect(page.getByRole('region', { name: 'Linked photos' }).getByRole('button', { name: `Open ${openedPhoto}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Suggested photos' })).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  await shot('12-after-restart');
});

test('removing a photo folder takes its photos out of the library and leaves the files alone', async () => {
  const sections = page.getByRole('navigation', { name: 'Sections' });
  await sections.getByRole('link', { name: /Folders/ }).click();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: `Remove ${ownPhotosDir}` }).click();
  await expect(page.getByRole('region', { name: 'Photo folders' }).getByText(ownPhotosDir, { exact: true })).toHaveCount(0);
  await expect(sections.getByRole('link', { name: /Library/ })).toContainText(String(expectedPhotos - ownPhotoCount), { timeout: 30_000 });
  expect(await readFile(join(ownPhotosDir, 'generated-00.jpg'))).toBeTruthy();
});
