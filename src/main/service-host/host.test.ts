/**
 * The service host over real MessagePorts (worker_threads), in this process: the main process's link opens the
 * service, a page's port gets the contract and its events, and nothing else.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient, webPortLink, type Frame, type Link } from '../../shared/port-rpc.ts';
import { createTestLibrary } from '../service/test-library.ts';
import { hostService } from './host.ts';
import { hostMethods } from './host-protocol.ts';

/** A parent link over a Node MessagePort: ports travel beside the frame, as Electron hands them over in `event.ports`. */
function parentLink(port: MessagePort): Link<MessagePort> {
  return {
    post: (message: Frame, transfer: MessagePort[] = []) => port.postMessage({ message, ports: transfer }, transfer),
    listen(listener) {
      const forward = ({ message, ports }: { message: unknown; ports: MessagePort[] }) =>
        listener(
          message,
          ports.map((received) => ({ ...webPortLink(received), onClose: (closed: () => void) => void received.once('close', closed) })),
        );
      port.on('message', forward);
      return () => port.off('message', forward);
    },
  };
}

const lib = await createTestLibrary();
const ports: MessagePort[] = [];
const main = new RpcClient();
let closed = false;
let toHost: Link<MessagePort>;

beforeAll(async () => {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  hostService(parentLink(port2), { onClosed: () => (closed = true) });
  toHost = parentLink(port1);
  main.connect(toHost);
  const shell = { tray: true, revealInFolder: false, startAtLogin: false };
  expect(await main.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  expect(await main.call(hostMethods.init, { dataDir: lib.dataDir, watch: false, logFile: null, shell })).toEqual({ ok: true, result: null });
});

afterAll(async () => {
  if (!closed) await main.call(hostMethods.close, {});
  for (const port of ports) port.close();
  await lib.cleanup();
});

/** A page's end: what the preload holds. */
function connectPage(): RpcClient {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  toHost.post({ kind: 'connect' }, [port2]);
  const page = new RpcClient();
  page.connect(webPortLink(port1));
  return page;
}

describe('the service host', () => {
  it('answers a page over its port with the contract, matching replies to calls', async () => {
    const page = connectPage();
    expect(await page.call('app.info', {})).toMatchObject({ ok: true, result: { libraryDir: lib.dataDir, logFile: null, capabilities: { tray: true } } });
    const names = Array.from({ length: 20 }, (_, i) => `no.such.method${i}`);
    const replies = await Promise.all(names.map((name) => page.call(name, {})));
    replies.forEach((reply, i) => expect(reply).toMatchObject({ ok: false, error: { code: 'unknown_method', message: expect.stringContaining(`"${names[i]}"`) } }));
    expect(await page.call('search.text', { query: 7 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('keeps the main process’s own methods away from a page', async () => {
    const page = connectPage();
    for (const method of Object.values(hostMethods)) {
      expect(await page.call(method, { kind: 'photo', photoId: 'x', dataDir: '/', path: '/etc', enabled: true }), method).toMatchObject({
        ok: false,
        error: { code: 'unknown_method' },
      });
    }
    expect(await main.call(hostMethods.media, { kind: 'photo', photoId: 'missing' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await main.call(hostMethods.init, { dataDir: lib.dataDir, watch: false, logFile: null, shell: { tray: false, revealInFolder: false, startAtLogin: false } })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('sends every event to each page and to the main process', async () => {
    const pages = [connectPage(), connectPage()];
    const seen: string[] = [];
    pages.forEach((page, i) => page.on('settings.changed', (payload) => seen.push(`page${i}:${(payload as { theme: string }).theme}`)));
    main.on('settings.changed', (payload) => seen.push(`main:${(payload as { theme: string }).theme}`));
    expect(await pages[0]!.call('settings.update', { theme: 'dark' })).toMatchObject({ ok: true });
    await sleep(50);
    expect(seen.sort()).toEqual(['main:dark', 'page0:dark', 'page1:dark']);
  });

  it('closes the service when the main process says so', async () => {
    expect(await main.call(hostMethods.close, {})).toEqual({ ok: true, result: null });
    await sleep(10);
    expect(closed).toBe(true);
  });
});
