import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Words the small merges file joins into single tokens (merges of one word are listed before the next's). */
export const SMALL_CLIP_WORDS = ['photo', 'red', 'green', 'blue', 'sunset', 'lake', 'dog', 'cat'];

/** The byte-pair merges that build `word` left to right, the last symbol carrying CLIP's `</w>` suffix. */
function mergesOf(word: string): string[] {
  const symbols = [...word];
  symbols[symbols.length - 1] += '</w>';
  const merges: string[] = [];
  let left = symbols[0]!;
  for (const right of symbols.slice(1)) {
    merges.push(`${left} ${right}`);
    left += right;
  }
  return merges;
}

/**
 * Writes a merges file in the format of CLIP's `bpe_simple_vocab_16e6.txt.gz` (a version line, then one merge
 * per line) with a few dozen merges, so tests build a valid small CLIP tokenizer without the real 49k-merge
 * file. Returns its path.
 */
export function writeSmallClipMerges(dir: string): string {
  const merges = [...new Set(SMALL_CLIP_WORDS.flatMap(mergesOf))];
  const path = join(dir, 'small_clip_merges.txt.gz');
  writeFileSync(path, gzipSync(['"bpe_simple_vocab_16e6.txt#version: 0.2', ...merges].join('\n')));
  return path;
}
