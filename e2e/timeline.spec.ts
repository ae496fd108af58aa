/**
 * The library at a glance: month headers, compact days (small days share a row, each labelled) and the
 * timeline scrubber along the right edge, on photos made here with EXIF dates over several years.
 * Screenshots go to e2e/screenshots/ (git-ignored) for a human look.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { useSuiteModel } from './support/model.ts';
import { serve, type Served } from './support/serve.ts';
import { photosShown } from './support/photos-shown.ts';

test.describe.configure({ mode: 'serial' });

/** Photos per day (`YYYY-MM-DD`), newest first as the grid shows them. */
const days: [string, number][] = [
  ['2024-03-09', 3],
  ['2024-03-08', 1],
  ['2024-03-02', 1],
  ['2024-01-20', 2],
  ['2023-07-16', 9],
  ['2023-07-15', 8],
  ['2023-07-14', 10],
  ['2023-07-02', 9],
  ['2022-12-24', 7],
  ['2021-05-30', 1],
  ['2021-05-03', 1],
  ['2019-08-14', 5],
];
const total = days.reduce((sum, [, count]) => sum + count, 0);

const screenshots = join(import.meta.dirname, 'screenshots');
let tmp: string;
let server: Served;
let page: Page;

async function writeDatedPhotos(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  let n = 0;
  for (const [day, count] of days) {
    for (let i = 0; i < count; i++, n++) {
      const hue = (n * 37) % 360;
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240">
        <rect width="320" height="240" fill="hsl(${hue},45%,66%)"/>
        <circle cx="${80 + ((n * 29) % 160)}" cy="120" r="${40 + (n % 5) * 8}" fill="hsl(${(hue + 160) % 360},55%,42%)"/>
      </svg>`;
      const time = `${String(18 - i).padStart(2, '0')}:00:00`;
      await sharp(Buffer.from(svg))
        .withExif({ IFD2: { DateTimeOriginal: `${day.replaceAll('-', ':')} ${time}` } })
        .jpeg({ quality: 82 })
        .toFile(join(dir, `${day}-${String(i + 1).padStart(2, '0')}.jpg`));
    }
  }
}

async function call<T>(method: string, body: unknown): Promise<T> {
  const response = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const envelope = (await response.json()) as { ok: boolean; result: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(envelope.error?.message);
  return envelope.result;
}

async function shot(name: string): Promise<void> {
  const allLoaded = () => photosShown(page);
  await expect.poll(allLoaded, { timeout: 5_000 }).toBe(true).catch(() => undefined);
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

function monthHeader(month: string): Locator {
  return page.locator('.date-header:not(.pinned)', { hasText: month });
}

function dayLabel(text: RegExp): Locator {
  return page.locator('.day-label', { hasText: text });
}

/** The photos of the grid whose cells lie within the viewport. */
async function photosOnScreen(): Promise<string[]> {
  const grid = await page.getByRole('listbox', { name: /All photos/ }).boundingBox();
  const cells = page.getByRole('option');
  const names: string[] = [];
  for (const cell of await cells.all()) {
    const box = await cell.boundingBox();
    if (!box || !grid || box.y + box.height <= grid.y || box.y >= grid.y + grid.height) continue;
    names.push(((await cell.getAttribute('aria-label')) ?? '').split(',')[0]!);
  }
  return names;
}

test.beforeAll(async ({ browser }) => {
  tmp = await mkdtemp(join(tmpdir(), 'subspace-timeline-'));
  const photos = join(tmp, 'Photos');
  await writeDatedPhotos(photos);
  await useSuiteModel(join(tmp, 'library'));
  server = await serve(join(tmp, 'library'));
  await call('folders.add', { kind: 'photos', path: photos });
  await expect
    .poll(async () => (await call<{ days: { count: number }[] }>('photos.timeline', {})).days.reduce((sum, day) => sum + day.count, 0), {
      timeout: 150_000,
      intervals: [500],
    })
    .toBe(total);
  page = await browser.newPage();
});

test.afterAll(async () => {
  await server?.stop();
  await page?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('groups the library under month headers, with small days sharing a row, each labelled', async () => {
  await page.goto(server.url);
  await expect(page.getByRole('listbox', { name: /All photos/ })).toBeVisible();
  await expect(monthHeader('March 2024')).toBeVisible();
  await expect(monthHeader('March 2024')).toContainText('5');
  await expect(monthHeader('January 2024')).toBeVisible();

  const march8 = await dayLabel(/Mar 8/).boundingBox();
  const march2 = await dayLabel(/Mar 2/).boundingBox();
  const march9 = await dayLabel(/Mar 9/).boundingBox();
  expect(march8 && march2 && march9).toBeTruthy();
  expect(march8!.y).toBe(march9!.y);
  expect(march2!.y).toBe(march8!.y);
  expect(march8!.x).toBeGreaterThan(march9!.x);
  expect(march2!.x).toBeGreaterThan(march8!.x);
  const cellOf = async (name: string) => (await page.getByRole('option', { name: new RegExp(`^${name}`) }).boundingBox())!;
  const [one, two] = [await cellOf('2024-03-08-01.jpg'), await cellOf('2024-03-02-01.jpg')];
  expect(one.y).toBe(two.y);
  expect(two.x).toBeGreaterThan(one.x + one.width);
  await shot('library-timeline');
});

test('the scrubber marks the years, names the month under the pointer, and jumps there', async () => {
  const scrubber = page.getByRole('slider', { name: 'Timeline' });
  await expect(scrubber).toBeVisible();
  for (const year of ['2024', '2023', '2019']) await expect(scrubber.getByText(year, { exact: true })).toBeVisible();
  expect(await photosOnScreen()).not.toContain('2019-08-14-01.jpg');

  const mark = await scrubber.getByText('2019', { exact: true }).boundingBox();
  const bar = (await scrubber.boundingBox())!;
  await page.mouse.move(bar.x + bar.width / 2, mark!.y + mark!.height / 2);
  await expect(scrubber.getByText('August 2019')).toBeVisible();
  await shot('library-scrubber-hover');

  await page.mouse.down();
  await page.mouse.up();
  await expect(monthHeader('August 2019')).toBeInViewport();
  await expect.poll(photosOnScreen).toContain('2019-08-14-01.jpg');
  await expect(page.getByRole('option', { name: /^2019-08-14-01\.jpg/ }).locator('img[data-thumb="shown"]')).toBeVisible();
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'August 2019');
});

test('drags through the years and moves by month and year from the keyboard', async () => {
  const scrubber = page.getByRole('slider', { name: 'Timeline' });
  const bar = (await scrubber.boundingBox())!;
  await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height - 4);
  await page.mouse.down();
  await page.mouse.move(bar.x + bar.width / 2, bar.y + 20, { steps: 8 });
  await page.mouse.up();
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'March 2024');
  await expect(monthHeader('March 2024')).toBeInViewport();

  await scrubber.focus();
  await page.keyboard.press('ArrowDown');
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'January 2024');
  await page.keyboard.press('PageDown');
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'July 2023');
  await expect(monthHeader('July 2023')).toBeInViewport();
  await page.keyboard.press('PageDown');
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'December 2022');
  await page.keyboard.press('PageUp');
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'July 2023');
  await page.keyboard.press('End');
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'August 2019');
  await expect.poll(photosOnScreen).toContain('2019-08-14-05.jpg');
  await page.keyboard.press('Home');
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'March 2024');
  await expect.poll(photosOnScreen).toContain('2024-03-09-01.jpg');
});
