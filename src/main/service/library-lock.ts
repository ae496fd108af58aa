/**
 * One writer per data folder, across processes: the app, browser mode and the command line's writing commands
 * take this lock before they open the library. `writer.lock/` is proper-lockfile's lock (a folder whose mtime
 * the holder refreshes; one left by a killed process is stale after STALE_MS and taken over); `writer.json`
 * says who holds it, so the others can name it. Both sit in the data folder beside `library/`, never inside it.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lock } from 'proper-lockfile';
import { z } from 'zod';

const LOCK_DIR = 'writer.lock';
const HOLDER_FILE = 'writer.json';
/** A lock not refreshed for this long belongs to a process that died; the holder refreshes it every half of it. */
const STALE_MS = 10_000;

export const Holder = z.object({
  /** What holds it, as a person knows it: "the Subspace app", "subspace serve", "subspace index". */
  name: z.string(),
  pid: z.number().int(),
  host: z.string(),
  since: z.string(),
});
export type Holder = z.infer<typeof Holder>;

export class LibraryLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder | null,
    advice = 'Try again once it has finished, or close it.',
  ) {
    super(`The library in ${dataDir} is being written by ${describeHolder(holder)}; only one process writes a library at a time. ${advice}`);
    this.name = 'LibraryLockedError';
  }
}

export interface LibraryLock {
  release(): Promise<void>;
}

export function describeHolder(holder: Holder | null): string {
  if (!holder) return 'another Subspace process';
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `${holder.name} (process ${holder.pid}${where}, since ${new Date(holder.since).toLocaleString()})`;
}

/**
 * Takes the data folder's writer lock, or throws LibraryLockedError naming the process that holds it. A lock
 * whose holder is no longer running is waited out until it is stale (at most STALE_MS), then taken over.
 */
export async function lockLibrary(dataDir: string, name: string): Promise<LibraryLock> {
  const unlock = await acquire(dataDir);
  const holderPath = join(dataDir, HOLDER_FILE);
  const holder: Holder = { name, pid: process.pid, host: hostname(), since: new Date().toISOString() };
  await writeFile(`${holderPath}.tmp`, JSON.stringify(holder));
  await rename(`${holderPath}.tmp`, holderPath);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await rm(holderPath, { force: true });
      await unlock();
    },
  };
}

/** Who holds the data folder's writer lock, as it wrote down; null when nobody said. */
export async function readHolder(dataDir: string): Promise<Holder | null> {
  const text = await readFile(join(dataDir, HOLDER_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return Holder.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

async function acquire(dataDir: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + STALE_MS + 2_000;
  for (;;) {
    try {
      return await lock(dataDir, {
        lockfilePath: join(dataDir, LOCK_DIR),
        realpath: false,
        stale: STALE_MS,
        // The default throws from a timer, which would crash the app; the library's commits stay whole either way.
        onCompromised: (error) => console.error(`[subspace] lost the writer lock of ${dataDir}: ${error.message}`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const holder = await readHolder(dataDir);
      if ((holder && running(holder)) || Date.now() > deadline) throw new LibraryLockedError(dataDir, holder);
      await sleep(500);
    }
  }
}

/** Whether the holder still runs; one on another machine (a shared folder) is taken to be running. */
function running(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
