/**
 * The Chromium the end-to-end tests drive. Debian's (`/usr/bin/chromium`, which CI installs) where it is
 * present; else, on Linux x64, the one `@sparticuz/chromium` ships inside its npm tarball, unpacked on first
 * use into the OS temp folder (Playwright's own browser download cannot be had everywhere `npm install`
 * works); else Playwright's own browser (`npx playwright install chromium`). SUBSPACE_CHROMIUM names another
 * system Chromium; a path that does not exist (`SUBSPACE_CHROMIUM=none`) forces the npm one.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

const quiet = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The suite checks what a page may do: keep the same-origin policy, mixed-content blocking and site isolation on. */
const weakensWebSecurity = new Set(['--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials']);

export const systemChromium = process.env.SUBSPACE_CHROMIUM ?? '/usr/bin/chromium';

export async function chromiumLaunchOptions(): Promise<LaunchOptions> {
  if (existsSync(systemChromium)) return { executablePath: systemChromium, args: ['--no-sandbox', ...quiet] };
  if (process.platform !== 'linux' || process.arch !== 'x64') return { args: quiet };
  const { default: packaged } = await import('@sparticuz/chromium');
  return {
    executablePath: await packaged.executablePath(),
    headless: true,
    args: [...packaged.args.filter((arg) => !weakensWebSecurity.has(arg)), ...quiet],
  };
}
