/**
 * The ANN index types LanceDB 0.31 offers, on one table of synthetic drifting vectors (bench/synthetic.ts):
 * training time (wall and CPU), recall@10 against exact search and search latency, each at a few probe shares.
 *   npx tsx bench/index-types.ts [--rows 20000] [--dim 2024] [--queries 50] [--types ivf_pq_8,ivf_rq,...]
 *     [--probes 0.05,0.1,0.25] [--refine 10,20]
 * Types: ivf_pq_8 / ivf_pq_16 / ivf_pq_24 (IVF_PQ, that many dimensions per sub-vector), ivf_rq (RaBitQ,
 * 1 bit a dimension), ivf_hnsw_sq, ivf_flat. Every index has √rows partitions and cosine distance; each is
 * searched at every probed share and refine factor given.
 */
import { parseArgs } from 'node:util';
import { connect, Index, makeArrowTable, type Table } from '@lancedb/lancedb';
import { tempDir } from '../src/main/indexing/testing/fixtures.ts';
import { arrow } from '../src/main/library/arrow.ts';
import { partitionsFor } from '../src/main/library/table-indexes.ts';
import { percentile, since } from './stats.ts';
import { SyntheticVectors } from './synthetic.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    dim: { type: 'string', default: '2024' },
    queries: { type: 'string', default: '50' },
    types: { type: 'string', default: 'ivf_pq_8,ivf_pq_24,ivf_rq,ivf_hnsw_sq,ivf_flat' },
    probes: { type: 'string', default: '0.05,0.1,0.25' },
    refine: { type: 'string', default: '10' },
  },
});
const rows = Number(values.rows);
const dim = Number(values.dim);
const partitions = partitionsFor(rows);

function config(type: string): Index {
  const common = { distanceType: 'cosine' as const, numPartitions: partitions, maxIterations: 10, sampleRate: 64 };
  const pq = /^ivf_pq_(\d+)$/.exec(type);
  if (pq) return Index.ivfPq({ ...common, numSubVectors: subVectors(Number(pq[1])) });
  if (type === 'ivf_rq') return Index.ivfRq(common);
  if (type === 'ivf_hnsw_sq') return Index.hnswSq({ distanceType: 'cosine', numPartitions: Math.max(1, Math.round(partitions / 8)), maxIterations: 10, sampleRate: 64 });
  if (type === 'ivf_flat') return Index.ivfFlat(common);
  throw new Error(`unknown index type ${type}`);
}

function subVectors(dimsEach: number): number {
  for (let count = Math.floor(dim / dimsEach); count > 1; count--) if (dim % count === 0) return count;
  return 1;
}

async function fill(table: Table, vectors: SyntheticVectors): Promise<Float32Array[]> {
  const sample: Float32Array[] = [];
  const schema = new arrow.Schema([
    new arrow.Field('id', new arrow.Utf8(), false),
    new arrow.Field('vector', new arrow.FixedSizeList(dim, new arrow.Field('item', new arrow.Float32(), true)), true),
  ]);
  for (let start = 0; start < rows; start += 5000) {
    const batch = Array.from({ length: Math.min(5000, rows - start) }, (_, i) => {
      const vector = vectors.next();
      if ((start + i) % Math.ceil(rows / 1000) === 0) sample.push(vector);
      return { id: `r${start + i}`, vector: Array.from(vector) };
    });
    await table.add(makeArrowTable(batch, { schema }));
  }
  return sample;
}

async function topIds(query: Promise<Record<string, unknown>[]>): Promise<string[]> {
  return (await query).map((row) => String(row.id));
}

const work = tempDir('index-types');
try {
  const db = await connect(work.path);
  const vectors = new SyntheticVectors(dim, 50, 1 / Math.sqrt(dim), 7, 100);
  const table = await db.createEmptyTable('vectors', new arrow.Schema([
    new arrow.Field('id', new arrow.Utf8(), false),
    new arrow.Field('vector', new arrow.FixedSizeList(dim, new arrow.Field('item', new arrow.Float32(), true)), true),
  ]));
  const sample = await fill(table, vectors);
  const probes = Array.from({ length: Number(values.queries) }, (_, i) => vectors.near(sample[(i * 7) % sample.length]!, 0.8 / Math.sqrt(dim)));
  const exactTimes: number[] = [];
  const truth: Set<string>[] = [];
  for (const probe of probes) {
    const start = performance.now();
    truth.push(new Set(await topIds(table.vectorSearch(probe).distanceType('cosine').bypassVectorIndex().select(['id', '_distance']).limit(10).toArray())));
    exactTimes.push(since(start));
  }
  console.log(`${rows.toLocaleString('en')} × ${dim}-d, ${partitions} partitions; exact search p95 ${percentile(exactTimes, 0.95).toFixed(1)} ms`);
  console.log('| index | training (wall / CPU) | probed share | refine factor | recall@10 | search p50 | search p95 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const type of values.types.split(',')) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await table.createIndex('vector', { config: config(type), replace: true });
    const wall = since(start) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    for (const share of values.probes.split(',').map(Number)) {
      for (const refine of values.refine.split(',').map(Number)) {
        const indexPartitions = type === 'ivf_hnsw_sq' ? Math.max(1, Math.round(partitions / 8)) : partitions;
        const nprobes = Math.max(1, Math.ceil(share * indexPartitions));
        const times: number[] = [];
        let hits = 0;
        for (const [i, probe] of probes.entries()) {
          const begin = performance.now();
          const query = table.vectorSearch(probe).distanceType('cosine').nprobes(nprobes).refineFactor(refine);
          const ids = await topIds(query.select(['id', '_distance']).limit(10).toArray());
          times.push(since(begin));
          hits += ids.filter((id) => truth[i]!.has(id)).length;
        }
        console.log(
          `| ${type} | ${wall.toFixed(1)} s / ${cpuSeconds.toFixed(1)} s | ${share} (${nprobes}) | ${refine} | ${(hits / (10 * probes.length)).toFixed(3)} | ` +
            `${percentile(times, 0.5).toFixed(1)} ms | ${percentile(times, 0.95).toFixed(1)} ms |`,
        );
      }
    }
  }
  db.close();
} finally {
  work.remove();
}
