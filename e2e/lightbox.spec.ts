/**
 * The lightbox and kept places, in browser mode on a library of its own: landscape and portrait photos
 * made here with sharp, indexed by the real server. A portrait photo must fit whole below the toolbar,
 * zoom and fit must change its size, the info panel and fullscreen must toggle, the arrows must walk the
 * search results in their order, and Back, Esc and reloads must land where the user was.
 * Screenshots go to e2e/screenshots/ for a human look.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { useSuiteModel } from './support/model.ts';
import { showAllResults } from './support/search.ts';
import { serve, type Served } from './support/serve.ts';
import { photosShown } from './support/photos-shown.ts';

test.describe.configure({ mode: 'serial' });

/** The DOM shapes the checks read (this file is type-checked without the DOM library). */
interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly width: number;
  readonly height: number;
}
interface Measured {
  getBoundingClientRect(): Box;
  naturalWidth: number;
  naturalHeight: number;
  scrollTop: number;
}
interface PageGlobals {
  document: { fullscreenElement: unknown; elementFromPoint(x: number, y: number): { closest(selector: string): unknown } | null };
  localStorage: { getItem(key: string): string | null };
}

const PHOTOS = 40;
const screenshots = join(import.meta.dirname, 'screenshots');
let tmp: string;
let photosDir: string;
let notesDir: string;
let server: Served;
let page: Page;
let searchOrder: string[];
let openedIndex: number;
let searchScroll: number;

/** Every third photo is upright; each shows its number large, so a screenshot says which it is. */
async function writePhotos(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < PHOTOS; i++) {
    const portrait = i % 3 === 0;
    const [width, height] = portrait ? [1067, 1600] : [1600, 1067];
    const hue = (i * 37) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="hsl(${hue},60%,70%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},55%,35%)"/>
      </linearGradient></defs>
      <rect width="${width}" height="${height}" fill="url(#g)"/>
      <rect x="24" y="24" width="${width - 48}" height="${height - 48}" fill="none" stroke="white" stroke-width="12"/>
      <circle cx="${width / 2}" cy="${height * 0.38}" r="${Math.min(width, height) * 0.18}" fill="hsl(${(hue + 180) % 360},70%,45%)"/>
      <text x="50%" y="${height * 0.75}" font-family="sans-serif" font-size="${Math.round(width * 0.1)}" font-weight="700" fill="white" text-anchor="middle">${portrait ? 'Portrait' : 'Landscape'} ${i}</text>
      <text x="50%" y="${height - 60}" font-family="sans-serif" font-size="48" fill="white" text-anchor="middle">bottom edge</text>
    </svg>`;
    const name = `${portrait ? 'portrait' : 'landscape'}-${String(i).padStart(2, '0')}.jpg`;
    await sharp(Buffer.from(svg)).jpeg({ quality: 82 }).toFile(join(dir, name));
  }
}

async function shot(name: string): Promise<void> {
  const allLoaded = () => photosShown(page);
  await expect.poll(allLoaded, { timeout: 5_000 }).toBe(true).catch(() => undefined);
  await page.waitForTimeout(250);
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

const box = (locator: Locator) => locator.evaluate((el) => (el as unknown as Measured).getBoundingClientRect());
const searchGrid = () => page.getByRole('listbox', { name: /Search results for/ });
const photoTitle = () => page.getByRole('heading', { level: 1 });
const fullPhoto = (name: string) => page.getByRole('img', { name, exact: true });
const viewer = () => page.getByRole('region', { name: 'Photo', exact: true });

/** The cells of the grid, in display order, by file name (only those the virtual grid has drawn). */
async function gridNames(grid: Locator): Promise<string[]> {
  const labels = await grid.getByRole('option').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label') ?? ''));
  return labels.map((label) => label.split(',')[0]!.trim());
}

async function scrollTopOf(grid: Locator): Promise<number> {
  return grid.evaluate((el) => (el as unknown as Measured).scrollTop);
}

test.beforeAll(async ({ browser }) => {
  tmp = await mkdtemp(join(tmpdir(), 'subspace-lightbox-'));
  photosDir = join(tmp, 'Holiday');
  notesDir = join(tmp, 'Notes');
  await writePhotos(photosDir);
  await mkdir(notesDir, { recursive: true });
  await writeFile(join(notesDir, 'Trip.md'), '# Trip\n\nColourful pictures with circles, upright and wide.\n');
  await useSuiteModel(join(tmp, 'library'));
  server = await serve(join(tmp, 'library'));
  page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
});

test.afterAll(async () => {
  await server?.stop();
  await page?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('indexes a folder of landscape and portrait photos', async () => {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Add a photo folder' }).click();
  const photoFolders = page.getByRole('region', { name: 'Photo folders' });
  await photoFolders.getByRole('textbox', { name: /Path of a photo folder/ }).fill(photosDir);
  await photoFolders.getByRole('button', { name: 'Add folder' }).click();
  await expect(photoFolders.getByText(photosDir, { exact: true })).toBeVisible();
  const noteFolders = page.getByRole('region', { name: 'Note folders' });
  await noteFolders.getByRole('textbox', { name: /Path of a notes folder/ }).fill(notesDir);
  await noteFolders.getByRole('button', { name: 'Add folder' }).click();
  await expect(noteFolders.getByText(notesDir, { exact: true })).toBeVisible();
  const library = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Library/ });
  await expect(library).toContainText(String(PHOTOS), { timeout: 150_000 });
  await expect(page.getByRole('heading', { name: 'Up to date' })).toBeVisible({ timeout: 60_000 });
});

test('search results are scrolled, and a portrait photo opens whole, below a toolbar it does not cover', async () => {
  await page.keyboard.press('/');
  await page.getByRole('searchbox', { name: 'Search photos' }).pressSequentially('a colourful picture with a circle', { delay: 10 });
  await showAllResults(page, searchGrid(), 'a colourful picture with a circle');
  searchOrder = await gridNames(searchGrid());

  await searchGrid().evaluate((el) => ((el as unknown as Measured).scrollTop = 260));
  await expect.poll(() => scrollTopOf(searchGrid())).toBe(260);
  searchScroll = 260;
  searchOrder = [...new Set([...searchOrder, ...(await gridNames(searchGrid()))])];
  // A portrait photo in the third row, on screen at this scroll position.
  const portrait = searchGrid().getByRole('option', { name: /^portrait-/ });
  let target: Locator | null = null;
  for (const cell of await portrait.all()) {
    const cellBox = await box(cell);
    const gridBox = await box(searchGrid());
    if (cellBox.top >= gridBox.top && cellBox.bottom <= gridBox.bottom) {
      target = cell;
      break;
    }
  }
  expect(target, 'a portrait photo fully on screen').not.toBeNull();
  const name = (await target!.getAttribute('aria-label'))!.split(',')[0]!;
  openedIndex = Number(await target!.getAttribute('data-index'));
  expect(searchOrder[openedIndex]).toBe(name);
  await target!.click();

  await expect(photoTitle()).toHaveText(name);
  const photo = fullPhoto(name);
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img) => (img as unknown as Measured).naturalWidth)).toBe(1067);
  const viewerBox = await box(viewer());
  const back = page.getByRole('button', { name: /^Back/ });
  const backBox = await box(back);
  const photoBox = await box(photo);
  expect(photoBox.top, 'the photo starts below the Back button').toBeGreaterThanOrEqual(backBox.bottom);
  expect(photoBox.bottom, 'the photo ends inside the viewer').toBeLessThanOrEqual(viewerBox.bottom + 0.5);
  expect(photoBox.left).toBeGreaterThanOrEqual(viewerBox.left);
  expect(photoBox.right).toBeLessThanOrEqual(viewerBox.right + 0.5);
  expect(photoBox.width / photoBox.height).toBeCloseTo(1067 / 1600, 2);
  // As large as the viewer allows below its toolbar, not a thumbnail in the middle.
  expect(photoBox.height).toBeGreaterThan(viewerBox.height - backBox.bottom + viewerBox.top - 48);
  const onTop = await page.evaluate(
    ({ x, y }) => (globalThis as unknown as PageGlobals).document.elementFromPoint(x, y)?.closest('button[aria-label^="Back"]') != null,
    { x: backBox.left + backBox.width / 2, y: backBox.top + backBox.height / 2 },
  );
  expect(onTop, 'the Back button is not covered').toBe(true);
  await shot('lightbox-portrait');
});

test('zooms with + and double-click, fits again with 0', async () => {
  const name = searchOrder[openedIndex]!;
  const width = async () => (await box(fullPhoto(name))).width;
  const fitted = await width();
  const zoomButton = page.getByRole('button', { name: 'Fit to screen' });
  await expect(zoomButton).toHaveText('Fit');

  await page.keyboard.press('+');
  await expect.poll(width).toBeGreaterThan(fitted * 1.4);
  await expect(zoomButton).toHaveText(/\d+%/);
  await page.keyboard.press('0');
  await expect.poll(width).toBeCloseTo(fitted, 0);

  const stageBox = await box(viewer());
  await page.mouse.dblclick(stageBox.left + stageBox.width / 2, stageBox.top + stageBox.height * 0.35);
  await expect.poll(width).toBeGreaterThan(fitted * 1.4);
  await expect(zoomButton).toHaveText('100%');
  await shot('lightbox-portrait-zoomed');

  // Drag moves the zoomed photo.
  const before = await box(fullPhoto(name));
  await page.mouse.move(stageBox.left + 300, stageBox.top + 200);
  await page.mouse.down();
  await page.mouse.move(stageBox.left + 300, stageBox.top + 350, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await box(fullPhoto(name))).top).toBeGreaterThan(before.top + 100);

  await page.keyboard.press('0');
  await expect.poll(width).toBeCloseTo(fitted, 0);
  await expect(zoomButton).toHaveText('Fit');

  // The wheel zooms toward the cursor: the point under it stays put.
  const fittedBox = await box(fullPhoto(name));
  const cursor = { x: fittedBox.left + fittedBox.width * 0.25, y: fittedBox.top + fittedBox.height * 0.75 };
  await page.mouse.move(cursor.x, cursor.y);
  await page.mouse.wheel(0, -400);
  await expect.poll(width).toBeGreaterThan(fitted * 1.5);
  const zoomedBox = await box(fullPhoto(name));
  expect((cursor.x - zoomedBox.left) / zoomedBox.width).toBeCloseTo(0.25, 2);
  expect((cursor.y - zoomedBox.top) / zoomedBox.height).toBeCloseTo(0.75, 2);
  await page.keyboard.press('0');
  await expect.poll(width).toBeCloseTo(fitted, 0);
});

test('I hides and shows the info panel, and the choice is remembered', async () => {
  const panel = page.getByRole('complementary', { name: 'About this photo' });
  await expect(panel).toBeVisible();
  await page.keyboard.press('i');
  await expect(panel).toBeHidden();
  const name = searchOrder[openedIndex]!;
  const viewerBox = await box(viewer());
  const photoBox = await box(fullPhoto(name));
  expect(photoBox.bottom).toBeLessThanOrEqual(viewerBox.bottom + 0.5);
  expect(photoBox.right).toBeLessThanOrEqual(viewerBox.right + 0.5);
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.getItem('subspace.lightbox.info'))).toBe('hidden');
  await shot('lightbox-info-hidden');
  await page.keyboard.press('i');
  await expect(panel).toBeVisible();
});

test('F asks for fullscreen and leaves it again; ? lists the shortcuts and Esc closes the list only', async () => {
  const fullscreen = () => page.evaluate(() => (globalThis as unknown as PageGlobals).document.fullscreenElement !== null);
  const button = page.getByRole('button', { name: 'Fullscreen' });
  await page.keyboard.press('f');
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(fullscreen).toBe(true);
  await shot('lightbox-fullscreen');
  await page.keyboard.press('f');
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(fullscreen).toBe(false);

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Fullscreen');
  await shot('lightbox-help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(photoTitle()).toHaveText(searchOrder[openedIndex]!);
});

test('the arrows walk the search results in their order, and a reload keeps the photo and its list', async () => {
  await page.keyboard.press('ArrowRight');
  await expect(photoTitle()).toHaveText(searchOrder[openedIndex + 1]!);
  await page.keyboard.press('ArrowRight');
  await expect(photoTitle()).toHaveText(searchOrder[openedIndex + 2]!);
  await page.keyboard.press('ArrowLeft');
  await expect(photoTitle()).toHaveText(searchOrder[openedIndex + 1]!);
  await expect(page.getByText(`${openedIndex + 2} of ${PHOTOS}`)).toBeVisible();

  await page.reload();
  await expect(photoTitle()).toHaveText(searchOrder[openedIndex + 1]!);
  await expect(page.getByRole('button', { name: 'Previous photo' })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(photoTitle()).toHaveText(searchOrder[openedIndex]!);
  await page.getByRole('button', { name: 'Next photo' }).click();
  await expect(photoTitle()).toHaveText(searchOrder[openedIndex + 1]!);
});

test('a slideshow steps on by itself and any key stops it', async () => {
  const start = openedIndex + 1;
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Slideshow' })).toHaveAttribute('aria-pressed', 'true');
  await expect(photoTitle()).toHaveText(searchOrder[start + 1]!, { timeout: 8_000 });
  await page.keyboard.press('x');
  await expect(page.getByRole('button', { name: 'Slideshow' })).toHaveAttribute('aria-pressed', 'false');
  await page.waitForTimeout(4_500);
  await expect(photoTitle()).toHaveText(searchOrder[start + 1]!);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(photoTitle()).toHaveText(searchOrder[openedIndex]!);
});

test('Esc goes back to the search results where they were scrolled, and a reload keeps that place', async () => {
  await page.keyboard.press('Escape');
  await expect(searchGrid()).toBeVisible();
  await expect.poll(() => scrollTopOf(searchGrid())).toBe(searchScroll);
  await shot('back-keeps-place');

  await page.reload();
  await expect(searchGrid().getByRole('option').first()).toBeAttached();
  await expect.poll(() => scrollTopOf(searchGrid())).toBe(searchScroll);
});

test('Back to similar photos lands at the same scroll position', async () => {
  await page.keyboard.press('/');
  await page.getByRole('searchbox', { name: 'Search photos' }).press('ArrowDown');
  await page.keyboard.press('m');
  const grid = page.getByRole('listbox', { name: /Photos similar to/ });
  await expect(grid.getByRole('option').nth(30)).toBeAttached();
  await grid.evaluate((el) => ((el as unknown as Measured).scrollTop = 200));
  await expect.poll(() => scrollTopOf(grid)).toBe(200);
  const order = await gridNames(grid);
  const gridBox = await box(grid);
  for (const cell of await grid.getByRole('option').all()) {
    const cellBox = await box(cell);
    if (cellBox.top >= gridBox.top + 20 && cellBox.bottom <= gridBox.bottom) {
      const index = Number(await cell.getAttribute('data-index'));
      await cell.click();
      await expect(photoTitle()).toHaveText(order[index]!);
      await page.keyboard.press('ArrowRight');
      await expect(photoTitle()).toHaveText(order[index + 1]!);
      break;
    }
  }
  await page.keyboard.press('Escape');
  await expect(grid).toBeVisible();
  await expect.poll(() => scrollTopOf(grid)).toBe(200);
});

test('Back to the library, and a reload of it, land at the same scroll position', async () => {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Library/ }).click();
  const grid = page.getByRole('listbox', { name: /All photos/ });
  await expect(grid.getByRole('option').first()).toBeVisible();
  await grid.evaluate((el) => ((el as unknown as Measured).scrollTop = 333));
  await expect.poll(() => scrollTopOf(grid)).toBe(333);
  const cells = grid.getByRole('option');
  const gridBox = await box(grid);
  let opened = '';
  for (const cell of await cells.all()) {
    const cellBox = await box(cell);
    if (cellBox.top >= gridBox.top + 20 && cellBox.bottom <= gridBox.bottom) {
      opened = (await cell.getAttribute('aria-label'))!.split(',')[0]!;
      await cell.click();
      break;
    }
  }
  await expect(photoTitle()).toHaveText(opened);
  await page.goBack();
  await expect(grid).toBeVisible();
  await expect.poll(() => scrollTopOf(grid)).toBe(333);
  await page.reload();
  await expect(grid.getByRole('option').first()).toBeAttached();
  await expect.poll(() => scrollTopOf(grid)).toBe(333);
});

/** The server's API, as the command line would call it (to link photos without clicking through suggestions). */
async function call<T>(method: string, request: object): Promise<T> {
  const response = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const envelope = (await response.json()) as { ok: boolean; result: T };
  expect(envelope.ok, `${method} answered ${JSON.stringify(envelope)}`).toBe(true);
  return envelope.result;
}

test('a photo opened from a note walks the note’s linked photos, also after a reload', async () => {
  // The notes folder added by the first test may still be indexing on a busy machine.
  const listed = () => call<{ items: { id: string }[] }>('notes.list', {});
  await expect.poll(async () => (await listed()).items.length, { timeout: 30_000 }).toBeGreaterThan(0);
  const noteId = (await listed()).items[0]!.id;
  const some = await call<{ items: { id: string }[] }>('photos.list', { limit: 3 });
  for (const photo of some.items) await call('links.add', { photoId: photo.id, noteId });
  const linked = (await call<{ items: { photo: { fileName: string } }[] }>('links.list', { noteId })).items.map((link) => link.photo.fileName);
  expect(linked).toHaveLength(3);

  await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), `#/notes/${encodeURIComponent(noteId)}`);
  const notePhotos = page.getByRole('complementary', { name: 'About this note' });
  await notePhotos.getByRole('region', { name: 'Linked photos' }).getByRole('button', { name: `Open ${linked[0]}` }).click();
  await expect(photoTitle()).toHaveText(linked[0]!);
  await page.keyboard.press('ArrowRight');
  await expect(photoTitle()).toHaveText(linked[1]!);
  await page.reload();
  await expect(photoTitle()).toHaveText(linked[1]!);
  // The arrows step once the reloaded page has read the note's photos again, as photo-lists.spec.ts waits too.
  await expect(page.getByRole('button', { name: 'Next photo' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(photoTitle()).toHaveText(linked[2]!);
  await expect(page.getByText('3 of 3')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next photo' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(notePhotos).toBeVisible();

  // The notes list keeps what was typed into its filter across a reload.
  const find = page.getByRole('searchbox', { name: 'Find notes by words or meaning' });
  await find.fill('circles');
  await expect(page.getByRole('list').getByRole('link', { name: /Trip/ })).toBeVisible();
  await page.reload();
  await expect(find).toHaveValue('circles');
});
