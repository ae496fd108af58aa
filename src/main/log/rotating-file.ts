/**
 * An append-only text file that rotates by size: `subspace.log`, then `subspace.log.1` … `.<keep>`, oldest dropped,
 * so it never holds more than (keep + 1) × maxBytes. Writes are synchronous appends of whole entries, so an entry
 * written just before a crash is on disk. The size is read before every write, which lets two processes (the main
 * process and the service process) share one file; two rotating at the same moment only rotate one file early.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  maxBytes?: number;
  /** How many rotated files to keep besides the current one. */
  keep?: number;
}

export class RotatingFile {
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(
    readonly path: string,
    options: RotatingFileOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.keep = options.keep ?? 4;
  }

  /** Appends the text; never throws (a log that cannot be written must not take the app down with it). */
  write(text: string): void {
    try {
      const size = statSync(this.path, { throwIfNoEntry: false })?.size ?? 0;
      if (size > 0 && size + Buffer.byteLength(text) > this.maxBytes) this.rotate();
      else if (size === 0) mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, text);
    } catch {
      return;
    }
  }

  /** The current file and the rotated ones, newest first. */
  files(): string[] {
    return [this.path, ...Array.from({ length: this.keep }, (_, i) => `${this.path}.${i + 1}`)];
  }

  private rotate(): void {
    const files = this.files();
    rmSync(files.at(-1)!, { force: true });
    for (let i = files.length - 2; i >= 0; i--) {
      try {
        renameSync(files[i]!, files[i + 1]!);
      } catch {
        continue;
      }
    }
  }
}
