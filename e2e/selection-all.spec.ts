/**
 * Ctrl+A in a library larger than what the grid has loaded: "all" means every photo of the grid, counted at
 * once and fetched from the list only when an action needs them (here: copying their paths).
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { useSuiteModel } from './support/model.ts';
import { serve, type Served } from './support/serve.ts';

/** More than two of the grid's pages (200 photos each), so most of the library is not loaded when Ctrl+A is pressed. */
const PHOTOS = 450;
let tmp: string;
let photosDir: string;
let server: Served;
let context: BrowserContext;
let page: Page;

const api = <T>(method: string, request: object) => server.call<T>(method, request);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  tmp = await mkdtemp(join(tmpdir(), 'subspace-selection-all-'));
  photosDir = join(tmp, 'Photos');
  await mkdir(photosDir, { recursive: true });
  for (let i = 0; i < PHOTOS; i++) {
    const background = { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 };
    await sharp({ create: { width: 64, height: 48, channels: 3, background } })
      .jpeg()
      .toFile(join(photosDir, `img-${String(i).padStart(3, '0')}.jpg`));
  }
  await useSuiteModel(join(tmp, 'library'));
  server = await serve(join(tmp, 'library'));
  await api('folders.add', { kind: 'photos', path: photosDir });
  await expect.poll(async () => (await api<{ photoCount: number }>('library.facets', {})).photoCount, { timeout: 240_000 }).toBe(PHOTOS);
  context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  page = await context.newPage();
  await page.goto(server.url);
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('Ctrl+A selects every photo of the library, loaded or not, and an action gets them all', async () => {
  const grid = page.getByRole('listbox', { name: /All photos/ });
  await expect(grid.getByRole('option').first()).toBeVisible();
  const rendered = await grid.getByRole('option').count();
  expect(rendered).toBeLessThan(PHOTOS);

  await grid.getByRole('option').nth(2).click({ modifiers: ['Control'] });
  const bar = page.getByRole('toolbar', { name: 'Selected photos' });
  await expect(bar).toContainText('1 selected');
  await page.keyboard.press('Control+a');
  await expect(bar).toContainText(`${PHOTOS} selected`);
  await expect(bar).toContainText('all photos here');
  // Take one out again: "all but one".
  await grid.getByRole('option').nth(0).click();
  await expect(bar).toContainText(`${PHOTOS - 1} selected`);
  const excluded = (await grid.getByRole('option').nth(0).getAttribute('aria-label'))!.split(',')[0]!.trim();

  await bar.getByRole('button', { name: 'Copy paths' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Copied ${PHOTOS - 1} paths` })).toBeVisible({ timeout: 30_000 });
  const clipboard = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
  const lines = clipboard.split('\n');
  expect(lines).toHaveLength(PHOTOS - 1);
  expect(new Set(lines).size).toBe(PHOTOS - 1);
  expect(lines).not.toContain(join(photosDir, excluded));
  for (const line of lines) expect(line.startsWith(join(photosDir, 'img-'))).toBe(true);
});
