/** Starts the service host in a Node child process (see node-service-child.ts), as a supervisor's ServiceChild. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServiceChild } from '../supervisor.ts';

export function forkService(onSpawn?: (child: ChildProcess) => void): ServiceChild<never> {
  const child = fork(fileURLToPath(new URL('./node-service-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onSpawn?.(child);
  return {
    link: {
      post(message) {
        if (child.connected) child.send(message);
      },
      listen(listener) {
        const forward = (message: unknown) => listener(message, []);
        child.on('message', forward);
        return () => child.off('message', forward);
      },
    },
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    kill: () => child.kill('SIGKILL'),
  };
}
