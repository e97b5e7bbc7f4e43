import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { NftShell, outcome } from './nft-shell.ts';

const FAKE = fileURLToPath(new URL('../../../test/fixtures/nft/fake-nft-i.mjs', import.meta.url));
/** `nft -i` is the fake: `node fake-nft-i.mjs -i`. */
const shell = (timeoutMs?: number) => new NftShell([process.execPath, FAKE], timeoutMs);

describe('NftShell (nft -i)', () => {
  it('outcome: the batch’s own error is what precedes the sentinel’s report', () => {
    const sentinel = 'Error: syntax error, unexpected string\nwfsync3\n^^^^^^^\n';
    const cases: Array<[string, string, number]> = [
      ['success', sentinel, 0],
      ['failure', `Error: No such file or directory\nadd element x\n    ^^\n${sentinel}`, 1],
    ];
    for (const [name, stderr, code] of cases) assert.equal(outcome(stderr, 'wfsync3').code, code, name);
    assert.match(outcome(`Error: No such file\nl\n^\n${sentinel}`, 'wfsync3').stderr, /No such file/);
  });

  it('applies batches in order, each with its own outcome; a failure does not spill into the next', async () => {
    const sh = shell();
    try {
      const [a, b, c] = await Promise.all([
        sh.apply('add element inet t m { 1 : 1 }\nadd element inet t m { 2 : 1 }'),
        sh.apply('add element inet t bad { 1 : 1 }'),
        sh.apply('add element inet t m { 3 : 1 }'),
      ]);
      assert.equal(a?.code, 0);
      assert.equal(b?.code, 1);
      assert.match(b?.stderr ?? '', /No such file or directory/);
      assert.equal(c?.code, 0);
    } finally {
      sh.close();
    }
  });

  it('a child that dies is reported (errno) and replaced on the next batch', async () => {
    const sh = shell();
    try {
      const dead = await sh.apply('die');
      assert.equal(dead.errno, 'EPIPE');
      assert.equal((await sh.apply('add element inet t m { 1 : 1 }')).code, 0);
    } finally {
      sh.close();
    }
  });

  it('a child that stops answering times out (errno); it is killed, not waited for', async () => {
    const sh = shell(500);
    try {
      assert.equal((await sh.apply('hang')).errno, 'ETIMEDOUT');
    } finally {
      sh.close();
    }
  });
});
