/**
 * Two custom schemes: `subspace-app://app/…` serves the renderer build (so the page has a real origin and our CSP),
 * `subspace-media://<photo|thumbnail>/<photoId>` serves library photos by id, never by path.
 */
import { protocol, net, type Session } from 'electron';
import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { transport, type MediaKind } from '../../shared/channels.ts';
import { ApiError, HTTP_STATUS } from '../../shared/errors.ts';
import { resolveStaticPath } from '../server/static-files.ts';
import type { MediaReply } from '../service-host/host-protocol.ts';
import { APP_HOST, APP_SCHEME } from './app-url.ts';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob: ${transport.mediaScheme}:`,
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Must run before the app is ready. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: transport.mediaScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function handleAppProtocol(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? resolveStaticPath(rendererDir, url.pathname) : null;
    if (!file || !(await stat(file).catch(() => null))?.isFile()) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    if (file.endsWith('.html')) headers.set('content-security-policy', CSP);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** `media` asks the service process for the file: by id only, as the service decides. */
export function handleMediaProtocol(session: Session, media: (kind: MediaKind, photoId: string) => Promise<MediaReply>): void {
  session.protocol.handle(transport.mediaScheme, async (request) => {
    const url = new URL(request.url);
    const kind = url.host as MediaKind;
    if (kind !== 'photo' && kind !== 'thumbnail') return new Response('Unknown media kind', { status: 404 });
    let photoId: string;
    try {
      photoId = decodeURIComponent(url.pathname.slice(1));
    } catch {
      return new Response('Malformed photo id', { status: 400 });
    }
    try {
      const found = await media(kind, photoId);
      const headers = { 'content-type': found.contentType, 'cache-control': 'private, max-age=300' };
      if ('data' in found) return new Response(new Uint8Array(found.data), { headers });
      const file = await net.fetch(pathToFileURL(found.path).toString());
      return new Response(file.body, { status: file.status, headers });
    } catch (error) {
      const status = error instanceof ApiError ? HTTP_STATUS[error.code] : 500;
      return new Response(error instanceof Error ? error.message : 'Failed', { status });
    }
  });
}
