/**
 * Calls and events over a message port: the renderer and the main process talk to the service process this way.
 * The same Envelope as every other transport; a call is matched to its reply by id. Import-free: the sandboxed
 * preload bundles it. The receiving end (which checks every frame with zod) is src/main/service-host/port-server.ts.
 */

/**
 * Anything that carries structured-clone messages both ways: a web MessagePort, Electron's MessagePortMain, a
 * utility process's parent port. `Transfer` is what it can hand over along with a message (ports), if anything;
 * `listen` gets the ports that came with a message already wrapped as links.
 */
export interface Link<Transfer = never> {
  post(message: Frame, transfer?: Transfer[]): void;
  listen(listener: (message: unknown, ports: readonly Link[]) => void): () => void;
  /** Called once the other end is gone (closed, or its page or process died), where the port can tell. */
  onClose?(listener: () => void): void;
  close?(): void;
}

export type Frame =
  | { kind: 'call'; id: number; method: string; request: unknown }
  | { kind: 'reply'; id: number; envelope: EnvelopeShape }
  | { kind: 'event'; event: string; payload: unknown }
  /** From the main process to the service process: serve the port that comes with this frame. */
  | { kind: 'connect' };

/** `Envelope` of errors.ts, restated without zod. */
export type EnvelopeShape =
  | { ok: true; result: unknown }
  | { ok: false; error: { code: string; message: string; issues?: { path: string; message: string }[]; detail?: string } };

type State = { kind: 'waiting' } | { kind: 'connected'; link: Link; stop: () => void } | { kind: 'down'; reason: string };

/**
 * The calling end. Calls made before a link is connected wait for one; when the link is replaced (the service
 * restarted) or taken down, calls still waiting for a reply are answered `unavailable`, since the other end may
 * or may not have run them.
 */
export class RpcClient {
  private state: State = { kind: 'waiting' };
  private nextId = 1;
  private readonly pending = new Map<number, (envelope: EnvelopeShape) => void>();
  private readonly queued: Frame[] = [];
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  call(method: string, request: unknown): Promise<EnvelopeShape> {
    if (this.state.kind === 'down') return Promise.resolve(unavailable(this.state.reason));
    const id = this.nextId++;
    const frame: Frame = { kind: 'call', id, method, request };
    const reply = new Promise<EnvelopeShape>((resolve) => this.pending.set(id, resolve));
    if (this.state.kind === 'connected') this.state.link.post(frame);
    else this.queued.push(frame);
    return reply;
  }

  on(event: string, handler: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Hands an event to this client's listeners as if it had come over the link. */
  emit(event: string, payload: unknown): void {
    for (const handler of [...(this.listeners.get(event) ?? [])]) handler(payload);
  }

  /** Uses this link from now on, sending the calls that were waiting for one. */
  connect(link: Link, reasonForPending = 'The connection to the library service was replaced.'): void {
    this.release(reasonForPending);
    const stop = link.listen((message) => this.receive(message));
    this.state = { kind: 'connected', link, stop };
    for (const frame of this.queued.splice(0)) link.post(frame);
  }

  /** Answers every call, waiting or made from now on, `unavailable` with this reason until a link is connected again. */
  disconnect(reason: string): void {
    this.release(reason);
    this.state = { kind: 'down', reason };
    for (const frame of this.queued.splice(0)) if (frame.kind === 'call') this.pending.get(frame.id)?.(unavailable(reason));
    this.pending.clear();
  }

  private release(reason: string): void {
    if (this.state.kind === 'connected') this.state.stop();
    const queuedIds = new Set(this.queued.map((frame) => (frame.kind === 'call' ? frame.id : -1)));
    for (const [id, resolve] of this.pending) {
      if (queuedIds.has(id)) continue;
      this.pending.delete(id);
      resolve(unavailable(reason));
    }
  }

  private receive(message: unknown): void {
    if (!isRecord(message)) return;
    if (message.kind === 'reply' && typeof message.id === 'number' && isRecord(message.envelope)) {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.envelope as EnvelopeShape);
    } else if (message.kind === 'event' && typeof message.event === 'string') {
      this.emit(message.event, message.payload);
    }
  }
}

export function unavailable(reason: string): EnvelopeShape {
  return { ok: false, error: { code: 'unavailable', message: reason } };
}

/** A browser MessagePort (the preload's end); the same calls work on Node's worker_threads MessagePort. */
export interface WebMessagePort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: Event) => void): void;
  removeEventListener(type: 'message', listener: (event: Event) => void): void;
  start(): void;
  close(): void;
}

export function webPortLink(port: WebMessagePort): Link {
  return {
    post: (message) => port.postMessage(message),
    listen(listener) {
      const forward = (event: Event) => {
        if ('data' in event) listener(event.data, []);
      };
      port.addEventListener('message', forward);
      port.start();
      return () => port.removeEventListener('message', forward);
    },
    close: () => port.close(),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
