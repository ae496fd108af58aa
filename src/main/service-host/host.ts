/**
 * The service process's side. The main process opens the service (`host.init`) and then calls it over the parent
 * link: the contract's methods, photo files for the media protocol, `host.close`. Each port the main process hands
 * over (one per page) gets the contract's methods only. Every event goes to all of them. Plain Node: the Electron
 * entry (src/main/electron/service-process.ts) only wraps the parent port as a Link.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError, type Envelope } from '../../shared/errors.ts';
import { RpcClient, type Frame, type Link } from '../../shared/port-rpc.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { RotatingFile } from '../log/rotating-file.ts';
import { projectRoot } from '../paths.ts';
import { startServer } from '../server/http-server.ts';
import { announceServer } from '../server/server-file.ts';
import { openService, type Service, type Shell } from '../service.ts';
import { failure, hostMethods, MediaRequest, resultOf, ServiceInit } from './host-protocol.ts';
import { post, servePort } from './port-server.ts';

const Connect = z.object({ kind: z.literal('connect') });

export interface HostOptions {
  /** Called after `host.close` has closed the service: the process should exit. */
  onClosed?: () => void;
}

export function hostService(parent: Link<unknown>, options: HostOptions = {}): void {
  const toMain = new RpcClient();
  toMain.connect(parent);
  const ports = new Set<Link>();
  let opening: Promise<Service> | null = null;
  /** Stops the API served to the command line. */
  let stopServing: (() => Promise<void>) | null = null;

  const broadcast = (frame: Frame) => {
    post(parent, frame);
    for (const port of ports) post(port, frame);
  };

  const init = async (request: unknown): Promise<Envelope> => {
    const parsed = ServiceInit.safeParse(request);
    if (!parsed.success) return failure(ApiError.fromZod('service init', parsed.error));
    if (opening) return failure(new ApiError('conflict', 'The service is already open.'));
    const { dataDir, watch, logFile, shell } = parsed.data;
    const log = logFile ? fileLog(logFile) : undefined;
    log?.info(`service process ${process.pid} opening ${dataDir}`);
    opening = openService({
      dataDir,
      watch,
      holder: 'the Subspace app',
      shell: shellFor(shell, toMain),
      ...(log ? { log } : {}),
      ...(logFile ? { logFile } : {}),
    });
    try {
      const service = await opening;
      service.subscribe((event, payload) => broadcast({ kind: 'event', event, payload }));
      // While the app holds the library, `subspace index` (and link, unlink) hand their work to it over this API.
      const server = await startServer({ service, rendererDir: join(projectRoot(), 'out', 'renderer') });
      const withdraw = await announceServer(dataDir, server);
      stopServing = async () => {
        await withdraw();
        await server.close();
      };
      return { ok: true, result: null };
    } catch (error) {
      log?.error('the service could not open', error);
      opening = null;
      return failure(error);
    }
  };

  servePort(parent, async (method, request) => {
    if (method === hostMethods.init) return init(request);
    if (!opening) return notOpen();
    const service = await opening;
    if (method === hostMethods.media) return media(service, request);
    if (method === hostMethods.close) {
      await stopServing?.();
      await service.close();
      setImmediate(() => options.onClosed?.());
      return { ok: true, result: null };
    }
    return service.dispatch(method, request);
  });

  parent.listen((message, received) => {
    if (!Connect.safeParse(message).success) return;
    for (const port of received) {
      ports.add(port);
      const stop = servePort(port, async (method, request) => {
        if (!opening) return notOpen();
        return (await opening).dispatch(method, request);
      });
      port.onClose?.(() => {
        stop();
        ports.delete(port);
      });
    }
  });
}

function notOpen(): Envelope {
  return failure(new ApiError('unavailable', 'The library service is not open yet.'));
}

async function media(service: Service, request: unknown): Promise<Envelope> {
  const parsed = MediaRequest.safeParse(request);
  if (!parsed.success) return failure(ApiError.fromZod('media request', parsed.error));
  try {
    return { ok: true, result: await service.media(parsed.data.kind, parsed.data.photoId) };
  } catch (error) {
    return failure(error);
  }
}

/** What the main process said it would do, as calls back to it. */
function shellFor(allowed: ServiceInit['shell'], toMain: RpcClient): Shell {
  const shell: Shell = { tray: allowed.tray };
  if (allowed.revealInFolder) shell.revealInFolder = (path) => void toMain.call(hostMethods.reveal, { path });
  if (allowed.startAtLogin) shell.setStartAtLogin = async (enabled) => void resultOf(await toMain.call(hostMethods.startAtLogin, { enabled }));
  return shell;
}

function fileLog(path: string): Logger {
  const file = new RotatingFile(path);
  return createLogger((entry) => file.write(entry), 'service');
}
