import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runLab } from '../../src/lab/lab-run.ts';
import { labUnavailable } from '../../src/lab/netns.ts';
import { formatResultTable } from '../../src/lab/result-table.ts';
import { parseScenario } from '../../src/lab/scenario-parse.ts';

/**
 * The fault lab on the Holstein farm, CI-sized (scenarios/holstein-ci.yaml): kill -9 of the active
 * director and its restart, one medium cut and restored, a real server's web process killed and
 * restarted — real webfarm directors in namespaces, forwarding by direct routing (nft engine); every row
 * of the result table must pass, and nothing may be left behind (the teardown row checks namespaces and
 * processes). After the kill, the survivor's kernel path carries the clients (its rules were activated
 * with the address), and the killed director's left-over rules carry none after the settle time (a row
 * check).
 */

const FILE = fileURLToPath(new URL('../../scenarios/holstein-ci.yaml', import.meta.url));
const skip = labUnavailable();

describe('webfarm lab: the Holstein farm, CI-sized', { skip }, () => {
  it('every fault has its expected outcome', { timeout: 180_000 }, async (t) => {
    const sc = parseScenario(readFileSync(FILE, 'utf8'), FILE);
    assert.ok(sc.ok, JSON.stringify(!sc.ok && sc.issues));
    const result = await runLab({ file: FILE, scenario: sc.scenario });
    const table = formatResultTable(result.rows);
    for (const line of table.trimEnd().split('\n')) t.diagnostic(line);
    assert.equal(result.error, undefined, `${result.error}\n${table}\n${result.diagnostics ?? ''}`);
    assert.ok(result.pass, `${table}\n${result.diagnostics ?? ''}`);
    // The rows the scenario names, plus baseline and teardown; the kill moved the VIP within its bound.
    assert.equal(result.rows.length, sc.scenario.timeline.length + 2);
    const kill = result.rows[1];
    assert.equal(kill?.name, 'kill -9 active director');
    assert.ok(kill?.failoverMs !== undefined && kill.failoverMs <= 3000, table);
    const survivor = kill.ownersAfter[0] as string;
    assert.ok((kill.via[survivor] ?? 0) > 0, `${survivor} forwarded no client connection\n${table}`);
    assert.ok((result.rows[0]?.via[result.rows[0].ownersAfter[0] as string] ?? 0) > 0, table);
    assert.deepEqual(result.leaks, []);
    assert.ok(result.record.requests.length > 100, `only ${result.record.requests.length} requests`);
  });
});
