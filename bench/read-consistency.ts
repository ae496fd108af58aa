/**
 * `npx tsx bench/read-consistency.ts [--rows N] [--versions N]`: what a reader pays to see another process's commits.
 * A table with many versions (an indexing run commits once per batch, and old versions stay for 7 days) is read
 * through a plain connection, one with `readConsistencyInterval: 0` (every read looks for a newer version) and one
 * calling `checkoutLatest()` before each read. The library's read-only open uses the interval (library.ts).
 */
import { connect, type Table } from '@lancedb/lancedb';
import { parseArgs } from 'node:util';
import { tempDir } from '../src/main/indexing/testing/fixtures.ts';
import { percentile, since } from './stats.ts';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '10000' }, versions: { type: 'string', default: '2000' } } });
const rows = Number(args.rows);
const versions = Number(args.versions);
const dim = 512;
const work = tempDir('read-consistency');

const row = (i: number) => ({ id: `p${i}`, status: 'ok', vector: Array.from({ length: dim }, () => Math.random() - 0.5) });
const writer = await connect(work.path);
const table = await writer.createTable('photos', Array.from({ length: rows - versions + 1 }, (_, i) => row(i)));
for (let i = rows - versions + 1; i < rows; i++) await table.add([row(i)]);
// Compacted as `library.optimize()` does, keeping every old version.
await table.optimize({ cleanupOlderThan: new Date(0) });
console.log(`${rows} rows of ${dim}-d, ${(await table.listVersions()).length} versions`);

const probe = row(0).vector;
const lookup = (t: Table) => t.query().where("id = 'p7'").toArray();
const search = (t: Table) => t.vectorSearch(probe).distanceType('cosine').where("status = 'ok'").limit(60).toArray();

/** Each way of reading timed in turns, so that the load of a shared machine falls on all of them alike. */
async function compare(name: string, reads: Record<string, () => Promise<unknown>>): Promise<void> {
  const samples = new Map(Object.keys(reads).map((label) => [label, [] as number[]]));
  for (let round = 0; round < 105; round++) {
    for (const [label, read] of Object.entries(reads)) {
      const start = performance.now();
      await read();
      if (round >= 5) samples.get(label)!.push(since(start));
    }
  }
  for (const [label, times] of samples) {
    console.log(`${`${name}: ${label}`.padEnd(48)} p50 ${percentile(times, 0.5).toFixed(2)} ms  p95 ${percentile(times, 0.95).toFixed(2)} ms`);
  }
}

const plain = await (await connect(work.path)).openTable('photos');
const strong = await (await connect(work.path, { readConsistencyInterval: 0 })).openTable('photos');
const checkout = await (await connect(work.path)).openTable('photos');
for (const [name, read] of [
  ['lookup by id', lookup],
  ['vector search, top 60', search],
] as const) {
  await compare(name, {
    plain: () => read(plain),
    'readConsistencyInterval 0': () => read(strong),
    'checkoutLatest() first': async () => {
      await checkout.checkoutLatest();
      return read(checkout);
    },
  });
}
work.remove();
