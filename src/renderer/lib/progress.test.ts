import { describe, expect, it } from 'vitest';
import type { IndexingProgress } from '../../shared/dto.ts';
import { describeProgress } from './progress.ts';

const base: IndexingProgress = {
  phase: 'indexing',
  done: 250,
  total: 1000,
  failed: 0,
  ratePerSecond: 25,
  etaSeconds: null,
  currentFile: null,
  message: null,
};

describe('describeProgress', () => {
  it('gives the fraction, rate and time left while indexing', () => {
    const view = describeProgress(base);
    expect(view.fraction).toBe(0.25);
    expect(view.detail).toContain('250 of 1,000');
    expect(view.detail).toContain('25 files/s');
    expect(view.detail).toContain('less than a minute left');
  });

  it('prefers the service ETA, counts failures, and has no fraction while scanning', () => {
    expect(describeProgress({ ...base, etaSeconds: 600, failed: 3 }).detail).toMatch(/about 10 min left · 3 failed$/);
    expect(describeProgress({ ...base, phase: 'scanning', total: 0 }).fraction).toBeNull();
    expect(describeProgress({ ...base, phase: 'error', message: 'Disk full' }).detail).toBe('Disk full');
  });
});
