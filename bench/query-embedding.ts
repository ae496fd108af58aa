/**
 * `npx tsx bench/query-embedding.ts [--model <dir>] [--queries N]`: how long the text side takes to embed one
 * search query (tokenizer, concept map, text tower), one query at a time as the search box sends them.
 * Target (Model v2 issue): p95 ≤ 15 ms on 2 cores.
 */
import { parseArgs } from 'node:util';
import { loadTextEmbedder } from '../src/main/model/embedder.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({ options: { model: { type: 'string' }, queries: { type: 'string', default: '300' } } });
const QUERIES = [
  'kids playing in the snow',
  'a dog running through the grass',
  'a giraffe next to a tree',
  'kitchen appliances on a counter',
  'a red shirt',
  'two dogs playing',
  'birthday cake with candles',
  'a man riding a bike down a mountain trail',
  'broccoli',
  'sunset over the beach with people walking along the water',
];
const embedder = await loadTextEmbedder({ ...(values.model ? { modelDir: values.model } : {}), threads: 2 });
for (const q of QUERIES) await embedder.embedTexts([q]);
const times: number[] = [];
for (let i = 0; i < Number(values.queries); i++) {
  const started = performance.now();
  await embedder.embedTexts([QUERIES[i % QUERIES.length]!]);
  times.push(performance.now() - started);
}
await embedder.close();
console.log(`${embedder.modelId}: one query p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms over ${times.length}`);
