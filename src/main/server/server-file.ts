/**
 * `server.json` in the data folder: where the process holding the library serves its API (browser mode, the
 * desktop app), with the token, so that a `subspace` command of the same user can hand its work over instead of
 * writing the library itself. Readable by the user only; removed when the server closes.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const ServerFile = z.object({
  /** The process serving; it holds the library's writer lock (compare with writer.json). */
  pid: z.number().int(),
  origin: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/),
  token: z.string().min(1),
});
export type ServerFile = z.infer<typeof ServerFile>;

const FILE = 'server.json';

/** Writes server.json (mode 0600) for this process's server; the returned function removes it. */
export async function announceServer(dataDir: string, server: { origin: string; token: string }): Promise<() => Promise<void>> {
  const path = join(dataDir, FILE);
  const content: ServerFile = { pid: process.pid, origin: server.origin, token: server.token };
  // Removed first: the mode of an existing file (left by a killed server) would be kept by a plain write.
  await rm(path, { force: true });
  await writeFile(path, `${JSON.stringify(content)}\n`, { mode: 0o600, flag: 'wx' });
  return () => rm(path, { force: true });
}

/** The server announced in the data folder, if the file is there and well formed (it may be stale: check its pid). */
export async function readServerFile(dataDir: string): Promise<ServerFile | null> {
  const text = await readFile(join(dataDir, FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return ServerFile.parse(JSON.parse(text));
  } catch {
    return null;
  }
}
