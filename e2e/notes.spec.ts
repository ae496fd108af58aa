/**
 * Notes as an Obsidian user expects them, in browser mode on a vault of tricky files written here: front matter as
 * properties, [[wikilinks]] followed, backlinks, ![[photo]] embeds, the folder tree, notes created in a chosen
 * folder, a one-word edit that changes only those bytes on disk (CRLF, BOM, tabs, trailing spaces, no final
 * newline, Latin-1), and photos for selected text that is not saved yet.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import sharp from 'sharp';
import { useSuiteModel } from './support/model.ts';
import { serve, type Served } from './support/serve.ts';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1600, height: 900 } });

const screenshots = join(import.meta.dirname, 'screenshots');

const OSLO = [
  '---',
  'tags: [trip, winter]',
  'date: 2024-02-10',
  'place: Oslo, Norway',
  '---',
  '# Oslo in winter',
  '',
  'We took the night train on to [[Bergen]], and the fjord boat the next day: see [[trips/Bergen|the Bergen trip]].',
  'The ski jump at Holmenkollen is in [[Tromsø]]? No, that one is still to write.',
  'Lunch at [[trips/Bergen#Fish market|the fish market]].',
  '',
  '![[fjord.jpg]]',
  '',
  '```',
  '[[Not a link]] inside code',
  '```',
  '',
].join('\n');

/** A Windows note: BOM, CRLF, a tab, trailing spaces, no final newline. */
const CRLF = '\uFEFF# Shopping list\r\n\r\nBuy\tbread and milk  \r\nThen walk home by the harbour   ';
const LATIN1 = '# Café notes\r\nA crème brûlée near the harbour.\r\n';

let tmp: string;
let vault: string;
let server: Served;
let page: Page;

const api = <T>(method: string, request: object) => server.call<T>(method, request);

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

const tree = () => page.getByRole('list', { name: 'Notes by folder' });
const editor = () => page.getByRole('textbox', { name: 'Note text (Markdown)' });
const preview = () => page.getByRole('article', { name: 'Note preview' });

async function openNote(title: string): Promise<void> {
  await tree().getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: title }).first()).toBeVisible();
}

/** Selects `length` characters from `offset` of the editor's text (line breaks count one) with the keyboard. */
async function selectInEditor(offset: number, length: number): Promise<void> {
  await editor().click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < offset; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < length; i++) await page.keyboard.press('Shift+ArrowRight');
}

async function mode(name: 'Write' | 'Split' | 'Preview'): Promise<void> {
  await page.getByRole('group', { name: 'Editor mode' }).getByRole('button', { name }).click();
}

test.beforeAll(async ({ browser }) => {
  tmp = await mkdtemp(join(tmpdir(), 'subspace-notes-e2e-'));
  vault = join(tmp, 'Vault');
  const pictures = join(tmp, 'Pictures');
  await mkdir(join(vault, 'trips', '2024'), { recursive: true });
  await mkdir(pictures, { recursive: true });
  await writeFile(join(vault, 'Oslo.md'), OSLO);
  await writeFile(join(vault, 'Bergen.md'), '# Bergen\n\nThe city of seven mountains.\n');
  const days = Array.from({ length: 40 }, (_, i) => `Day note ${i + 1}: rain, coffee, another museum.`).join('\n\n');
  await writeFile(join(vault, 'trips', 'Bergen.md'), `# Bergen trip\n\nTwo rainy days, the fish market and Fløyen.\n\n${days}\n\n## Fish market\n\nShrimp and fish soup.\n`);
  await writeFile(join(vault, 'trips', '2024', 'Plan.md'), '# Plan\n\nStart in [[Oslo]], then [[Bergen]].\n');
  await writeFile(join(vault, 'Shopping.md'), CRLF);
  await writeFile(join(vault, 'Café.md'), iconv.encode(LATIN1, 'windows-1252'));
  const fjord = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400"><rect width="640" height="400" fill="#8fb8de"/>
    <polygon points="0,400 180,120 320,400" fill="#3d5a80"/><polygon points="260,400 470,90 640,400" fill="#293241"/>
    <rect y="330" width="640" height="70" fill="#1d3557"/></svg>`;
  await sharp(Buffer.from(fjord)).jpeg({ quality: 85 }).toFile(join(pictures, 'fjord.jpg'));
  await sharp({ create: { width: 320, height: 240, channels: 3, background: '#d62828' } }).jpeg().toFile(join(pictures, 'red.jpg'));

  await useSuiteModel(join(tmp, 'library'));
  server = await serve(join(tmp, 'library'));
  await api('folders.add', { kind: 'notes', path: vault });
  await api('folders.add', { kind: 'photos', path: pictures });
  await expect
    .poll(async () => [(await api<{ total: number }>('notes.list', {})).total, (await api<{ total: number }>('photos.list', {})).total], {
      timeout: 120_000,
    })
    .toEqual([6, 2]);
  page = await browser.newPage();
  await page.goto(server.url);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Notes/ }).click();
});

test.afterAll(async () => {
  await server?.stop();
  await page?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('lists notes as a folder tree that remembers what is open', async () => {
  const vaultFolder = tree().getByRole('button', { name: /^Vault/ });
  await expect(vaultFolder).toHaveAttribute('aria-expanded', 'true');
  const trips = tree().getByRole('button', { name: /^trips/ });
  await expect(trips).toHaveAttribute('aria-expanded', 'false');
  await expect(tree().getByRole('link', { name: 'Bergen trip' })).toHaveCount(0);
  await trips.click();
  await tree().getByRole('button', { name: /^2024/ }).click();
  await expect(tree().getByRole('link', { name: 'Bergen trip' })).toBeVisible();
  await expect(tree().getByRole('link', { name: 'Plan' })).toBeVisible();
  await openNote('Oslo in winter');
  await shot('note-folder-tree');

  await page.reload();
  await expect(tree().getByRole('link', { name: 'Plan' })).toBeVisible();

  // The keyboard moves through the tree: Left closes a folder, Right opens it, Down goes to the next row.
  const year = tree().getByRole('button', { name: /^2024/ });
  await year.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(year).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(year).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(tree().getByRole('link', { name: 'Plan' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(year).toBeFocused();
});

test('shows front matter as properties and renders wikilinks and embedded photos', async () => {
  await openNote('Oslo in winter');
  await mode('Preview');
  const properties = preview().getByRole('region', { name: 'Properties' });
  await expect(properties.getByText('tags', { exact: true })).toBeVisible();
  await expect(properties.getByText('trip', { exact: true })).toBeVisible();
  await expect(properties.getByText('winter', { exact: true })).toBeVisible();
  await expect(properties.getByText('2024-02-10')).toBeVisible();
  await expect(properties.getByText('Oslo, Norway')).toBeVisible();
  // Never Markdown: no rule, no heading made of the YAML.
  await expect(preview().locator('hr')).toHaveCount(0);
  await expect(preview().getByRole('heading', { name: /tags/ })).toHaveCount(0);

  const bergen = preview().getByRole('link', { name: 'Bergen', exact: true });
  const bergenId = (await api<{ id: string }>('notes.byPath', { path: join(vault, 'Bergen.md') })).id;
  await expect(bergen).toHaveAttribute('href', `#/notes/${encodeURIComponent(bergenId)}`);
  await expect(preview().getByRole('link', { name: 'Tromsø' })).toHaveClass(/unresolved/);
  await expect(preview().getByText('[[Not a link]] inside code')).toBeVisible();

  const embed = preview().getByRole('link', { name: 'Open fjord.jpg' });
  const image = embed.getByRole('img', { name: 'fjord.jpg' });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(640);
  await shot('note-front-matter-wikilinks');

  await embed.click();
  await expect(page).toHaveURL(/#\/photo\//);
  await expect(page.getByText('fjord.jpg').first()).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Oslo in winter' }).first()).toBeVisible();
});

test('follows a wikilink to the nearest note of that name and shows its backlinks', async () => {
  await mode('Preview');
  await preview().getByRole('link', { name: 'the Bergen trip' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bergen trip' }).first()).toBeVisible();
  const backlinks = page.getByRole('region', { name: /Backlinks/ });
  await expect(backlinks.getByRole('link')).toHaveCount(2);
  await expect(backlinks.getByRole('link', { name: /Oslo in winter/ })).toContainText('see [[trips/Bergen|the Bergen trip]]');
  // From trips/2024/Plan.md, [[Bergen]] is the nearest Bergen: this one, not the vault's.
  await expect(backlinks.getByRole('link', { name: /Plan/ })).toBeVisible();
  await shot('note-backlinks');

  await backlinks.getByRole('link', { name: /Oslo in winter/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Oslo in winter' }).first()).toBeVisible();

  // A link to a heading opens the note at that heading.
  await mode('Preview');
  await preview().getByRole('link', { name: 'the fish market' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bergen trip' }).first()).toBeVisible();
  await expect(preview().getByRole('heading', { level: 2, name: 'Fish market' })).toBeInViewport();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Oslo in winter' }).first()).toBeVisible();

  // In the editor, Ctrl-click follows a wikilink.
  await mode('Write');
  await editor().locator('.cm-wikilink', { hasText: '[[Bergen]]' }).click({ modifiers: ['Control'] });
  await expect(page.getByRole('heading', { level: 1, name: 'Bergen' }).first()).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Oslo in winter' }).first()).toBeVisible();
});

test('edits one word and changes only those bytes on disk (CRLF, BOM, tab, trailing spaces, no final newline, Latin-1)', async () => {
  await openNote('Shopping list');
  await mode('Write');
  const text = CRLF.slice(1).replaceAll('\r\n', '\n');
  await selectInEditor(text.indexOf('bread'), 'bread'.length);
  await page.keyboard.type('rolls');
  await expect.poll(() => readFile(join(vault, 'Shopping.md')), { timeout: 20_000 }).toEqual(Buffer.from(CRLF.replace('bread', 'rolls')));
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await mode('Split');
  await shot('note-editor-codemirror');

  await openNote('Café notes');
  await mode('Write');
  const latin = LATIN1.replaceAll('\r\n', '\n');
  await selectInEditor(latin.indexOf('near'), 'near'.length);
  await page.keyboard.type('près de');
  await expect
    .poll(() => readFile(join(vault, 'Café.md')), { timeout: 20_000 })
    .toEqual(iconv.encode(LATIN1.replace('near', 'près de'), 'windows-1252'));
});

test('finds photos for selected text that is not saved yet', async () => {
  await openNote('Bergen');
  await mode('Write');
  // Saves wait until the end: the search must use the editor's text, not the file's.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/notes.save', async (route) => {
    await held;
    await route.continue();
  });
  const typed = 'A bright red poster on the wall';
  try {
    await editor().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(`\n${typed}`);
    await page.keyboard.press('Shift+Home');
    const suggested = page.getByRole('region', { name: 'Photos for the selected text' });
    await expect(suggested).toBeVisible();
    await expect(suggested).toContainText(`“${typed}”`);
    await expect(suggested.getByRole('button', { name: /^Open / }).first()).toBeVisible();
    expect(await readFile(join(vault, 'Bergen.md'), 'utf8')).not.toContain(typed);
  } finally {
    release();
    await page.unrouteAll({ behavior: 'wait' });
  }
  await page.keyboard.press('Control+s');
  await expect.poll(() => readFile(join(vault, 'Bergen.md'), 'utf8')).toBe(`# Bergen\n\nThe city of seven mountains.\n\n${typed}`);
});

test('creates a note in the folder chosen in the tree, or in another picked in the dialog', async () => {
  await tree().getByRole('button', { name: /^trips/ }).click();
  await tree().getByRole('button', { name: /^trips/ }).click();
  await page.getByRole('button', { name: 'New note' }).click();
  const folder = page.getByRole('combobox', { name: 'Folder for the new note' });
  await expect(folder).toHaveValue(join(vault, 'trips'));
  await folder.selectOption({ label: 'Vault / trips / 2024' });
  await page.getByRole('textbox', { name: 'New note file name' }).fill('Packing');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Packing' }).first()).toBeVisible();
  expect(await readFile(join(vault, 'trips', '2024', 'Packing.md'), 'utf8')).toBe('# Packing\n\n');
  await expect(tree().getByRole('link', { name: 'Packing' })).toBeVisible();
});

test('reads well in the dark theme', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openNote('Oslo in winter');
  await mode('Split');
  await expect(preview().getByRole('region', { name: 'Properties' })).toBeVisible();
  await shot('note-dark');
  await page.emulateMedia({ colorScheme: 'light' });
});

test('an unresolved wikilink offers to create that note beside the linking one', async () => {
  await openNote('Oslo in winter');
  await mode('Preview');
  await preview().getByRole('link', { name: 'Tromsø' }).click();
  await expect(page.getByRole('textbox', { name: 'New note file name' })).toHaveValue('Tromsø');
  await expect(page.getByRole('combobox', { name: 'Folder for the new note' })).toHaveValue(vault);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tromsø' }).first()).toBeVisible();
  expect(await readFile(join(vault, 'Tromsø.md'), 'utf8')).toBe('# Tromsø\n\n');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Oslo in winter' }).first()).toBeVisible();
  await expect(preview().getByRole('link', { name: 'Tromsø' })).not.toHaveClass(/unresolved/);
});
