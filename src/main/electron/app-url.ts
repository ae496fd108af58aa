/**
 * Which URLs are our page. Checked by scheme and host: every URL of a non-special scheme (`file:`, `data:`, `blob:`,
 * our own `subspace-app:`) has the origin "null", so comparing origins would let any of them pass as ours.
 */
export const APP_SCHEME = 'subspace-app';
export const APP_HOST = 'app';
export const APP_PAGE = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The electron-vite dev server's URL, honoured only in a development run: a packaged app always loads its own
 * bundle, whatever the environment says.
 */
export function devServerUrl(env: Readonly<Record<string, string | undefined>>, isPackaged: boolean): URL | null {
  const value = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !value) return null;
  const url = parse(value);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url : null;
}

/** True for our page: `subspace-app://app/…`, or the dev server's scheme and host when there is one. */
export function isAppUrl(url: string, devServer: URL | null): boolean {
  const parsed = parse(url);
  if (!parsed || parsed.username || parsed.password) return false;
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
  return devServer !== null && parsed.protocol === devServer.protocol && parsed.host === devServer.host;
}

/** What `window.open` and a link with a target do: http(s) pages open in the user's browser, nothing opens in the app. */
export function windowOpenAction(url: string, devServer: URL | null): 'external' | 'deny' {
  const parsed = parse(url);
  if (!parsed || isAppUrl(url, devServer)) return 'deny';
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? 'external' : 'deny';
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
