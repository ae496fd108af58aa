import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mentionsAny, readConceptGroups } from './concept-groups.ts';
import { textToImageRecall } from './retrieval-metrics.ts';

describe('held-out concept groups', () => {
  it('reads groups and matches whole words only, whatever the case', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'subspace-groups-')), 'concepts.txt');
    writeFileSync(file, '# held out\nbicycle bicycles Bike bikes\n\nhorse horses  # animals\n');
    const groups = readConceptGroups(file);
    expect(groups).toEqual([['bicycle', 'bicycles', 'bike', 'bikes'], ['horse', 'horses']]);
    expect(mentionsAny('A man rides his BIKE.', groups)).toBe(true);
    expect(mentionsAny('Two horses in a field', groups)).toBe(true);
    expect(mentionsAny('A seahorse and a motorbike', groups)).toBe(false);
    expect(mentionsAny('', groups)).toBe(false);
  });

  it('scores text→image recall on the chosen captions only', () => {
    const v = (...x: number[]) => Float32Array.from(x);
    const images = [v(1, 0), v(0, 1)];
    const captions = [v(1, 0), v(1, 0), v(0, 1)];
    // caption 1 describes image 1 but points at image 0: rank 1
    const owners = [0, 1, 1];
    expect(textToImageRecall(images, captions, owners, [0, 2])).toEqual({ captions: 2, t2i_r1: 100, t2i_r5: 100, t2i_r10: 100 });
    expect(textToImageRecall(images, captions, owners, [1])).toEqual({ captions: 1, t2i_r1: 0, t2i_r5: 100, t2i_r10: 100 });
    expect(textToImageRecall(images, captions, owners, [])).toEqual({ captions: 0, t2i_r1: 0, t2i_r5: 0, t2i_r10: 0 });
  });
});
