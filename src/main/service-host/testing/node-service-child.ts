/**
 * The service host in a plain Node child process (`fork` with an IPC channel), for tests of the supervisor: the
 * same host as the utility process runs, over process.send instead of Electron's parent port. A port cannot travel
 * over Node's IPC channel, so `connect` is not available here.
 */
import type { Link } from '../../../shared/port-rpc.ts';
import { hostService } from '../host.ts';

const parent: Link<unknown> = {
  post: (message) => void process.send?.(message),
  listen(listener) {
    const forward = (message: unknown) => listener(message, []);
    process.on('message', forward);
    return () => process.off('message', forward);
  },
};

hostService(parent, { onClosed: () => process.exit(0) });
