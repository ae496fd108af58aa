/**
 * The photo lists that are not the library or a search: "more like these" and a note's photos (its grid and
 * the photos the note editor finds for a selected passage). A photo opened from one of them names its list in
 * its URL, so after a reload → still steps to the list's next photo, and Back returns to the list scrolled
 * where it was. Browser mode on a library of its own (photos made here with sharp).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { useSuiteModel } from './support/model.ts';
import { serve, type Served } from './support/serve.ts';
import { photosShown } from './support/photos-shown.ts';

test.describe.configure({ mode: 'serial' });

interface Measured {
  scrollTop: number;
  getBoundingClientRect(): { top: number; bottom: number };
}

/** More than a page (120) of each list, so reading on as the grid scrolls is tested too. */
const PHOTOS = 130;
const SCROLL = 240;
const screenshots = join(import.meta.dirname, 'screenshots');
let tmp: string;
let photosDir: string;
let notesDir: string;
let server: Served;
let page: Page;
let noteId: string;

const api = <T>(method: string, request: object) => server.call<T>(method, request);

async function writePhotos(): Promise<void> {
  await mkdir(photosDir, { recursive: true });
  for (let i = 0; i < PHOTOS; i++) {
    const hue = (i * 23) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320">
      <rect width="480" height="320" fill="hsl(${hue},55%,62%)"/>
      <circle cx="${80 + (i % 6) * 60}" cy="160" r="${40 + (i % 4) * 15}" fill="hsl(${(hue + 160) % 360},60%,38%)"/>
      <text x="240" y="300" font-family="sans-serif" font-size="40" font-weight="700" fill="white" text-anchor="middle">${i + 1}</text>
    </svg>`;
    await sharp(Buffer.from(svg))
      .jpeg({ quality: 80 })
      .toFile(join(photosDir, `photo-${String(i + 1).padStart(2, '0')}.jpg`));
  }
}

const idOf = async (name: string) => (await api<{ id: string }>('photos.byPath', { path: join(photosDir, name) })).id;
const photoTitle = () => page.getByRole('heading', { level: 1 });
const scrollTopOf = (grid: Locator) => grid.evaluate((el) => (el as unknown as Measured).scrollTop);

async function shot(name: string): Promise<void> {
  const allLoaded = () => photosShown(page);
  await expect.poll(allLoaded, { timeout: 5_000 }).toBe(true).catch(() => undefined);
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** The drawn cells of a grid, by their position in the list. */
async function namesByIndex(grid: Locator): Promise<Map<number, string>> {
  const cells = await grid
    .getByRole('option')
    .evaluateAll((all) => all.map((cell) => [Number(cell.getAttribute('data-index')), cell.getAttribute('aria-label')!.split(',')[0]!.trim()] as const));
  return new Map(cells);
}

/** A cell wholly on screen below the grid's top edge whose next photo is drawn too. */
async function visibleCell(grid: Locator, names: Map<number, string>): Promise<Locator> {
  const gridBox = await grid.evaluate((el) => (el as unknown as Measured).getBoundingClientRect());
  for (const cell of await grid.getByRole('option').all()) {
    const index = Number(await cell.getAttribute('data-index'));
    const cellBox = await cell.evaluate((el) => (el as unknown as Measured).getBoundingClientRect());
    if (cellBox.top >= gridBox.top + 20 && cellBox.bottom <= gridBox.bottom && names.has(index + 1)) return cell;
  }
  throw new Error('no cell wholly on screen');
}

/**
 * Scrolls the list, opens a photo on screen, reloads in the lightbox, steps → and ←, and goes Back: the steps
 * follow the list, and the list comes back scrolled as it was.
 */
async function walkAfterReload(grid: Locator, screenshot: string): Promise<void> {
  await expect(grid.getByRole('option').nth(30)).toBeAttached();
  await grid.evaluate((el, top) => ((el as unknown as Measured).scrollTop = top), SCROLL);
  await expect.poll(() => scrollTopOf(grid)).toBe(SCROLL);
  await shot(screenshot);
  const names = await namesByIndex(grid);
  const cell = await visibleCell(grid, names);
  const index = Number(await cell.getAttribute('data-index'));
  await cell.click();
  await expect(photoTitle()).toHaveText(names.get(index)!);

  await page.reload();
  await expect(photoTitle()).toHaveText(names.get(index)!);
  await expect(page.getByRole('button', { name: 'Next photo' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(photoTitle()).toHaveText(names.get(index + 1)!);
  await expect(page.getByLabel(/^Photo \d+ of \d+/)).toHaveText(new RegExp(`^${index + 2} of `));
  await page.keyboard.press('ArrowLeft');
  await expect(photoTitle()).toHaveText(names.get(index)!);

  await page.keyboard.press('Escape');
  await expect(grid).toBeVisible();
  await expect.poll(() => scrollTopOf(grid)).toBe(SCROLL);
}

test.beforeAll(async ({ browser }) => {
  tmp = await mkdtemp(join(tmpdir(), 'subspace-photo-lists-'));
  photosDir = join(tmp, 'Photos');
  notesDir = join(tmp, 'Notes');
  await writePhotos();
  await mkdir(notesDir, { recursive: true });
  await writeFile(join(notesDir, 'Circles.md'), '# Circles\n\nColourful circles on plain backgrounds, numbered one to a hundred and thirty.\n');
  await writeFile(join(notesDir, 'Shapes.md'), '# Shapes\n\nA dark circle on a bright background.\n');
  await useSuiteModel(join(tmp, 'library'));
  server = await serve(join(tmp, 'library'));
  await api('folders.add', { kind: 'photos', path: photosDir });
  await api('folders.add', { kind: 'notes', path: notesDir });
  await expect
    .poll(async () => (await api<{ photoCount: number }>('library.facets', {})).photoCount, { timeout: 150_000 })
    .toBe(PHOTOS);
  await expect.poll(async () => (await api<{ phase: string }>('indexing.status', {})).phase, { timeout: 60_000 }).toBe('done');
  noteId = (await api<{ id: string }>('notes.byPath', { path: join(notesDir, 'Circles.md') })).id;
  const ids = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => idOf(`photo-${String(i + 1).padStart(2, '0')}.jpg`)));
  await api('links.addMany', { noteId, photoIds: ids });
  page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await page.goto(server.url);
  await expect(page.getByRole('listbox', { name: /All photos/ }).getByRole('option').first()).toBeVisible();
});

test.afterAll(async () => {
  await page?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('a photo opened from "more like these" steps through that list after a reload, and Back keeps its scroll', async () => {
  const picked = await Promise.all([idOf('photo-01.jpg'), idOf('photo-02.jpg')]);
  await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), `#/like-these?ids=${picked.join(',')}`);
  await expect(page.getByRole('heading', { name: 'More like these' })).toBeVisible();
  const grid = page.getByRole('listbox', { name: 'Photos like the 2 you picked, most similar first' });
  await walkAfterReload(grid, 'photo-list-like-these');

  // Scrolled to its end, the list reads on past its first page, to the last photo.
  await grid.evaluate((el) => ((el as unknown as Measured).scrollTop = 1e6));
  await expect(grid.locator(`[data-index="${PHOTOS - 3}"]`)).toBeAttached();
  await expect(page.getByText(`Like 2 photos together · ${PHOTOS - 2} photos`, { exact: true })).toBeVisible();
});

test("a photo opened from a note's photos steps through them after a reload, and Back keeps their scroll", async () => {
  await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), `#/notes/${encodeURIComponent(noteId)}/photos`);
  await expect(page.getByRole('heading', { name: 'Photos of “Circles”' })).toBeVisible();
  await expect(page.getByText(`${PHOTOS} linked`)).toBeVisible();
  const grid = page.getByRole('listbox', { name: 'Photos linked to Circles' });
  await walkAfterReload(grid, 'photo-list-note-photos');

  await grid.evaluate((el) => ((el as unknown as Measured).scrollTop = 1e6));
  await expect(grid.locator(`[data-index="${PHOTOS - 1}"]`)).toBeAttached();
});

test('a photo opened from the photos for a selected passage steps through them after a reload', async () => {
  const shapes = (await api<{ id: string }>('notes.byPath', { path: join(notesDir, 'Shapes.md') })).id;
  await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), `#/notes/${encodeURIComponent(shapes)}`);
  const editor = page.locator('.cm-content');
  await expect(editor).toContainText('A dark circle');
  await editor.getByText(/A dark circle/).click();
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await expect(page.getByRole('heading', { name: 'Photos for the selected text' })).toBeVisible();
  const strip = page.getByRole('region', { name: 'Photos for the selected text' });
  const opens = strip.getByRole('button', { name: /^Open / });
  await expect(opens.nth(2)).toBeVisible();
  const first = (await opens.nth(0).getAttribute('aria-label'))!.replace(/^Open /, '');
  const second = (await opens.nth(1).getAttribute('aria-label'))!.replace(/^Open /, '');
  await opens.nth(0).click();
  await expect(photoTitle()).toHaveText(first);

  await page.reload();
  await expect(photoTitle()).toHaveText(first);
  await expect(page.getByRole('button', { name: 'Next photo' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(photoTitle()).toHaveText(second);
});
