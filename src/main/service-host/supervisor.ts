/**
 * The main process's hold on the service process: starts it, calls it (the contract, photo files), hands it the
 * renderer's ports, answers what it asks of the shell, and restarts it when it dies, up to five times in ten
 * minutes, with a pause that grows; then it stops trying and says why. Plain Node: the Electron wrapper of a utility
 * process is src/main/electron/service-child.ts.
 */
import type { MediaKind } from '../../shared/channels.ts';
import { ApiError, type Envelope } from '../../shared/errors.ts';
import { RpcClient, type EnvelopeShape, type Link } from '../../shared/port-rpc.ts';
import type { Logger } from '../log/logger.ts';
import { failure, hostMethods, MediaReply, resultOf, RevealRequest, StartAtLoginRequest, type ServiceInit } from './host-protocol.ts';
import { servePort } from './port-server.ts';

/** One running service process, as the supervisor sees it. `Port` is what can be handed to it (a MessagePortMain). */
export interface ServiceChild<Port> {
  readonly link: Link<Port>;
  /** Settles with the exit code (null when killed by a signal) once the process is gone. */
  readonly exited: Promise<number | null>;
  kill(): void;
}

export interface HostShell {
  reveal(path: string): void;
  setStartAtLogin(enabled: boolean): Promise<void>;
}

export interface SupervisorOptions<Port> {
  spawn(): ServiceChild<Port>;
  init: ServiceInit;
  shell: HostShell;
  log: Logger;
  /** How long to wait before the next restart, or null to stop: `restartDelay` unless a test says otherwise. */
  restartDelay?: (crashes: readonly number[], now: number) => number | null;
}

const CRASH_WINDOW_MS = 10 * 60_000;
/** Restarts allowed within the window: the crash after them is the last. */
const MAX_RESTARTS = 5;
const CLOSE_TIMEOUT_MS = 15_000;

/** `crashes`: the earlier ones. Restart at once after the first, then wait longer each time; at most five restarts in ten minutes. */
export function restartDelay(crashes: readonly number[], now: number): number | null {
  const recent = crashes.filter((at) => now - at < CRASH_WINDOW_MS).length;
  if (recent >= MAX_RESTARTS) return null;
  return recent === 0 ? 0 : Math.min(30_000, 1000 * 4 ** (recent - 1));
}

export class ServiceSupervisor<Port> {
  private child: ServiceChild<Port> | null = null;
  private readonly client = new RpcClient();
  private readonly crashes: number[] = [];
  private closing = false;
  private stopReason: string | null = null;
  private readonly restartListeners = new Set<() => void>();
  private readonly stopListeners = new Set<(reason: string) => void>();

  constructor(private readonly options: SupervisorOptions<Port>) {}

  /** Starts the service process and opens the service; throws (and leaves nothing running) when it cannot. */
  async start(): Promise<void> {
    try {
      await this.launch();
    } catch (error) {
      this.closing = true;
      this.child?.kill();
      throw error;
    }
  }

  dispatch(method: string, request: unknown): Promise<EnvelopeShape> {
    return this.client.call(method, request);
  }

  on(event: string, handler: (payload: unknown) => void): () => void {
    return this.client.on(event, handler);
  }

  async media(kind: MediaKind, photoId: string): Promise<MediaReply> {
    const reply = MediaReply.safeParse(resultOf(await this.client.call(hostMethods.media, { kind, photoId })));
    if (!reply.success) throw new ApiError('internal', 'The library service sent an unreadable media reply.');
    return reply.data;
  }

  /** Why the service process was left stopped after too many crashes; null while it runs or will be restarted. */
  get stopped(): string | null {
    return this.stopReason;
  }

  /** Hands a port to the running service process; false while none runs (a restart hands out new ports anyway). */
  connect(port: Port): boolean {
    if (!this.child) return false;
    try {
      this.child.link.post({ kind: 'connect' }, [port]);
      return true;
    } catch {
      return false;
    }
  }

  /** After a restart, once the new process has opened the service: hand out new ports. */
  onRestart(listener: () => void): void {
    this.restartListeners.add(listener);
  }

  /** When it stops restarting it, with the reason. */
  onStop(listener: (reason: string) => void): void {
    this.stopListeners.add(listener);
  }

  /** Asks the service to close (it finishes its writes) and waits for the process to end; kills it if it takes too long. */
  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    if (!child) return;
    void this.client.call(hostMethods.close, {});
    const timer = setTimeout(() => {
      this.options.log.warn(`the service process did not close within ${CLOSE_TIMEOUT_MS / 1000} s: killed`);
      child.kill();
    }, CLOSE_TIMEOUT_MS);
    await child.exited;
    clearTimeout(timer);
  }

  private async launch(): Promise<void> {
    const child = this.options.spawn();
    this.child = child;
    servePort(child.link, (method, request) => this.answerShell(method, request));
    this.client.connect(child.link, 'The library service restarted before it answered; try again.');
    void child.exited.then((code) => this.exited(child, code));
    resultOf(await this.client.call(hostMethods.init, this.options.init));
  }

  private exited(child: ServiceChild<Port>, code: number | null): void {
    if (child !== this.child) return;
    this.child = null;
    this.client.disconnect('The library service stopped.');
    if (this.closing) return;
    const now = Date.now();
    const delay = (this.options.restartDelay ?? restartDelay)(this.crashes, now);
    this.crashes.push(now);
    this.options.log.error(`the service process exited unexpectedly (${code === null ? 'killed by a signal' : `exit code ${code}`})`);
    if (delay === null) {
      const reason = `The library service stopped ${this.crashes.length} times and was not restarted again; the log file says why.`;
      this.options.log.error(reason);
      this.stopReason = reason;
      this.client.disconnect(reason);
      for (const listener of this.stopListeners) listener(reason);
      return;
    }
    setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    if (this.closing) return;
    try {
      await this.launch();
    } catch (error) {
      // Its exit (now or after the kill) comes back through exited(), which decides about the next attempt.
      this.options.log.error('the restarted service process could not open the service', error);
      this.child?.kill();
      return;
    }
    this.options.log.info('the service process was restarted');
    for (const listener of this.restartListeners) listener();
  }

  private async answerShell(method: string, request: unknown): Promise<Envelope> {
    try {
      if (method === hostMethods.reveal) {
        this.options.shell.reveal(RevealRequest.parse(request).path);
      } else if (method === hostMethods.startAtLogin) {
        await this.options.shell.setStartAtLogin(StartAtLoginRequest.parse(request).enabled);
      } else {
        return failure(new ApiError('unknown_method', `The main process does not answer ${method}.`));
      }
      return { ok: true, result: null };
    } catch (error) {
      return failure(error);
    }
  }
}
