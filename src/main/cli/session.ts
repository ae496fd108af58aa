/**
 * Where a command's calls go. Queries open the library read-only beside whatever writes it. Commands that write
 * take the library's writer lock and open it themselves; when another process holds the lock and serves the API
 * (the app, `subspace serve`), they hand their calls to it; otherwise they stop with LibraryLockedError.
 */
import { readServerFile } from '../server/server-file.ts';
import { openService } from '../service.ts';
import { LibraryLockedError, readHolder, type Holder } from '../service/library-lock.ts';
import { httpClient, inProcessClient, type ApiClient } from './client.ts';

export interface Session {
  client: ApiClient;
  /** The process doing the work when it is not this one. */
  host: Holder | null;
  close(): Promise<void>;
}

/** How long the holder's server may take to answer before it is taken to be gone. */
const PROBE_MS = 3_000;

export async function openReader(dataDir: string): Promise<Session> {
  const service = await openService({ dataDir, watch: false, readOnly: true });
  return { client: inProcessClient(service), host: null, close: () => service.close() };
}

export async function openWriter(dataDir: string, name: string): Promise<Session> {
  try {
    const service = await openService({ dataDir, watch: false, holder: name });
    return { client: inProcessClient(service), host: null, close: () => service.close() };
  } catch (error) {
    if (!(error instanceof LibraryLockedError)) throw error;
    const client = await holderServer(dataDir, error.holder);
    if (!client) {
      throw new LibraryLockedError(
        dataDir,
        error.holder,
        'It takes no work from the command line (only the app and subspace serve do): run this again once it has finished.',
      );
    }
    return { client, host: error.holder, close: async () => {} };
  }
}

/** The API of the lock's holder, if it announced one in server.json and answers there. */
async function holderServer(dataDir: string, holder: Holder | null): Promise<ApiClient | null> {
  const server = await readServerFile(dataDir);
  if (!server || !holder || server.pid !== holder.pid) return null;
  try {
    await httpClient(server, PROBE_MS).call('app.info', {});
  } catch {
    return null;
  }
  return httpClient(server);
}
