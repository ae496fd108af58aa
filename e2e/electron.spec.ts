/**
 * The desktop shell: window security settings, the preload bridge and the port into the service process, the media
 * protocol, blocked navigation, the log file, and a restart of the service process after it is killed. Needs an Electron binary (`npm install` with a network fetches it) and the
 * build (`npm run build`); where there is no binary, every test here is skipped with a line saying why.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** The Electron executable, or why there is none (the npm package throws when its binary was never downloaded). */
function electronBinary(): { path: string } | { reason: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? { path } : { reason: 'the electron package has no binary' };
  } catch (error) {
    return { reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

const binary = electronBinary();
if ('reason' in binary) console.log(`[skip] e2e/electron.spec.ts: no Electron binary here (${binary.reason}).`);

test.describe.configure({ mode: 'serial' });
test.skip('reason' in binary, 'No Electron binary: the desktop-shell tests run where `npm install` could fetch one.');

/** What the page can reach of the bridge (this file is type-checked without the DOM library). */
interface Bridge {
  invoke(method: string, request: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string } }>;
  on(event: string, handler: (payload: unknown) => void): () => void;
}
declare const window: { subspace: Bridge; open(url: string): unknown; location: { href: string } };
declare const document: { querySelectorAll(selector: string): { length: number } };

let app: ElectronApplication;
let page: Page;
let home: string;

test.beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'subspace-electron-'));
  app = await electron.launch({
    executablePath: (binary as { path: string }).path,
    args: [root],
    env: { ...process.env, SUBSPACE_HOME: home },
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
  await rm(home, { recursive: true, force: true });
});

test('the window is isolated and has no Node integration', async () => {
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  expect(page.url()).toBe('subspace-app://app/index.html');
  // contextBridge only works with context isolation: the bridge being there proves it is on.
  expect(await page.evaluate(() => typeof window.subspace)).toBe('object');
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  expect(await page.evaluate(() => document.querySelectorAll('webview').length)).toBe(0);
});

test('the preload exposes only the typed bridge', async () => {
  expect(await page.evaluate(() => Object.keys(window.subspace).sort())).toEqual(['invoke', 'on', 'pickFolder']);
});

/** The service process's pid, as Electron lists it (a utility process named "Subspace library"). */
async function servicePid(): Promise<number | undefined> {
  const metrics = await app.evaluate(({ app }) => app.getAppMetrics().map((m) => ({ pid: m.pid, type: m.type, name: m.name ?? m.serviceName })));
  return metrics.find((m) => m.type === 'Utility' && m.name === 'Subspace library')?.pid;
}

test('the service runs in its own utility process, not in the main process', async () => {
  const pid = await servicePid();
  expect(pid).toBeGreaterThan(0);
  expect(pid).not.toBe(await app.evaluate(() => process.pid));
});

test('calls reach the service over its port and are validated there', async () => {
  const info = await page.evaluate(() => window.subspace.invoke('app.info', {}));
  expect(info).toMatchObject({ ok: true, result: { capabilities: { tray: true, revealInFolder: true } } });
  expect(await page.evaluate(() => window.subspace.invoke('fs.readFile', { path: '/etc/passwd' }))).toMatchObject({
    ok: false,
    error: { code: 'unknown_method' },
  });
  expect(await page.evaluate(() => window.subspace.invoke('search.text', { query: 7 }))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
});

test('events arrive through the bridge', async () => {
  const theme = await page.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        const off = window.subspace.on('settings.changed', (payload) => {
          off();
          resolve((payload as { theme: string }).theme);
        });
        void window.subspace.invoke('settings.update', { theme: 'dark' });
      }),
  );
  expect(theme).toBe('dark');
});

test('photos are served by id only through the media protocol', async () => {
  const status = await page.evaluate(async () => (await fetch('subspace-media://photo/not-a-photo')).status);
  expect(status).toBe(404);
  const traversal = await page.evaluate(async () => (await fetch('subspace-media://photo/..%2F..%2Fetc%2Fpasswd')).status);
  expect([400, 404]).toContain(traversal);
});

test('navigation away and new windows are blocked, whatever the scheme', async () => {
  for (const target of ['https://example.com/', 'file:///etc/passwd', 'data:text/html,<p>not ours</p>', 'subspace-app://evil/index.html']) {
    await page.evaluate((href) => {
      window.location.href = href;
    }, target);
    await page.waitForTimeout(500);
    expect(page.url(), target).toBe('subspace-app://app/index.html');
    expect(await page.evaluate((href) => window.open(href), target), target).toBeNull();
  }
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('both processes log to the data folder, and app.info says where', async () => {
  const info = await page.evaluate(() => window.subspace.invoke('app.info', {}));
  const logFile = join(home, 'logs', 'subspace.log');
  expect(info).toMatchObject({ ok: true, result: { logFile } });
  const log = await readFile(logFile, 'utf8');
  expect(log).toContain('[main] info: starting Subspace');
  expect(log).toMatch(/\[service\] info: service process \d+ opening/);
});

test('a killed service process is restarted, the page is told, and calls work again', async () => {
  const before = await servicePid();
  expect(before).toBeGreaterThan(0);
  process.kill(before!, 'SIGKILL');
  await expect(page.getByText('The library service restarted')).toBeVisible({ timeout: 60_000 });
  const after = await servicePid();
  expect(after).toBeGreaterThan(0);
  expect(after).not.toBe(before);
  expect(await page.evaluate(() => window.subspace.invoke('app.info', {}))).toMatchObject({ ok: true });
  const log = await readFile(join(home, 'logs', 'subspace.log'), 'utf8');
  expect(log).toContain('the service process exited unexpectedly');
  expect(log).toContain('the service process was restarted');
});
