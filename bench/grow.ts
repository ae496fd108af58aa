/**
 * The growing library alone (bench/growing-library.ts), for tuning the vector index policy:
 *   npx tsx bench/grow.ts [--max 20000] [--full] [--dim 2024] [--queries 50] [--policy probeFraction=0.25 ...]
 * --max stops at that many rows (default 100,000); --full goes to 1,000,000. Prints each index build and
 * step as it comes, then the table docs/benchmarks.md shows.
 */
import { parseArgs } from 'node:util';
import { tempDir } from '../src/main/indexing/testing/fixtures.ts';
import { DEFAULT_VECTOR_INDEX_POLICY, type VectorIndexPolicy } from '../src/main/library/table-indexes.ts';
import { FULL_GROWTH_STEPS, GROWTH_STEPS, growLibrary } from './growing-library.ts';
import { buildLine, growthTable, stepLine } from './growth-report.ts';

const { values } = parseArgs({
  options: {
    max: { type: 'string' },
    full: { type: 'boolean', default: false },
    dim: { type: 'string', default: '2024' },
    queries: { type: 'string', default: '50' },
    policy: { type: 'string', multiple: true, default: [] },
  },
});
const max = Number(values.max ?? (values.full ? 1_000_000 : 100_000));
const steps = (values.full ? FULL_GROWTH_STEPS : GROWTH_STEPS).filter((rows) => rows < max).concat(max);
const policy: Partial<VectorIndexPolicy> = Object.fromEntries(
  values.policy.map((setting) => {
    const [key, value] = setting.split('=');
    if (!key || !(key in DEFAULT_VECTOR_INDEX_POLICY) || value === undefined) throw new Error(`--policy takes key=value with a key of ${Object.keys(DEFAULT_VECTOR_INDEX_POLICY).join(', ')}`);
    return [key, Number(value)];
  }),
);

const work = tempDir('grow');
try {
  console.log(`growing a ${values.dim}-d library to ${max.toLocaleString('en')} rows; policy ${JSON.stringify({ ...DEFAULT_VECTOR_INDEX_POLICY, ...policy })}`);
  let reported = 0;
  const { library, steps: measured, builds } = await growLibrary(work.path, {
    dim: Number(values.dim),
    steps: [...new Set(steps)],
    policy,
    queries: Number(values.queries),
    onStep: (step, builds) => {
      for (const build of builds.slice(reported)) console.log(buildLine(build));
      reported = builds.length;
      console.log(stepLine(step));
    },
  });
  library.close();
  console.log(`\n${growthTable(measured, builds).join('\n')}`);
} finally {
  work.remove();
}
