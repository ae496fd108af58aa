/** Starts the service process as an Electron utility process, for the supervisor; what it prints goes to the log. */
import { utilityProcess, type MessagePortMain } from 'electron';
import type { Logger } from '../log/logger.ts';
import type { ServiceChild } from '../service-host/supervisor.ts';
import { utilityProcessLink } from './port-links.ts';

export const SERVICE_PROCESS_NAME = 'Subspace library';

export function forkServiceProcess(entry: string, log: Logger): ServiceChild<MessagePortMain> {
  const child = utilityProcess.fork(entry, [], { serviceName: SERVICE_PROCESS_NAME, stdio: 'pipe' });
  // Its own entries go to the log file directly; this is anything else it prints (a native library's complaint,
  // an uncaught exception's stack), which would otherwise be lost with the process.
  child.stdout?.on('data', (chunk: Buffer) => log.info(`service process output: ${chunk.toString().trimEnd()}`));
  child.stderr?.on('data', (chunk: Buffer) => log.warn(`service process error output: ${chunk.toString().trimEnd()}`));
  child.on('error', (type, location, report) => log.error(`the service process failed: ${type} at ${location}`, report));
  return {
    link: utilityProcessLink(child),
    exited: new Promise((resolve) => child.once('exit', resolve)),
    kill: () => void child.kill(),
  };
}
