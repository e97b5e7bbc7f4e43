import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWebfarmError } from '../../model/errors.ts';
import { FakeExec } from './exec-runner.ts';
import { purgeScript } from './map-entries.ts';
import { NftRunner } from './nft-runner.ts';

describe('NftRunner', () => {
  it('applies a script through nft -f - on stdin, as argv', async () => {
    const exec = new FakeExec();
    await new NftRunner(exec).apply('add table inet x\n');
    assert.deepEqual(exec.calls, [{ argv: ['nft', '-f', '-'], stdin: 'add table inet x\n' }]);
  });

  it('an empty script runs nothing', async () => {
    const exec = new FakeExec();
    await new NftRunner(exec).apply('');
    assert.equal(exec.calls.length, 0);
  });

  const errorCases = [
    {
      name: 'not installed',
      result: { code: null, stdout: '', stderr: 'spawn nft ENOENT', errno: 'ENOENT' },
      code: 'WF_ERR_NFT_MISSING',
    },
    {
      name: 'no privileges',
      result: { code: 1, stdout: '', stderr: 'Error: Could not process rule: Operation not permitted' },
      code: 'WF_ERR_NFT_PERMISSION',
    },
    {
      name: 'batch refused',
      result: { code: 1, stdout: '', stderr: 'Error: Could not process rule: No such file or directory' },
      code: 'WF_ERR_NFT_APPLY',
    },
  ];
  for (const c of errorCases) {
    it(`${c.name} → ${c.code}`, async () => {
      const runner = new NftRunner(new FakeExec(() => c.result));
      await assert.rejects(runner.apply('x'), (e) => isWebfarmError(e) && e.code === c.code);
      await assert.rejects(runner.probe(), (e) => isWebfarmError(e) && e.code === c.code);
    });
  }

  it('listJson returns the nftables array', async () => {
    const exec = new FakeExec(() => ({
      code: 0,
      stdout: '{"nftables":[{"counter":{"name":"r1_in","packets":3,"bytes":9}}]}',
      stderr: '',
    }));
    const objs = await new NftRunner(exec).listJson(['counters']);
    assert.deepEqual(objs, [{ counter: { name: 'r1_in', packets: 3, bytes: 9 } }]);
    assert.deepEqual(exec.calls[0]?.argv, ['nft', '-j', 'list', 'counters']);
  });
});

describe('purgeScript', () => {
  it('deletes the entries that point at the given marks, keys as nft syntax', () => {
    const entries: Array<[unknown, unknown]> = [
      [{ elem: { val: { concat: ['192.0.2.11', 40000, 80] }, expires: 10 } }, 1],
      [{ elem: { val: { concat: ['192.0.2.12', 40001, 80] }, expires: 10 } }, 2],
      ['10.0.0.0', 1],
    ];
    assert.equal(
      purgeScript('netdev', 'webfarm', 's0_flows', entries, new Set([1])),
      'delete element netdev webfarm s0_flows { 192.0.2.11 . 40000 . 80, 10.0.0.0 }\n',
    );
    assert.equal(purgeScript('netdev', 'webfarm', 's0_flows', entries, new Set([9])), '');
  });
});
