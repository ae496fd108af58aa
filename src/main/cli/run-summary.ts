/** What `subspace index` says when a run ends: what it added, updated, removed and could not read, or that nothing was new. */
import type { IndexingProgress } from '../../shared/dto.ts';

export interface LibraryCounts {
  photoCount: number;
  noteCount: number;
}

const ACTIVE: ReadonlySet<IndexingProgress['phase']> = new Set(['scanning', 'indexing', 'paused']);

/**
 * The lines after a run. `library` is what the library holds now (null when it could not be read); `failedBefore`
 * counts files that failed in an earlier run and were left alone because they have not changed since.
 */
export function runSummary(run: IndexingProgress, library: LibraryCounts | null, failedBefore: number): string[] {
  const work = workDone(run);
  if (run.phase === 'cancelled') return [`Stopped after ${run.done} of ${plural(run.total, 'file')}.${work ? ` ${work}.` : ''}`];
  if (ACTIVE.has(run.phase)) return [`So far ${run.done} of ${plural(run.total, 'file')}.${work ? ` ${work}.` : ''}`];
  const holds = library ? `${plural(library.photoCount, 'photo')} and ${plural(library.noteCount, 'note')}` : null;
  const earlier = failedBefore > 0 ? [`${plural(failedBefore, 'file')} could not be read in an earlier run: left alone until changed.`] : [];
  if (!work && library && library.photoCount + library.noteCount === 0) return ['Found no photos or notes to index in those folders.', ...earlier];
  if (!work) return [holds ? `Nothing new: ${holds} are up to date.` : 'Nothing new.', ...earlier];
  return [`${work}.`, ...(holds ? [`The library has ${holds}.`] : [])];
}

/** "Added 6 files, updated 2, removed 1; 1 could not be read", or '' when the run changed nothing. */
function workDone(run: IndexingProgress): string {
  const changes = run.changes ?? { added: run.done - run.failed, updated: 0, removed: 0, unchanged: 0 };
  const steps = (
    [
      ['added', changes.added],
      ['updated', changes.updated],
      ['removed', changes.removed],
    ] as const
  ).filter(([, n]) => n > 0);
  const done = steps.map(([verb, n], i) => (i === 0 ? `${verb.charAt(0).toUpperCase()}${verb.slice(1)} ${plural(n, 'file')}` : `${verb} ${n}`)).join(', ');
  if (run.failed === 0) return done;
  return done ? `${done}; ${run.failed} could not be read` : `${plural(run.failed, 'file')} could not be read`;
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
