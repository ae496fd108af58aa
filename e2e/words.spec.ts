/**
 * Words a person understands, in browser mode: a folder added through the folder browser (the server's folders,
 * since a browser has no system dialog), `~` in the path box, a bad path answered with a sentence and its
 * technical details one click away, and Settings saying in plain words what the model runs on.
 * Screenshots: e2e/screenshots/folder-browser.png (and -dark), friendly-error.png, settings-provider.png, toast-details.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNvidiaGpu } from '../src/main/model/providers.ts';
import { writeNotes, writeOwnPhotos } from './support/library-data.ts';
import { useSuiteModel } from './support/model.ts';
import { serve, type Served } from './support/serve.ts';

test.describe.configure({ mode: 'serial' });

const screenshots = join(import.meta.dirname, 'screenshots');
let tmp: string;
/** The server's home folder: what `~` means to it, and where the folder browser starts. */
let home: string;
let server: Served;
/** The last test stops the server itself. */
let stopped = false;
let page: Page;

test.beforeAll(async ({ browser }) => {
  tmp = await mkdtemp(join(tmpdir(), 'subspace-words-'));
  home = join(tmp, 'ana');
  await writeOwnPhotos(join(home, 'Pictures', 'Summer 2024'), 3);
  await writeOwnPhotos(join(home, 'Pictures', 'Winter 2023'), 2);
  await mkdir(join(home, 'Pictures', '.thumbnails'), { recursive: true });
  await mkdir(join(home, 'Documents'), { recursive: true });
  await writeNotes(join(home, 'Notes'));
  await useSuiteModel(join(tmp, 'library'));
  server = await serve(join(tmp, 'library'), 90_000, { HOME: home });
  page = await browser.newPage();
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Folders', exact: true }).click();
});

test.afterAll(async () => {
  if (!stopped) await server?.stop();
  await page?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function photoSection() {
  return page.getByRole('region', { name: 'Photo folders' });
}

test('adds a photo folder through the folder browser: places, breadcrumbs, folders only, hidden ones on request', async () => {
  await photoSection().getByRole('button', { name: 'Browse…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a photo folder' });
  await expect(dialog).toBeVisible();
  const crumbs = dialog.getByRole('navigation', { name: 'Folder path' });
  await expect(crumbs.getByRole('button', { name: 'ana' })).toHaveAttribute('aria-current', 'location');
  const places = dialog.getByRole('navigation', { name: 'Places' });
  await expect(places.getByRole('button', { name: 'Home' })).toBeVisible();
  await expect(places.getByRole('button', { name: 'Documents' })).toBeVisible();

  const folders = dialog.getByRole('listbox');
  await expect(folders).toBeFocused();
  await places.getByRole('button', { name: 'Pictures' }).click();
  await expect(folders.getByRole('option')).toHaveText(['Summer 2024', 'Winter 2023']);
  await expect(dialog.getByText('Show hidden folders (1)')).toBeVisible();
  await dialog.getByRole('checkbox', { name: /Show hidden folders/ }).check();
  await expect(folders.getByRole('option')).toHaveText(['.thumbnails', 'Summer 2024', 'Winter 2023']);
  await dialog.getByRole('checkbox', { name: /Show hidden folders/ }).uncheck();
  await expect(folders.getByRole('option')).toHaveCount(2);
  await page.screenshot({ path: join(screenshots, 'folder-browser.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(screenshots, 'folder-browser-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // The keyboard: down to the second folder, Enter opens it, Backspace goes back up.
  await folders.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(crumbs.getByRole('button', { name: 'Winter 2023' })).toHaveAttribute('aria-current', 'location');
  await expect(dialog.getByText('No folders in here. You can add this folder itself.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Add this folder' })).toBeFocused();
  await page.keyboard.press('Backspace');
  await expect(crumbs.getByRole('button', { name: 'Pictures' })).toHaveAttribute('aria-current', 'location');
  await folders.getByRole('option', { name: 'Summer 2024' }).click();
  await expect(crumbs.getByRole('button', { name: 'Summer 2024' })).toHaveAttribute('aria-current', 'location');
  await dialog.getByRole('button', { name: 'Add this folder' }).click();

  await expect(dialog).toBeHidden();
  await expect(photoSection().getByText(join(home, 'Pictures', 'Summer 2024'), { exact: true })).toBeVisible();
});

test('Esc closes the folder browser without adding anything', async () => {
  await photoSection().getByRole('button', { name: 'Browse…' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page).toHaveURL(/#\/folders$/);
});

test('~ in the path box is the server user’s home folder', async () => {
  const notes = page.getByRole('region', { name: 'Note folders' });
  await notes.getByRole('textbox').fill('~/Notes');
  await notes.getByRole('button', { name: 'Add folder' }).click();
  await expect(notes.getByText(join(home, 'Notes'), { exact: true })).toBeVisible();
  await expect(notes.getByRole('alert')).toHaveCount(0);
});

test('a bad path gets a sentence, with the technical details one click away', async () => {
  const photos = photoSection();
  const box = photos.getByRole('textbox');
  await box.fill('Pictures/Winter 2023');
  await photos.getByRole('button', { name: 'Add folder' }).click();
  const error = photos.getByRole('alert');
  await expect(error).toContainText('The folder must be a full path, like /home/ana/Pictures or ~/Pictures.');
  await expect(error.getByText(/Invalid request/)).toBeHidden();
  await expect(box).toHaveAttribute('aria-invalid', 'true');

  await box.fill('~/Picturs/Winter 2023');
  await photos.getByRole('button', { name: 'Add folder' }).click();
  await expect(error).toContainText(`There is no folder at ${join(home, 'Picturs', 'Winter 2023')}: check the spelling.`);
  const details = error.getByText('Details');
  await expect(error.getByText(/ENOENT/)).toBeHidden();
  await details.click();
  await expect(error.getByText(/ENOENT: no such file or directory/)).toBeVisible();
  await page.screenshot({ path: join(screenshots, 'friendly-error.png') });
});

test('Settings says what the model runs on in words, with the loader’s message under Details', async () => {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const runsOn = page.locator('dd', { has: page.getByText(/^(CPU|NVIDIA CUDA \(GPU\))$/) });
  await expect(runsOn).toBeVisible({ timeout: 60_000 });
  if (process.platform === 'linux' && process.arch === 'x64' && !hasNvidiaGpu()) {
    await expect(runsOn).toContainText('No NVIDIA GPU found: using the CPU.');
    const loader = runsOn.getByText(/OrtSessionOptionsAppendExecutionProvider_Cuda|CUDA failure/);
    await expect(loader).toBeHidden();
    await runsOn.getByText('Details').click();
    await expect(loader).toBeVisible();
  }
  await page.screenshot({ path: join(screenshots, 'settings-provider.png') });
});

test('an error toast has its details one click away, and stays while they are read', async () => {
  await page.getByRole('link', { name: 'Folders', exact: true }).click();
  // Rescan all shows once the folders added above are indexed; a server stopped before then leaves Pause for good.
  const rescan = page.getByRole('button', { name: 'Rescan all' });
  await expect(rescan).toBeVisible({ timeout: 120_000 });
  await server.stop();
  stopped = true;
  await rescan.click();
  const toast = page.getByRole('alert').filter({ hasText: 'Subspace is not reachable. Is `subspace serve` still running?' });
  await expect(toast).toBeVisible();
  await toast.getByText('Details').click();
  await expect(toast.locator('pre')).toContainText('Failed to fetch');
  await page.waitForTimeout(9_000);
  await expect(toast).toBeVisible();
  await page.screenshot({ path: join(screenshots, 'toast-details.png') });
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toBeHidden();
});
