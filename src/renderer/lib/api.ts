/**
 * The renderer's only door to the app: one interface, two transports. In the desktop app the
 * preload exposes IPC on `window.subspace`; in browser mode (`subspace serve`) requests go over
 * HTTP and events over a WebSocket, authorized by the token the server put in the page's URL.
 * Every answer is checked against the shared contract before the UI sees it.
 */
import {
  events,
  methods,
  transport,
  type EventName,
  type EventOf,
  type MediaKind,
  type MethodName,
  type RequestOf,
  type ResponseOf,
} from '../../shared/api.ts';
import { ApiError, Envelope } from '../../shared/errors.ts';
import type { RootKind } from '../../shared/dto.ts';

export interface ApiClient {
  readonly transport: 'ipc' | 'http';
  call<M extends MethodName>(method: M, request: RequestOf<M>, signal?: AbortSignal): Promise<ResponseOf<M>>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, handler: (payload: EventOf<E>) => void): () => void;
  /** A URL an `<img>` can load: the photo itself or its thumbnail, by id only. */
  mediaUrl(kind: MediaKind, photoId: string): string;
  /** The native folder picker, where the shell has one (desktop app); null in a browser. */
  readonly pickFolder: ((kind: RootKind) => Promise<string | null>) | null;
  /** Whether the event stream is connected (browser mode reconnects by itself). */
  readonly connected: () => boolean;
}

/** What the preload puts on `window.subspace`. */
export interface PreloadBridge {
  invoke(method: string, request: unknown): Promise<unknown>;
  on(event: string, handler: (payload: unknown) => void): () => void;
  pickFolder?(kind: RootKind): Promise<string | null>;
}

declare global {
  interface Window {
    subspace?: PreloadBridge;
  }
}

function unwrap<M extends MethodName>(method: M, raw: unknown): ResponseOf<M> {
  const envelope = Envelope.safeParse(raw);
  if (!envelope.success) throw new ApiError('internal', 'Subspace sent an answer this window cannot read.', undefined, `unreadable envelope for ${method}`);
  if (!envelope.data.ok) throw ApiError.fromBody(envelope.data.error);
  const result = methods[method].response.safeParse(envelope.data.result);
  if (!result.success) {
    const issues = ApiError.fromZod(`answer to ${method}`, result.error);
    throw new ApiError('internal', 'Subspace sent an answer this window does not understand. Reloading the window may help.', issues.issues, issues.message);
  }
  return result.data as ResponseOf<M>;
}

function parseEvent<E extends EventName>(event: E, payload: unknown): EventOf<E> | null {
  const parsed = events[event].safeParse(payload);
  return parsed.success ? (parsed.data as EventOf<E>) : null;
}

type Handlers = Map<EventName, Set<(payload: never) => void>>;

function subscribe<E extends EventName>(handlers: Handlers, event: E, handler: (payload: EventOf<E>) => void): () => void {
  let set = handlers.get(event);
  if (!set) {
    set = new Set();
    handlers.set(event, set);
  }
  set.add(handler);
  return () => set.delete(handler);
}

function dispatch(handlers: Handlers, event: string, payload: unknown): void {
  if (!(event in events)) return;
  const name = event as EventName;
  const parsed = parseEvent(name, payload);
  if (parsed === null) return;
  for (const handler of handlers.get(name) ?? []) (handler as (payload: unknown) => void)(parsed);
}

export function ipcClient(bridge: PreloadBridge): ApiClient {
  const handlers: Handlers = new Map();
  const subscribed = new Set<string>();
  return {
    transport: 'ipc',
    async call(method, request) {
      return unwrap(method, await bridge.invoke(method, request));
    },
    on(event, handler) {
      if (!subscribed.has(event)) {
        subscribed.add(event);
        bridge.on(event, (payload) => dispatch(handlers, event, payload));
      }
      return subscribe(handlers, event, handler);
    },
    mediaUrl(kind, photoId) {
      return `${transport.mediaScheme}://${kind}/${encodeURIComponent(photoId)}`;
    },
    pickFolder: bridge.pickFolder ? (kind) => bridge.pickFolder!(kind) : null,
    connected: () => true,
  };
}

const TOKEN_KEY = 'subspace.token';

/** Takes the token out of the address bar (so it is not bookmarked or shared) and keeps it for reloads of this tab. */
export function takeToken(location: Location, history: History, storage: Storage): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get(transport.tokenParam);
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete(transport.tokenParam);
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

export interface HttpClientOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:5174`. */
  origin: string;
  token: string | null;
  onConnection?: (connected: boolean) => void;
}

export function httpClient({ origin, token, onConnection }: HttpClientOptions): ApiClient {
  const handlers: Handlers = new Map();
  let socket: WebSocket | null = null;
  let connected = false;
  let retryMs = 500;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    onConnection?.(value);
  };

  const connect = () => {
    const url = new URL(transport.wsPath, origin.replace(/^http/, 'ws'));
    if (token) url.searchParams.set(transport.tokenParam, token);
    socket = new WebSocket(url);
    socket.onopen = () => {
      retryMs = 500;
      setConnected(true);
    };
    socket.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return;
      }
      if (parsed && typeof parsed === 'object' && 'event' in parsed && 'payload' in parsed) {
        dispatch(handlers, String(parsed.event), parsed.payload);
      }
    };
    socket.onclose = () => {
      setConnected(false);
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };

  return {
    transport: 'http',
    async call(method, request, signal) {
      let response: Response;
      try {
        response = await fetch(new URL(`${transport.httpPrefix}${method}`, origin), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(request),
          signal: signal ?? null,
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ApiError('unavailable', 'Subspace is not reachable. Is `subspace serve` still running?', undefined, String(error));
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new ApiError('internal', 'Subspace sent an answer this window cannot read.', undefined, `HTTP ${response.status} without a JSON body for ${method}`);
      }
      return unwrap(method, body);
    },
    on(event, handler) {
      if (!socket) connect();
      return subscribe(handlers, event, handler);
    },
    mediaUrl(kind, photoId) {
      const url = new URL(`/media/${kind}/${encodeURIComponent(photoId)}`, origin);
      return url.pathname;
    },
    pickFolder: null,
    connected: () => connected,
  };
}

/** Picks the transport: IPC when the preload's bridge exists, HTTP/WebSocket otherwise. */
export function createApiClient(onConnection?: (connected: boolean) => void): ApiClient {
  if (window.subspace) return ipcClient(window.subspace);
  return httpClient({
    origin: window.location.origin,
    token: takeToken(window.location, window.history, window.sessionStorage),
    onConnection,
  });
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The technical account behind an error's sentence (zod's or the system's words), for a "Details" disclosure; null when there is none. */
export function errorDetail(error: unknown): string | null {
  if (error instanceof ApiError) return error.detail ?? null;
  if (error instanceof Error && error.stack) return error.stack;
  return null;
}
