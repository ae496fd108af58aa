import { basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { RootKind } from '../library/schema.ts';
import { acceptsFile, skipsFile, skipsFolder } from './formats.ts';

/** Paths that changed under the watched roots since the last flush. */
export interface ChangeSet {
  /** Files added, changed or removed (whether each still exists is checked when the set is handled). */
  files: Set<string>;
  /** Folders removed: every item below them is gone. */
  removedFolders: Set<string>;
}

/** A path the watcher could not watch (permissions, too many watches, a vanished folder) and why. */
export interface WatchProblem {
  path: string;
  reason: string;
}

/**
 * Watches one kind's roots with chokidar and hands over changes in debounced sets, so that a rename (an
 * unlink and an add) or a copied folder arrives as one set and a rename is recognised as a move.
 */
export class RootWatcher {
  private readonly watcher: FSWatcher;
  private pending: ChangeSet = { files: new Set(), removedFolders: new Set() };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly kind: RootKind,
    private readonly onChanges: (changes: ChangeSet) => void,
    private readonly onProblem: (problem: WatchProblem) => void,
    private readonly debounceMs = 1000,
  ) {
    this.watcher = watch([], {
      ignoreInitial: true,
      followSymlinks: true,
      awaitWriteFinish: { stabilityThreshold: Math.min(1000, debounceMs), pollInterval: 100 },
      ignored: (path, stats) => {
        const name = basename(path);
        if (stats?.isDirectory()) return skipsFolder(name);
        if (stats?.isFile()) return skipsFile(name) || !acceptsFile(kind, path);
        return false;
      },
    });
    this.watcher.on('add', (path) => this.note('file', path));
    this.watcher.on('change', (path) => this.note('file', path));
    this.watcher.on('unlink', (path) => this.note('file', path));
    this.watcher.on('unlinkDir', (path) => this.note('folder', path));
    // Without a listener, chokidar's error event (EACCES on a subfolder, ENOSPC for inotify) kills the process.
    this.watcher.on('error', (error) => this.onProblem(watchProblem(error)));
  }

  add(root: string): void {
    this.watcher.add(root);
  }

  remove(root: string): void {
    this.watcher.unwatch(root);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.watcher.close();
  }

  private note(what: 'file' | 'folder', path: string): void {
    if (what === 'file') {
      if (!acceptsFile(this.kind, path) || skipsFile(basename(path))) return;
      this.pending.files.add(path);
    } else {
      this.pending.removedFolders.add(path);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const changes = this.pending;
      this.pending = { files: new Set(), removedFolders: new Set() };
      this.timer = undefined;
      this.onChanges(changes);
    }, this.debounceMs);
  }
}

function watchProblem(error: unknown): WatchProblem {
  const { path, message } = error as { path?: unknown; message?: unknown };
  return { path: typeof path === 'string' ? path : '', reason: typeof message === 'string' ? message : String(error) };
}
