import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedPath } from './shared-data.ts';

const env = { ...process.env };
afterEach(() => {
  process.env = { ...env };
});

describe('sharedPath', () => {
  const shared = mkdtempSync(join(tmpdir(), 'subspace-shared-'));
  mkdirSync(join(shared, 'datasets'));

  it('finds what ../shared holds, and skips what it lacks on a fresh clone', () => {
    process.env.SUBSPACE_SHARED = shared;
    delete process.env.CI;
    expect(sharedPath('datasets')).toBe(join(shared, 'datasets'));
    expect(sharedPath('models')).toBeUndefined();
  });

  it('fails instead of skipping under CI=true, naming the missing path', () => {
    process.env.SUBSPACE_SHARED = shared;
    process.env.CI = 'true';
    expect(sharedPath('datasets')).toBe(join(shared, 'datasets'));
    expect(() => sharedPath('models')).toThrow(`tests that need ${join(shared, 'models')} cannot run, and under CI=true missing data fails the run`);
  });
});
