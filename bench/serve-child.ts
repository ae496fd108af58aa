/**
 * Browser mode in its own process, for bench/service-bench.ts: opens the service on a data folder and
 * starts the real HTTP server, so a burst of requests and the server's memory are measured apart from
 * the client sending them; bench/ui-bench.ts also serves the built page with it (a second argument). Messages
 * over the IPC channel: it sends `{ url, token }` once listening and `{ rssMb, cpuMs }` for each `'usage'`;
 * `'close'` shuts it down.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../src/main/server/http-server.ts';
import { openService } from '../src/main/service.ts';

const dataDir = process.argv[2]!;
/** The built page (`out/renderer`) for a benchmark that drives it in a browser; an empty folder otherwise. */
const rendererDir = process.argv[3] ?? join(dataDir, 'renderer');
mkdirSync(rendererDir, { recursive: true });
const service = await openService({ dataDir, watch: false });
const server = await startServer({ service, rendererDir });

process.on('message', async (message) => {
  if (message === 'usage') {
    const cpu = process.cpuUsage();
    process.send!({ rssMb: process.memoryUsage().rss / 2 ** 20, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  if (message === 'close') {
    await server.close();
    await service.close();
    process.exit(0);
  }
});
process.send!({ origin: server.origin, token: server.token });
