/** Starts `subspace serve` (browser mode) on a library folder, as a user would, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { serverEnv } from './model.ts';

export interface Served {
  /** The address printed by the server, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** Calls the API as the page does (a test checks what the store holds, not only what the screen shows). */
  call<T>(method: string, request: object): Promise<T>;
  stop(): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');

/** The server's own output goes to test-results/ so a failure in CI can be read afterwards. */
const logDir = join(root, 'test-results');

/** `env` adds to the server's environment (e.g. a HOME of the test's own, for what `~` means to the server). */
export async function serve(libraryDir: string, timeoutMs = 90_000, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [join(root, 'bin', 'subspace.js'), 'serve', '--library', libraryDir, '--json'], {
    cwd: root,
    env: { ...process.env, ...serverEnv, SUBSPACE_HOME: libraryDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `subspace-serve-${child.pid}.log`));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    log.write(chunk);
  });
  child.once('exit', (code, signal) => log.end(`\n[exited: ${code ?? signal}]\n`));
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<Served>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`subspace serve did not start within ${timeoutMs} ms.\n${stderr}`)), timeoutMs);
    lines.on('line', (line) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (isListening(message)) {
        clearTimeout(timer);
        const { url, origin, token } = message;
        resolve({ url, origin, token, call: (method, request) => callApi(origin, token, method, request), stop: () => stop(child) });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`subspace serve exited (${code}) before listening.\n${stderr}`));
    });
  });
  return listening;
}

async function callApi<T>(origin: string, token: string, method: string, request: object): Promise<T> {
  const response = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const envelope = (await response.json()) as { ok: boolean; result: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error?.message}`);
  return envelope.result;
}

function isListening(message: unknown): message is { type: 'listening'; url: string; origin: string; token: string } {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === 'listening';
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
