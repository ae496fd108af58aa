import { request as httpRequest } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openService, type Service } from '../service.ts';
import { createTestLibrary } from '../service/test-library.ts';
import { startServer, type RunningServer } from './http-server.ts';

const lib = await createTestLibrary();

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path goes out exactly as written (fetch would normalize `..` away). */
function raw(server: RunningServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A request whose body goes out in pieces (no content-length): `send` writes more, `end` finishes and awaits the answer (status 0: the connection was reset). */
function streamed(server: RunningServer, path: string, headers: Record<string, string>) {
  const { port } = new URL(server.origin);
  let settle: (reply: Reply) => void;
  const reply = new Promise<Reply>((resolve) => (settle = resolve));
  const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => settle({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
  });
  req.on('error', () => settle({ status: 0, headers: {}, body: '' }));
  return {
    send: (text: string | Buffer) => new Promise<void>((resolve) => (req.write(text) ? resolve() : req.once('drain', resolve))),
    end: (text = '') => {
      req.end(text);
      return reply;
    },
  };
}

describe('browser-mode server', () => {
  let service: Service;
  let server: RunningServer;
  let photoId: string;
  const json = (token?: string) => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });

  beforeAll(async () => {
    service = await openService({ dataDir: lib.dataDir, watch: false });
    await service.dispatch('folders.add', { kind: 'photos', path: lib.photosDir });
    await service.indexingSettled();
    const rendererDir = join(lib.root, 'site', 'renderer');
    await mkdir(rendererDir, { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Subspace</title>');
    await writeFile(join(lib.root, 'site', 'secret.txt'), 'outside the renderer');
    server = await startServer({ service, rendererDir });
    const found = await service.dispatch('photos.byPath', { path: join(lib.photosDir, 'red.jpg') });
    photoId = (found as { ok: true; result: { id: string } }).result.id;
  });

  afterAll(async () => {
    await server?.close();
    await service?.close();
    await lib.cleanup();
  });

  it('listens on 127.0.0.1 only and prints a URL carrying the token', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`${server.origin}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('refuses API calls without the token or with a wrong one, and answers with it', async () => {
    const body = JSON.stringify({});
    expect((await raw(server, '/api/app.info', { method: 'POST', headers: json(), body })).status).toBe(401);
    expect((await raw(server, '/api/app.info', { method: 'POST', headers: json(`${server.token}x`), body })).status).toBe(401);
    expect((await raw(server, '/api/app.info', { method: 'POST', headers: json(server.token.slice(0, -1)), body })).status).toBe(401);
    expect((await raw(server, `/api/app.info?token=${server.token}`, { method: 'POST', headers: json(), body })).status).toBe(401);
    const ok = await raw(server, '/api/app.info', { method: 'POST', headers: json(server.token), body });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, result: { capabilities: { tray: false } } });
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const reply = await raw(server, '/api/app.info', { method: 'POST', headers: { ...json(server.token), host: 'evil.example:80' }, body: '{}' });
    expect(reply.status).toBe(401);
  });

  it('refuses bad requests with a clear error', async () => {
    const post = (path: string, body: string, headers = json(server.token)) => raw(server, path, { method: 'POST', headers, body });
    const unknown = await post('/api/photos.destroy', '{}');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('unknown_method');
    const invalid = await post('/api/search.text', JSON.stringify({ query: 42 }));
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error).toMatchObject({ code: 'bad_request', issues: [{ path: 'query' }] });
    expect((await post('/api/search.text', '{"query": "x"')).status).toBe(400);
    expect((await post('/api/search.text', 'query=x', { ...json(server.token), 'content-type': 'text/plain' })).status).toBe(400);
    expect((await raw(server, '/api/app.info', { headers: json(server.token) })).status).toBe(400);
  });

  it('serves the page with a strict CSP, and sets the media cookie only for a valid token', async () => {
    const plain = await raw(server, '/');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-security-policy']).toContain("default-src 'self'");
    expect(plain.headers['set-cookie']).toBeUndefined();
    const withToken = await raw(server, `/?token=${server.token}`);
    expect(String(withToken.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('keeps every path inside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/index.html%00.txt']) {
      const reply = await raw(server, path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('outside the renderer');
    }
  });

  it('serves photos only by library id, with the token or the cookie', async () => {
    const cookie = String((await raw(server, `/?token=${server.token}`)).headers['set-cookie']).split(';')[0]!;
    const thumbnail = await raw(server, `/media/thumbnail/${photoId}`, { headers: { cookie } });
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
    expect((await raw(server, `/media/photo/${photoId}?token=${server.token}`)).status).toBe(200);
    expect((await raw(server, `/media/photo/${photoId}`)).status).toBe(401);
    for (const path of [`/media/photo/..%2F..%2Fsecret.txt`, `/media/photo/${encodeURIComponent(join(lib.photosDir, 'red.jpg'))}`, '/media/photo/../../secret.txt', '/media/other/x']) {
      const reply = await raw(server, path, { headers: { cookie } });
      expect([400, 404], path).toContain(reply.status);
      expect(reply.headers['content-type'], path).not.toMatch(/^image\//);
    }
  });

  it('gives the media cookie a media-only secret: it loads photos but calls no API method', async () => {
    const cookie = String((await raw(server, `/?token=${server.token}`)).headers['set-cookie']).split(';')[0]!;
    const secret = cookie.slice(cookie.indexOf('=') + 1);
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect((await raw(server, `/media/thumbnail/${photoId}`, { headers: { cookie } })).status).toBe(200);
    expect((await raw(server, `/media/photo/${photoId}?token=${secret}`)).status).toBe(401);
    const body = JSON.stringify({});
    for (const headers of [json(secret), { ...json(), cookie }, { ...json(secret), cookie }]) {
      expect((await raw(server, '/api/app.info', { method: 'POST', headers, body })).status).toBe(401);
      expect((await raw(server, '/api/photos.list', { method: 'POST', headers, body })).status).toBe(401);
    }
    expect((await raw(server, `/api/app.info?token=${secret}`, { method: 'POST', headers: json(), body })).status).toBe(401);
    const socket = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/events?token=${secret}`, { headers: { origin: server.origin, cookie } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => undefined);
    });
    expect(socket).toBe(401);
    expect(secret).not.toContain(server.token);
  });

  describe('with small body limits', () => {
    let small: RunningServer;
    const KiB = 1024;
    beforeAll(async () => {
      small = await startServer({ service, rendererDir: join(lib!.root, 'site', 'renderer'), bodyLimits: { bodyBytes: 64 * KiB, inFlightBytes: 96 * KiB } });
    });
    afterAll(() => small?.close());

    const saveBody = (size: number) => `{"noteId":"nope","revision":"r","content":"${'a'.repeat(size)}"}`;

    it('answers a body over the limit, sent in pieces, with an error', async () => {
      const request = streamed(small, '/api/notes.save', json(small.token));
      for (let i = 0; i < 8; i++) await request.send('a'.repeat(16 * KiB));
      const reply = await request.end();
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body).error.message).toMatch(/larger than/);
    });

    it('refuses a body as busy while others hold the in-flight budget, and takes it once they are answered', async () => {
      const first = streamed(small, '/api/notes.save', json(small.token));
      const body = saveBody(60 * KiB);
      await first.send(body.slice(0, -10));
      const second = () => raw(small, '/api/notes.save', { method: 'POST', headers: json(small.token), body: saveBody(60 * KiB) });
      let busy: Reply | undefined;
      for (let attempt = 0; attempt < 40 && busy === undefined; attempt++) {
        const reply = await second();
        if (reply.status === 503) busy = reply;
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(busy?.status).toBe(503);
      expect(JSON.parse(busy!.body).error.code).toBe('unavailable');
      expect((await first.end(body.slice(-10))).status).toBe(404);
      expect((await second()).status).toBe(404);
    });
  });

  it('opens the event socket only with the token and from our own origin, and streams events', async () => {
    const wsUrl = `${server.origin.replace('http', 'ws')}/events`;
    const refused = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    expect(await refused(wsUrl)).toBe(401);
    expect(await refused(`${wsUrl}?token=wrong`)).toBe(401);
    expect(await refused(`${wsUrl}?token=${server.token}`, { origin: 'http://evil.example' })).toBe(401);

    const ws = new WebSocket(`${wsUrl}?token=${server.token}`, { headers: { origin: server.origin } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const received = new Promise<unknown>((resolve) =>
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { event: string; payload: unknown };
        if (message.event === 'settings.changed') resolve(message.payload);
      }),
    );
    await raw(server, '/api/settings.update', { method: 'POST', headers: json(server.token), body: JSON.stringify({ theme: 'light' }) });
    expect(await received).toMatchObject({ theme: 'light' });
    ws.close();
  });
});
