import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorReason, excerpt, finisher } from './probe-finish.ts';

function errno(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('errorReason', () => {
  const cases: readonly [unknown, string][] = [
    [errno('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), 'connect ECONNREFUSED 127.0.0.1:1'],
    [errno('socket hang up', 'ECONNRESET'), 'ECONNRESET: socket hang up'],
    [errno('plain'), 'plain'],
    [errno('two\nlines\n', 'X'), 'X: two lines'],
    [
      errno(
        'write EPROTO 807CA991017F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
        'EPROTO',
      ),
      'EPROTO: TLS: wrong version number',
    ],
    ['a string', 'a string'],
  ];
  for (const [e, want] of cases) it(want, () => assert.equal(errorReason(e), want));
});

describe('excerpt', () => {
  it('quotes and cuts', () => {
    assert.equal(excerpt('ERR\r\n'), '"ERR\\r\\n"');
    assert.equal(excerpt('x'.repeat(70)), `"${'x'.repeat(60)}…"`);
  });
});

describe('finisher', () => {
  it('the first result wins and cleanup runs once', async () => {
    let cleanups = 0;
    const f = finisher(new AbortController().signal, () => cleanups++);
    f.finish({ ok: true });
    f.fail('late');
    assert.deepEqual(await f.result, { ok: true });
    assert.equal(cleanups, 1);
    assert.equal(f.done, true);
  });

  it('an abort fails it with the abort reason and cleans up', async () => {
    const ac = new AbortController();
    let cleanups = 0;
    const f = finisher(ac.signal, () => cleanups++);
    ac.abort();
    f.finish({ ok: true });
    assert.deepEqual(await f.result, { ok: false, reason: 'aborted (check timeout)' });
    assert.equal(cleanups, 1);
  });

  it('an already aborted signal settles at once', async () => {
    const f = finisher(AbortSignal.abort(new Error('shutting down')), () => {});
    assert.equal(f.done, true);
    assert.deepEqual(await f.result, { ok: false, reason: 'aborted: shutting down' });
  });
});
