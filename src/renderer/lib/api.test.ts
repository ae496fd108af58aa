/// <reference types="node" />
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors.ts';
import { httpClient, takeToken } from './api.ts';

describe('takeToken', () => {
  function browserParts(href: string) {
    const store = new Map<string, string>();
    const location = { href } as Location;
    const history = {
      state: null,
      replaceState(_state: unknown, _title: string, url: string) {
        location.href = new URL(url, location.href).href;
      },
    } as unknown as History;
    const storage = {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
    } as Storage;
    return { location, history, storage };
  }

  it('takes the token out of the address bar and keeps it for reloads of the tab', () => {
    const { location, history, storage } = browserParts('http://127.0.0.1:4000/?token=s3cret#/notes');
    expect(takeToken(location, history, storage)).toBe('s3cret');
    expect(location.href).toBe('http://127.0.0.1:4000/#/notes');
    expect(takeToken(location, history, storage)).toBe('s3cret');
  });

  it('has no token when none was ever given', () => {
    const { location, history, storage } = browserParts('http://127.0.0.1:4000/');
    expect(takeToken(location, history, storage)).toBeNull();
  });
});

describe('httpClient.call', () => {
  let server: Server;
  let origin: string;
  const seen: { url: string; authorization: string | undefined; body: string }[] = [];
  const replies = new Map<string, { status: number; body: string }>();

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
      const reply = replies.get(req.url ?? '') ?? { status: 404, body: '{}' };
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the request with the bearer token and returns the validated result', async () => {
    const progress = { phase: 'idle', done: 0, total: 0, failed: 0, ratePerSecond: 0, etaSeconds: null, currentFile: null, message: null };
    replies.set('/api/indexing.status', { status: 200, body: JSON.stringify({ ok: true, result: progress }) });
    const client = httpClient({ origin, token: 'tok' });
    await expect(client.call('indexing.status', {})).resolves.toEqual(progress);
    expect(seen.at(-1)).toEqual({ url: '/api/indexing.status', authorization: 'Bearer tok', body: '{}' });
  });

  it('turns an error envelope into an ApiError with its code and message', async () => {
    replies.set('/api/notes.save', {
      status: 409,
      body: JSON.stringify({ ok: false, error: { code: 'conflict', message: 'The note changed on disk.' } }),
    });
    const error = await httpClient({ origin, token: 'tok' })
      .call('notes.save', { noteId: 'n1', content: 'x', revision: 'r1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'conflict', message: 'The note changed on disk.' });
  });

  it('refuses an answer that breaks the contract instead of passing it to the UI', async () => {
    replies.set('/api/library.facets', { status: 200, body: JSON.stringify({ ok: true, result: { folders: 'not a list' } }) });
    await expect(httpClient({ origin, token: 'tok' }).call('library.facets', {})).rejects.toMatchObject({
      code: 'internal',
      message: 'Subspace sent an answer this window does not understand. Reloading the window may help.',
      detail: expect.stringContaining('folders'),
    });
  });

  it('says the server is unreachable when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadOrigin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(httpClient({ origin: deadOrigin, token: null }).call('app.info', {})).rejects.toMatchObject({ code: 'unavailable' });
  });
});
