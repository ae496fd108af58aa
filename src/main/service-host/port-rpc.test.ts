/** The request/response correlation over a real MessagePort (Node's worker_threads one, which speaks the web API too). */
import { setTimeout as sleep } from 'node:timers/promises';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/errors.ts';
import { RpcClient, webPortLink } from '../../shared/port-rpc.ts';
import { servePort } from './port-server.ts';

const open: MessagePort[] = [];
afterEach(() => {
  for (const port of open.splice(0)) port.close();
});

/** A client end and a server end; the server answers with `answer`. */
function channel(answer: (method: string, request: unknown) => Promise<Envelope>) {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const server = webPortLink(port2);
  servePort(server, answer);
  return { client: webPortLink(port1), server };
}

const echo = async (method: string, request: unknown): Promise<Envelope> => ({ ok: true, result: { method, request } });

describe('RpcClient over a MessagePort', () => {
  it('matches each reply to its call, whatever order the replies come in', async () => {
    const { client } = channel(async (method, request) => {
      await sleep(50 - (request as number));
      return echo(method, request);
    });
    const rpc = new RpcClient();
    rpc.connect(client);
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => rpc.call(`m${i}`, i)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => ({ ok: true, result: { method: `m${i}`, request: i } })));
  });

  it('keeps calls made before a link is there and sends them once it is', async () => {
    const rpc = new RpcClient();
    const early = rpc.call('early', 1);
    await sleep(10);
    rpc.connect(channel(echo).client);
    expect(await early).toEqual({ ok: true, result: { method: 'early', request: 1 } });
  });

  it('answers calls in flight `unavailable` when the link is replaced (a restart), and uses the new one', async () => {
    const rpc = new RpcClient();
    rpc.connect(channel(() => new Promise<Envelope>(() => undefined)).client);
    const stuck = rpc.call('never', null);
    await sleep(10);
    rpc.connect(channel(echo).client, 'The library service restarted.');
    expect(await stuck).toEqual({ ok: false, error: { code: 'unavailable', message: 'The library service restarted.' } });
    expect(await rpc.call('after', 2)).toEqual({ ok: true, result: { method: 'after', request: 2 } });
  });

  it('once taken down, answers every call with the reason until it is connected again', async () => {
    const rpc = new RpcClient();
    rpc.connect(channel(() => new Promise<Envelope>(() => undefined)).client);
    const inFlight = rpc.call('slow', null);
    const down = { ok: false, error: { code: 'unavailable', message: 'stopped' } };
    rpc.disconnect('stopped');
    expect(await inFlight).toEqual(down);
    expect(await rpc.call('later', null)).toEqual(down);
    rpc.connect(channel(echo).client);
    expect(await rpc.call('again', 3)).toMatchObject({ ok: true });
  });

  it('delivers events to their subscribers until they unsubscribe', async () => {
    const { client, server } = channel(echo);
    const rpc = new RpcClient();
    rpc.connect(client);
    const seen: unknown[] = [];
    const off = rpc.on('settings.changed', (payload) => seen.push(payload));
    rpc.on('other', () => seen.push('wrong'));
    server.post({ kind: 'event', event: 'settings.changed', payload: { theme: 'dark' } });
    await sleep(20);
    off();
    server.post({ kind: 'event', event: 'settings.changed', payload: { theme: 'light' } });
    await sleep(20);
    expect(seen).toEqual([{ theme: 'dark' }]);
  });
});

describe('servePort', () => {
  it('ignores what is not a call, and answers a handler that throws with `internal`', async () => {
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    servePort(webPortLink(port2), async (method) => {
      if (method === 'boom') throw new Error('kaput');
      return echo(method, null);
    });
    const received: unknown[] = [];
    port1.on('message', (message) => received.push(message));
    for (const junk of [null, 'call', { kind: 'call' }, { kind: 'call', id: 'x', method: 'm' }, { kind: 'reply', id: 1, envelope: {} }]) port1.postMessage(junk);
    port1.postMessage({ kind: 'call', id: 7, method: 'boom', request: null });
    await sleep(50);
    expect(received).toEqual([{ kind: 'reply', id: 7, envelope: { ok: false, error: { code: 'internal', message: 'kaput' } } }]);
  });
});
