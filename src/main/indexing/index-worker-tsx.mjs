// Starts the indexing worker from TypeScript sources (tsx, vitest). Node 20 applies neither the parent's
// loader nor `--import tsx` in execArgv to a worker's entry module, so the loader is registered here first.
import { register } from 'tsx/esm/api';

register();
await import('./index-worker.ts');
