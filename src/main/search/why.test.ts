import { describe, expect, it } from 'vitest';
import { recognisedConcepts } from './why.ts';

/** A 2-d learned part followed by a 4-class concept channel, as the embedded model lays its vectors out. */
const names = ['golden retriever', 'tennis ball', 'snowmobile', 'pizza'];

describe('why it matched', () => {
  it('names the classes that add most to the similarity, strongest first', () => {
    const query = Float32Array.of(0.5, 0.5, 0.3, 0.2, 0, 0.3);
    const photo = Float32Array.of(0.4, 0.4, 0.4, 0.2, 0.3, 0.01);
    expect(recognisedConcepts(query, photo, names)).toEqual(['golden retriever', 'tennis ball']);
  });

  it('names nothing when the photo shows none of what the query asked for', () => {
    const query = Float32Array.of(0.5, 0.5, 0.3, 0, 0, 0);
    const photo = Float32Array.of(0.5, 0.5, 0, 0, 0.4, 0.4);
    expect(recognisedConcepts(query, photo, names)).toEqual([]);
    expect(recognisedConcepts(query, photo, [])).toEqual([]);
  });
});
