import { stat } from 'node:fs/promises';
import type { RootRow } from '../library/schema.ts';

/** True when the path is a folder this process can see now. */
export async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() === true;
}

/**
 * Polls the roots for folders that went offline (an unplugged disk, an unmounted share) and calls back when
 * one returns: file events cannot say so, since the watches died with the folder. Offline roots keep their
 * items; the returning root is rescanned by the caller.
 */
export class RootPresence {
  private readonly offline = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly roots: () => Promise<RootRow[]>,
    private readonly onReturn: (root: RootRow) => void,
    private readonly pollMs = 30_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.pollMs);
    this.timer.unref();
    void this.check();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over the roots; overlapping passes are merged. */
  check(): Promise<void> {
    this.checking ??= this.pass().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async pass(): Promise<void> {
    const roots = await this.roots().catch(() => []);
    for (const root of roots) {
      const key = `${root.kind}\0${root.path}`;
      const present = await isFolder(root.path);
      if (!present) this.offline.add(key);
      else if (this.offline.delete(key)) this.onReturn(root);
    }
  }
}
