import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Director } from '../../director/director.ts';
import { realSpec, svcSpec } from '../../director/test-support.ts';
import { DEFAULT_TIMEOUTS } from '../../director/timeouts.ts';
import { isWebfarmError } from '../../model/errors.ts';
import { FakeClock } from '../../platform/fake-clock.ts';
import { FakeExec } from './exec-runner.ts';
import { NftEngine } from './nft-engine.ts';

/** The batches fed to `nft -f -`, in order. */
function batches(exec: FakeExec): string[] {
  return exec.calls.filter((c) => c.argv.join(' ') === 'nft -f -').map((c) => c.stdin ?? '');
}

function setup(active: boolean, refuse = () => false) {
  const director = new Director(new FakeClock(), DEFAULT_TIMEOUTS);
  director.addService(svcSpec(), [realSpec(2), realSpec(3)]);
  const exec = new FakeExec((argv, stdin) =>
    argv.includes('-f') && refuse() && stdin?.includes('table inet webfarm {')
      ? { code: 1, stdout: '', stderr: 'Error: Could not process rule: No such file or directory' }
      : { code: 0, stdout: '', stderr: '' },
  );
  const engine = new NftEngine(director, { exec, statsIntervalMs: 0, active });
  return { director, exec, engine };
}

const installs = (b: string) => b.includes('table inet webfarm {');

describe('NftEngine activation (cluster services resource)', () => {
  it('a passive start removes leftovers and installs nothing; activate installs; deactivate deletes', async () => {
    const { exec, engine } = setup(false);
    await engine.start();
    assert.equal(engine.active, false);
    assert.deepEqual(batches(exec), [
      'add table inet webfarm\ndelete table inet webfarm\nadd table netdev webfarm\ndelete table netdev webfarm\n',
    ]);
    await engine.activate();
    assert.equal(engine.active, true);
    assert.ok(installs(batches(exec)[1] ?? ''), 'activate installs the table');
    await engine.activate();
    assert.equal(batches(exec).length, 2, 'activate is idempotent');
    await engine.deactivate();
    assert.equal(engine.active, false);
    assert.equal(batches(exec)[2], 'delete table inet webfarm\n');
    await engine.stop();
    assert.equal(batches(exec).length, 3, 'stop after deactivate has nothing to delete');
  });

  it('while passive, director changes are checked but not applied', async () => {
    const { director, exec, engine } = setup(false);
    await engine.start();
    director.editReal('tcp:192.0.2.240:80', '198.51.100.2:80', { weight: 5 });
    await engine.settled();
    assert.equal(batches(exec).length, 1);
    await engine.activate();
    assert.match(batches(exec)[1] ?? '', /table inet webfarm \{/);
    await engine.stop();
    assert.equal(batches(exec).at(-1), 'delete table inet webfarm\n');
  });

  it('activate is all or nothing: a refused batch leaves the engine passive and throws', async () => {
    let refuse = true;
    const { exec, engine } = setup(false, () => refuse);
    await engine.start();
    await assert.rejects(engine.activate(), (e) => isWebfarmError(e) && e.code === 'WF_ERR_NFT_APPLY');
    assert.equal(engine.active, false);
    refuse = false;
    await engine.activate();
    assert.equal(engine.active, true);
    assert.ok(installs(batches(exec).at(-1) ?? ''));
    await engine.stop();
  });

  it('activate before start only records that start installs', async () => {
    const { exec, engine } = setup(false);
    await engine.activate();
    assert.equal(exec.calls.length, 0);
    await engine.start();
    assert.ok(installs(batches(exec)[0] ?? ''));
    await engine.stop();
  });
});

describe('NftEngine: only the services an event names are viewed again', () => {
  it('a change the director did not announce is not picked up by an event about another service', async () => {
    const director = new Director(new FakeClock(), DEFAULT_TIMEOUTS);
    director.addService(svcSpec({ scheduler: 'mh' }), [realSpec(2), realSpec(3)]);
    director.addService(svcSpec({ scheduler: 'mh', port: 81 }), [realSpec(4), realSpec(5)]);
    const engine = new NftEngine(director, { exec: new FakeExec(), statsIntervalMs: 0, shell: false });
    await engine.start();
    const quiet = director.getService('tcp:192.0.2.240:81').findReal('198.51.100.4:80');
    assert.ok(quiet);
    quiet.configuredWeight = 0; // behind the director's back: no event
    director.editReal('tcp:192.0.2.240:80', '198.51.100.2:80', { weight: 3 });
    await engine.settled();
    assert.equal(engine.lastPlan, 'elements');
    assert.match(engine.lastScript, / s0_slots /);
    assert.doesNotMatch(engine.lastScript, / s1_slots /, 'service 1 was not viewed again');
    director.editReal('tcp:192.0.2.240:81', '198.51.100.5:80', { weight: 1 });
    await engine.settled();
    assert.match(engine.lastScript, / s1_slots /, 'its own event re-views it, weight 0 included');
    await engine.stop();
  });

  it('a stats read that races a deactivation is not an error; the same failure while active is', async () => {
    const { exec, engine } = setup(true);
    await engine.start();
    const gone = { code: 1, stdout: '', stderr: 'Error: No such file or directory' };
    const ok = exec.respond;
    exec.respond = (argv, stdin) => (argv.includes('-j') ? gone : ok(argv, stdin));
    await assert.rejects(engine.refreshStats(), /No such file or directory/);
    exec.respond = (argv, stdin) => {
      if (!argv.includes('-j')) return ok(argv, stdin);
      void engine.deactivate(); // the table goes while the read is under way
      return gone;
    };
    await engine.refreshStats();
    await engine.settled();
    assert.equal(engine.active, false);
  });
});
