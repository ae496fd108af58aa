/** Log entries: one timestamped line per entry (an error's stack indented under it), written wherever the process says. */
import { join } from 'node:path';
import { inspect } from 'node:util';
import { RotatingFile } from './rotating-file.ts';

export type Level = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

/** Longest entry kept: a Node diagnostic report or a huge stack is cut, not the log. */
const MAX_ENTRY = 16 * 1024;

/** Where the app, its service process and browser mode write: `<data folder>/logs/subspace.log`. */
export function logFilePath(dataDir: string): string {
  return join(dataDir, 'logs', 'subspace.log');
}

/** A logger writing to the data folder's log file, tagging each entry with the process that wrote it. */
export function fileLogger(dataDir: string, source: string): { log: Logger; path: string } {
  const file = new RotatingFile(logFilePath(dataDir));
  return { log: createLogger((entry) => file.write(entry), source), path: file.path };
}

export function formatEntry(time: Date, source: string, level: Level, message: string, error?: unknown): string {
  const detail = error === undefined ? '' : `\n${describeError(error)}`;
  let text = `${time.toISOString()} [${source}] ${level}: ${message}${detail}`;
  if (text.length > MAX_ENTRY) text = `${text.slice(0, MAX_ENTRY)} … (cut)`;
  return `${text.replace(/\r?\n/g, '\n    ')}\n`;
}

export function createLogger(write: (entry: string) => void, source: string, now: () => Date = () => new Date()): Logger {
  const log = (level: Level) => (message: string, error?: unknown) => write(formatEntry(now(), source, level, message, error));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : inspect(error, { depth: 4, breakLength: Infinity });
}
