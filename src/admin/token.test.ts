import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bearerMatches, readTokenFile } from './token.ts';

const TOKEN = 'abcdefghijklmnop0123';

test('bearerMatches: only the exact token in a Bearer header', () => {
  const cases: Array<[string | undefined, boolean]> = [
    [`Bearer ${TOKEN}`, true],
    [`bearer ${TOKEN}`, true],
    [`Bearer  ${TOKEN} `, true],
    [undefined, false],
    ['', false],
    ['Bearer', false],
    [`Basic ${TOKEN}`, false],
    [TOKEN, false],
    [`Bearer ${TOKEN}x`, false],
    [`Bearer ${TOKEN.slice(0, -1)}`, false],
    [`Bearer ${TOKEN} extra`, false],
  ];
  for (const [header, want] of cases) assert.equal(bearerMatches(header, TOKEN), want, String(header));
});

test('readTokenFile: mode, length and content rules', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wf-token-'));
  try {
    const cases: Array<[string, string, number, string | RegExp]> = [
      ['ok 0600', `${TOKEN}\n`, 0o600, TOKEN],
      ['ok 0400', TOKEN, 0o400, TOKEN],
      ['group readable', TOKEN, 0o640, /mode 0640 lets group or others read it/],
      ['world readable', TOKEN, 0o604, /mode 0604/],
      ['group writable', TOKEN, 0o620, /mode 0620/],
      ['short', 'short\n', 0o600, /shorter than 16/],
      ['empty', '', 0o600, /shorter than 16/],
      ['two words', `${TOKEN} ${TOKEN}`, 0o600, /whitespace/],
    ];
    for (const [name, content, mode, want] of cases) {
      const p = join(dir, name.replace(/ /g, '-'));
      await writeFile(p, content);
      await chmod(p, mode);
      if (typeof want === 'string') assert.equal(await readTokenFile(p), want, name);
      else
        await assert.rejects(
          readTokenFile(p),
          (e: Error & { code?: string }) => e.code === 'WF_ERR_ADMIN_TOKEN' && want.test(e.message),
          name,
        );
    }
    await assert.rejects(readTokenFile(join(dir, 'missing')), /ENOENT/);
    await assert.rejects(readTokenFile(dir), /not a regular file/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
