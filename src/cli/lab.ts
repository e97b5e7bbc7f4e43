import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatIssue } from '../config/issue.ts';
import { type LabResult, runLab } from '../lab/lab-run.ts';
import { labUnavailable } from '../lab/netns.ts';
import { formatResultTable } from '../lab/result-table.ts';
import { parseScenario } from '../lab/scenario-parse.ts';
import type { CliIo } from './io.ts';

export const LAB_HELP = `Usage: webfarm lab run FILE [--json OUT]
       webfarm lab holstein [--json OUT]
       webfarm lab check FILE

Rehearse failovers: build the scenario's hosts in network namespaces on one bridge (192.0.2.0/24 only),
run webfarm directors, built-in web servers and clients, apply the fault timeline, check the invariants
continuously (one VIP owner after settle, failover bounds, requests lost only inside each fault's window,
no connection to a dead server after its detection bound, nothing left behind) and print the result
table. Everything is torn down at the end, on failure and on Ctrl-C. docs/RELIABILITY.md "Fault lab".
  run FILE      run a scenario file
  holstein      run the shipped Holstein farm (scenarios/holstein.yaml)
  check FILE    validate a scenario file only (FILE:LINE:COL: message per problem)
  --json OUT    also write the result (table rows and every observation) as JSON to OUT
Needs root, ip netns, nft and socat (run and holstein). Exit status: 0 every row passed; 1 a row failed,
the scenario is invalid or the lab cannot run here; 2 bad command line.
`;

export const HOLSTEIN = fileURLToPath(new URL('../../scenarios/holstein.yaml', import.meta.url));

export async function labCommand(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    io.stderr(`webfarm lab: ${(e as Error).message} (see webfarm lab --help)\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, file, ...extra] = positionals;
  if (values.help) {
    io.stdout(LAB_HELP);
    return 0;
  }
  const path = sub === 'holstein' ? HOLSTEIN : file;
  const wantFile = sub === 'run' || sub === 'check';
  if (
    !(wantFile || sub === 'holstein') ||
    path === undefined ||
    extra.length > 0 ||
    (sub === 'holstein' && file)
  ) {
    io.stderr('webfarm lab: expected run FILE, holstein or check FILE (see webfarm lab --help)\n');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    io.stderr(`webfarm lab: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? e}\n`);
    return 1;
  }
  const sc = parseScenario(text, path);
  if (!sc.ok) {
    for (const i of sc.issues) io.stderr(`${formatIssue(i)}\n`);
    return 1;
  }
  if (sub === 'check') {
    io.stdout(`${path}: OK (${sc.scenario.hosts.length} hosts, ${sc.scenario.timeline.length} steps)\n`);
    return 0;
  }
  const why = labUnavailable();
  if (why !== undefined) {
    io.stderr(`webfarm lab: cannot run here: ${why}\n`);
    return 1;
  }
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let result: LabResult;
  try {
    result = await runLab({
      file: path,
      scenario: sc.scenario,
      signal: abort.signal,
      progress: (l) => io.stderr(`lab: ${l}\n`),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  io.stdout(`scenario ${result.scenario}\n${formatResultTable(result.rows)}`);
  if (result.error) io.stdout(`run stopped: ${result.error}\n`);
  io.stdout(`${result.pass ? 'PASS' : 'FAIL'}\n`);
  if (!result.pass && result.diagnostics) io.stderr(`${result.diagnostics}\n`);
  if (values.json) await writeFile(values.json, `${JSON.stringify(result, null, 1)}\n`);
  return result.pass ? 0 : 1;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
}
