/**
 * Browser mode: the renderer build, the API over HTTP (POST /api/<method>), events over a WebSocket and
 * library photos by id, on 127.0.0.1 only, every route but the static page behind a per-run token.
 * Media also take a second, media-only secret from a cookie (an `<img>` cannot send a header).
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { transport } from '../../shared/api.ts';
import { ApiError, HTTP_STATUS, type Envelope, type ErrorCode } from '../../shared/errors.ts';
import type { Service } from '../service.ts';
import { DEFAULT_BODY_LIMITS, JsonBodies, type BodyLimits } from './json-body.ts';
import { serveStatic } from './static-files.ts';
import { bearerToken, newToken, tokenMatches } from './token.ts';

export interface ServerOptions {
  service: Service;
  /** The renderer build (`out/renderer`). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to a fresh random token. */
  token?: string;
  /** How large request bodies may be, one and all at once (`DEFAULT_BODY_LIMITS` unless given). */
  bodyLimits?: BodyLimits;
}

export interface RunningServer {
  /** The address to open, token included. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  // Cookies are not isolated by port: every server on 127.0.0.1 the browser visits receives this one, so it
  // carries a secret that can only read photos, never the API token.
  const mediaKey = newToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const bodies = new JsonBodies(options.bodyLimits ?? DEFAULT_BODY_LIMITS);
  let origin = '';
  let port = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendEnvelope(res, failure('internal', error instanceof Error ? error.message : String(error)));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = URL.parse(req.url ?? '/', origin);
    if (!url) return sendEnvelope(res, failure('bad_request', 'Malformed URL.'));
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    if (!hostAllowed(req.headers.host, port)) {
      return sendEnvelope(res, failure('unauthorized', 'Unexpected Host header: Subspace answers only on 127.0.0.1.'));
    }
    // The API takes the token only as a header (never from a URL, which ends up in logs and history, nor a cookie,
    // which other pages on 127.0.0.1 would send along); media and the page also take `?token=`.
    const headerToken = tokenMatches(bearerToken(req.headers.authorization), token);
    const queryToken = tokenMatches(url.searchParams.get(transport.tokenParam), token);
    const cookieName = `subspace_media_${port}`;

    if (url.pathname.startsWith(transport.httpPrefix)) {
      if (!headerToken) return sendEnvelope(res, failure('unauthorized', 'This page is not signed in to Subspace (its token is missing, or from an earlier run): open the address `subspace serve` printed.'));
      if (req.method !== 'POST') return sendEnvelope(res, failure('bad_request', 'Use POST with a JSON body.'), { allow: 'POST' });
      const method = url.pathname.slice(transport.httpPrefix.length);
      // A page that drops a request (a search overtaken by the next keystroke) closes it: the work stops early.
      const gone = new AbortController();
      res.on('close', () => {
        if (!res.writableEnded) gone.abort();
      });
      const envelope = await bodies.handle(req, (body) => options.service.dispatch(method, body, gone.signal));
      // A body refused before it was all read is not drained: the connection closes instead.
      return sendEnvelope(res, envelope, req.complete ? {} : { connection: 'close' });
    }

    if (url.pathname.startsWith('/media/')) {
      // <img> cannot send a header: media also accept the media-only cookie set when the page was opened with the token.
      if (!headerToken && !queryToken && !tokenMatches(cookieValue(req.headers.cookie, cookieName), mediaKey)) {
        return sendEnvelope(res, failure('unauthorized', 'Missing or wrong token.'));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendEnvelope(res, failure('bad_request', 'Use GET.'));
      return serveMedia(url.pathname, req.method === 'HEAD', res);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendEnvelope(res, failure('bad_request', 'Use GET.'));
    if (queryToken) res.setHeader('set-cookie', `${cookieName}=${mediaKey}; Path=/media/; HttpOnly; SameSite=Strict`);
    if (await serveStatic(options.rendererDir, url.pathname, origin, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  }

  async function serveMedia(pathname: string, headOnly: boolean, res: ServerResponse): Promise<void> {
    const match = /^\/media\/(photo|thumbnail)\/([^/]+)$/.exec(pathname);
    if (!match) return sendEnvelope(res, failure('not_found', 'Media URLs are /media/<photo|thumbnail>/<photoId>.'));
    let photoId: string;
    try {
      photoId = decodeURIComponent(match[2]!);
    } catch {
      return sendEnvelope(res, failure('bad_request', 'Malformed photo id.'));
    }
    try {
      const media = await options.service.media(match[1] as 'photo' | 'thumbnail', photoId);
      const headers = { 'content-type': media.contentType, 'cache-control': 'private, max-age=300' };
      if ('data' in media) {
        res.writeHead(200, { ...headers, 'content-length': media.data.length });
        res.end(headOnly ? undefined : media.data);
      } else {
        res.writeHead(200, headers);
        if (headOnly) res.end();
        else createReadStream(media.path).on('error', () => res.destroy()).pipe(res);
      }
    } catch (error) {
      if (error instanceof ApiError) return sendEnvelope(res, { ok: false, error: error.toBody() });
      throw error;
    }
  }

  server.on('upgrade', (req, socket, head) => {
    const url = URL.parse(req.url ?? '/', origin);
    const browserOrigin = req.headers.origin;
    const sameOrigin = browserOrigin === undefined || hostAllowed(browserOrigin.replace(/^http:\/\//, ''), port);
    if (
      !url ||
      url.pathname !== transport.wsPath ||
      !hostAllowed(req.headers.host, port) ||
      !sameOrigin ||
      !tokenMatches(url.searchParams.get(transport.tokenParam), token)
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  const unsubscribe = options.service.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const client of sockets.clients) sendEvent(client, message);
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolvePromise());
  });
  port = String((server.address() as AddressInfo).port);
  origin = `http://${HOST}:${port}`;

  return {
    url: `${origin}/?${transport.tokenParam}=${token}`,
    origin,
    token,
    async close() {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}

/** A slow client must not make the server buffer events without bound: it misses some instead. */
function sendEvent(client: WebSocket, message: string): void {
  if (client.readyState === client.OPEN && client.bufferedAmount < 1024 * 1024) client.send(message);
}

/** Refuses requests addressed to another name (DNS rebinding): only 127.0.0.1 or localhost on our port. */
function hostAllowed(host: string | undefined, port: string): boolean {
  return host === `${HOST}:${port}` || host === `localhost:${port}`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

function failure(code: ErrorCode, message: string): Envelope {
  return { ok: false, error: { code, message } };
}

function sendEnvelope(res: ServerResponse, envelope: Envelope, extraHeaders: Record<string, string> = {}): void {
  const status = envelope.ok ? 200 : HTTP_STATUS[envelope.error.code];
  const body = JSON.stringify(envelope);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(body);
}
