import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../config/load.ts';
import { importHaD } from '../import/import-had.ts';
import { parseScenario } from './scenario-parse.ts';

/**
 * examples/holstein: the original form (ha.d: ha.cf, haresources, authkeys, ldirectord.cf) imported by
 * `webfarm import --engine nft` (ldirectord's `gate` → `forward: route`) is the same config as the native
 * director1.yaml / director2.yaml; the shipped scenarios parse.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EX = join(ROOT, 'examples', 'holstein');
const tmp = mkdtempSync(join(tmpdir(), 'wf-holstein-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function load(text: string, file: string) {
  const r = parseConfig(text, file, { clusterHost: 'skip' });
  assert.ok(r.ok, `${file}: ${JSON.stringify(!r.ok && r.issues)}`);
  return r.config;
}

describe('examples/holstein', () => {
  // git keeps no 0600: authkeys is copied and restricted as an operator installs it.
  const had = join(tmp, 'ha.d');
  cpSync(join(EX, 'ha.d'), had, { recursive: true });
  chmodSync(join(had, 'authkeys'), 0o600);

  for (const node of ['director1', 'director2']) {
    it(`webfarm import ha.d --node ${node} --engine nft equals ${node}.yaml`, async () => {
      const imported = await importHaD(had, { node, engine: 'nft' });
      assert.ok(imported.ok, JSON.stringify(!imported.ok && imported.issues));
      const native = readFileSync(join(EX, `${node}.yaml`), 'utf8').replace(
        '/etc/ha.d/authkeys',
        join(had, 'authkeys'),
      );
      assert.deepEqual(load(imported.yaml, 'imported'), load(native, `${node}.yaml`));
    });
  }

  for (const name of ['holstein.yaml', 'holstein-ci.yaml']) {
    it(`scenarios/${name} is a valid scenario`, () => {
      const file = join(ROOT, 'scenarios', name);
      const r = parseScenario(readFileSync(file, 'utf8'), file);
      assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    });
  }
});
