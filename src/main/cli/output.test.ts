import { describe, expect, it } from 'vitest';
import type { IndexingProgress } from '../../shared/dto.ts';
import { formatDuration, highlight, progressLine } from './output.ts';

const progress: IndexingProgress = {
  phase: 'indexing',
  done: 50,
  total: 200,
  failed: 2,
  ratePerSecond: 12.5,
  etaSeconds: 12,
  currentFile: '/home/ana/Pictures/2024/summer/very-long-folder-name/IMG_0001.jpg',
  message: null,
};

describe('command-line output', () => {
  it('draws a progress line with counts, failures, rate and ETA that fits the terminal', () => {
    const line = progressLine(progress, 100);
    expect(line).toContain('[######------------------]');
    expect(line).toContain('50/200');
    expect(line).toContain('2 failed');
    expect(line).toContain('12.5/s');
    expect(line).toContain('ETA 0:12');
    expect(line.length).toBeLessThanOrEqual(100);
    expect(line).toMatch(/….*IMG_0001\.jpg$/);
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3 * 3600 + 61)).toBe('3:01:01');
  });

  it('marks highlighted ranges, ignoring overlaps', () => {
    expect(highlight('red cliffs at sunset', [{ start: 0, end: 3 }, { start: 14, end: 20 }, { start: 1, end: 2 }], false)).toBe('[red] cliffs at [sunset]');
    expect(highlight('red', [{ start: 0, end: 3 }], true)).toBe('\x1b[1mred\x1b[22m');
  });
});
