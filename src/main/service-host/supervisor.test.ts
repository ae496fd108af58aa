import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, logFilePath } from '../log/logger.ts';
import { RotatingFile } from '../log/rotating-file.ts';
import { createTestLibrary } from '../service/test-library.ts';
import { forkService } from './testing/fork-service.ts';
import { restartDelay, ServiceSupervisor } from './supervisor.ts';

describe('restartDelay', () => {
  it('restarts at once, then waits longer, and gives up when five restarts within ten minutes did not help', () => {
    const now = 1_000_000_000;
    expect(restartDelay([], now)).toBe(0);
    expect(restartDelay([now - 1000], now)).toBe(1000);
    expect(restartDelay([now - 3000, now - 1000], now)).toBe(4000);
    expect(restartDelay([now - 5000, now - 3000, now - 1000], now)).toBe(16_000);
    expect(restartDelay([now - 7000, now - 5000, now - 3000, now - 1000], now)).toBe(30_000);
    expect(restartDelay([now - 9000, now - 7000, now - 5000, now - 3000, now - 1000], now)).toBeNull();
  });

  it('forgets crashes older than ten minutes', () => {
    const now = 1_000_000_000;
    const old = Array.from({ length: 5 }, (_, i) => now - 11 * 60_000 - i);
    expect(restartDelay(old, now)).toBe(0);
  });
});

const lib = await createTestLibrary();
afterAll(() => lib.cleanup());

/** A supervisor over the real service host in Node child processes; `children` are the processes it started. */
function supervise(delays: (crashes: readonly number[]) => number | null) {
  const children: ChildProcess[] = [];
  const logins: boolean[] = [];
  const logFile = logFilePath(lib.dataDir);
  const file = new RotatingFile(logFile);
  const supervisor = new ServiceSupervisor<never>({
    spawn: () => forkService((child) => children.push(child)),
    init: { dataDir: lib.dataDir, watch: false, logFile, shell: { tray: true, revealInFolder: true, startAtLogin: true } },
    shell: { reveal: () => undefined, setStartAtLogin: async (enabled) => void logins.push(enabled) },
    log: createLogger((entry) => file.write(entry), 'main'),
    restartDelay: delays,
  });
  return { supervisor, children, logins, logFile };
}

function crash(child: ChildProcess | undefined): void {
  // What a native crash (ONNX Runtime, sharp, LanceDB) looks like from outside.
  child?.kill('SIGSEGV');
}

function nextRestart(supervisor: ServiceSupervisor<never>): Promise<void> {
  return new Promise((resolve) => supervisor.onRestart(resolve));
}

describe('ServiceSupervisor', () => {
  it('serves the contract from a child process, restarts it after a crash, and closes it', async () => {
    const { supervisor, children, logins, logFile } = supervise((crashes) => (crashes.length === 0 ? 0 : null));
    await supervisor.start();
    try {
      const info = await supervisor.dispatch('app.info', {});
      expect(info).toMatchObject({ ok: true, result: { libraryDir: lib.dataDir, logFile, capabilities: { tray: true, revealInFolder: true, startAtLogin: true } } });
      expect(children[0]!.pid).not.toBe(process.pid);

      // The service asks the main process for what only it can do.
      expect(await supervisor.dispatch('settings.update', { startAtLogin: true })).toMatchObject({ ok: true });
      expect(logins).toEqual([true]);
      await expect(supervisor.media('photo', 'no-such-photo')).rejects.toMatchObject({ code: 'not_found' });

      const restarted = nextRestart(supervisor);
      crash(children[0]);
      await restarted;
      expect(children).toHaveLength(2);
      expect(supervisor.stopped).toBeNull();
      expect(await supervisor.dispatch('settings.get', {})).toMatchObject({ ok: true, result: { startAtLogin: true } });
      const log = await readFile(logFile, 'utf8');
      expect(log).toMatch(/\[main\] error: the service process exited unexpectedly \(killed by a signal\)/);
      expect(log).toMatch(/\[main\] info: the service process was restarted/);
      expect(log).toMatch(/\[service\] info: service process \d+ opening/);
    } finally {
      await supervisor.close();
    }
    expect(children.every((child) => child.exitCode !== null || child.signalCode !== null)).toBe(true);
    expect(children).toHaveLength(2);
  });

  it('stops restarting after too many crashes and answers every call with the reason', async () => {
    const { supervisor, children } = supervise((crashes) => (crashes.length < 1 ? 0 : null));
    const stopped = new Promise<string>((resolve) => supervisor.onStop(resolve));
    await supervisor.start();
    try {
      const restarted = nextRestart(supervisor);
      crash(children[0]);
      await restarted;
      crash(children[1]);
      const reason = await stopped;
      expect(reason).toMatch(/stopped 2 times/);
      expect(supervisor.stopped).toBe(reason);
      expect(await supervisor.dispatch('app.info', {})).toEqual({ ok: false, error: { code: 'unavailable', message: reason } });
      expect(children).toHaveLength(2);
    } finally {
      await supervisor.close();
    }
  });

  it('does not start when the service cannot open, and leaves no process behind', async () => {
    const children: ChildProcess[] = [];
    const supervisor = new ServiceSupervisor<never>({
      spawn: () => forkService((child) => children.push(child)),
      init: { dataDir: join(lib.dataDir, 'settings.json'), watch: false, logFile: null, shell: { tray: false, revealInFolder: false, startAtLogin: false } },
      shell: { reveal: () => undefined, setStartAtLogin: async () => undefined },
      log: createLogger(() => undefined, 'main'),
    });
    await expect(supervisor.start()).rejects.toThrow();
    const [child] = children;
    if (child!.exitCode === null && child!.signalCode === null) await once(child!, 'exit');
    expect(children).toHaveLength(1);
  });
});
