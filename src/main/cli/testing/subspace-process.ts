/** The real `subspace` binary as a child process, run as a user runs it (for tests). */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../paths.ts';

const bin = join(projectRoot(), 'bin', 'subspace.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function subspace(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 600_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

export const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

export interface Serving {
  process: ChildProcess;
  origin: string;
  token: string;
  /** Ctrl+C, as a user stops it; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `subspace serve --json` on a library, once it says it is listening. */
export function serve(dataDir: string): Promise<Serving> {
  const child = spawn(process.execPath, [bin, 'serve', '--json', '--library', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`subspace serve exited (${code}): ${stderr.join('')}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { type: string; origin?: string; token?: string };
      if (message.type !== 'listening') return;
      resolve({
        process: child,
        origin: message.origin!,
        token: message.token!,
        stop: () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    });
  });
}
