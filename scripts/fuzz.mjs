#!/usr/bin/env node
// `npm run fuzz` (long mode): the fuzz tests with many more runs than `npm test` gives them.
//   node scripts/fuzz.mjs [--runs N] [--seed S] [FILE…]
// Default 20000 runs per property over test/fuzz/*.test.ts and src/cluster/fuzz.test.ts. A failure prints
// the seed and path to replay (WEBFARM_FUZZ_SEED / WEBFARM_FUZZ_PATH; test/fuzz/support.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '20000' }, seed: { type: 'string' } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`fuzz: --runs must be a positive whole number, got ${values.runs}`);
  process.exit(2);
}
const files =
  positionals.length > 0
    ? positionals
    : [
        ...readdirSync('test/fuzz')
          .filter((f) => f.endsWith('.test.ts'))
          .map((f) => join('test/fuzz', f)),
        'src/cluster/fuzz.test.ts',
      ].sort();
const env = { ...process.env, WEBFARM_FUZZ_RUNS: String(runs) };
if (values.seed !== undefined) env.WEBFARM_FUZZ_SEED = values.seed;
console.log(`fuzz: ${runs} runs per property over ${files.length} files`);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=3600000', ...files],
  { stdio: 'inherit', env },
);
process.exit(r.status ?? 1);
