import type { GrowthStep, IndexBuild } from './growing-library.ts';

const fmt = (n: number | null, digits = 1) => (n !== null && Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const count = (n: number) => n.toLocaleString('en');

export function stepLine(step: GrowthStep): string {
  const index = step.index ? `${step.index.type} trained on ${count(step.index.rows)} rows, ${step.index.partitions} partitions` : 'exact';
  return (
    `${count(step.rows)} rows: ${index}; recall@10 ${fmt(step.recallAt10, 3)}, search p50 ${fmt(step.searchP50)} / p95 ${fmt(step.searchP95)} ms, ` +
    `text query p95 ${fmt(step.queryP95)} ms, exact p95 ${fmt(step.exactP95)} ms`
  );
}

export function buildLine(build: IndexBuild): string {
  return (
    `  index trained on ${count(build.rows)} rows (${build.partitions} partitions) in ${fmt(build.seconds)} s; ` +
    `meanwhile ${build.during.queries} searches: recall@10 ${fmt(build.during.recallAt10, 3)}, p95 ${fmt(build.during.searchP95)} ms`
  );
}

/** The growing-library table of docs/benchmarks.md, and one of the index builds on the way. */
export function growthTable(steps: readonly GrowthStep[], builds: readonly IndexBuild[]): string[] {
  const target = (rows: number) => (rows === 100_000 ? '≤ 50' : rows === 1_000_000 ? '≤ 150' : '—');
  return [
    '| photos | index answering | recall@10 vs exact | search p50 | search p95 | text query p95 | target p95 | exact search p95 |',
    '|---|---|---|---|---|---|---|---|',
    ...steps.map(
      (s) =>
        `| ${count(s.rows)} | ${s.index ? `${s.index.type}, ${s.index.partitions} partitions trained on ${count(s.index.rows)}` : 'none (exact)'} | ${fmt(s.recallAt10, 3)} | ` +
        `${fmt(s.searchP50)} ms | ${fmt(s.searchP95)} ms | ${s.queryP95 === null ? 'not run' : `${fmt(s.queryP95)} ms`} | ${target(s.rows)} | ${fmt(s.exactP95)} ms |`,
    ),
    '',
    '| index trained on | partitions | training took | searches meanwhile | their recall@10 | their p95 |',
    '|---|---|---|---|---|---|',
    ...builds.map(
      (b) => `| ${count(b.rows)} rows | ${b.partitions} | ${fmt(b.seconds)} s | ${b.during.queries} | ${fmt(b.during.recallAt10, 3)} | ${fmt(b.during.searchP95)} ms |`,
    ),
  ];
}
