#!/usr/bin/env node
// `npm test`: type check, lint, then every *.test.ts under src/, test/ and bench/ (unit tests of the
// benchmark code; the benchmarks themselves run only with `npm run bench`) with node:test.
// Node 20's --test does not expand globs, so the file list is built here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function step(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const only = process.argv.slice(2);
if (only.length === 0) {
  step('npx', ['tsc', '-p', '.', '--noEmit']);
  step('npx', ['biome', 'check', '.']);
}
const files =
  only.length > 0 ? only : [...findTests('src'), ...findTests('test'), ...findTests('bench')].sort();
step(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-timeout=120000',
  ...files,
]);
