/** What the indexing progress means to a person: a headline, a fraction and the details line. */
import type { IndexingProgress } from '../../shared/dto.ts';
import { formatCount, formatEta, formatRate } from './format.ts';

export interface ProgressView {
  readonly active: boolean;
  readonly headline: string;
  /** 0..1, or null when the total is not known yet (scanning). */
  readonly fraction: number | null;
  readonly detail: string;
}

export function describeProgress(p: IndexingProgress): ProgressView {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : null;
  const counts = p.total > 0 ? `${formatCount(p.done)} of ${formatCount(p.total)}` : '';
  const failed = p.failed > 0 ? `${formatCount(p.failed)} failed` : '';
  const eta = formatEta(p.etaSeconds ?? (p.ratePerSecond > 0 ? (p.total - p.done) / p.ratePerSecond : null));
  const join = (...parts: string[]) => parts.filter(Boolean).join(' · ');
  switch (p.phase) {
    case 'scanning':
      return { active: true, headline: 'Looking for new files…', fraction: null, detail: join(p.total > 0 ? `${formatCount(p.total)} found` : '', failed) };
    case 'indexing':
      return { active: true, headline: 'Indexing', fraction, detail: join(counts, formatRate(p.ratePerSecond, 'files'), eta ?? '', failed) };
    case 'paused':
      return { active: true, headline: 'Paused', fraction, detail: join(counts, failed) };
    case 'error':
      return { active: false, headline: 'Indexing stopped', fraction, detail: p.message ?? 'An error stopped indexing.' };
    case 'cancelled':
      return { active: false, headline: 'Indexing cancelled', fraction, detail: join(counts, failed) };
    case 'done':
      return { active: false, headline: 'Up to date', fraction: 1, detail: join(p.total > 0 ? `${formatCount(p.total)} files checked` : '', failed) };
    default:
      return { active: false, headline: 'Up to date', fraction: null, detail: failed };
  }
}
