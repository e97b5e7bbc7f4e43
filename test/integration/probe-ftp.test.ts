import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { epsvPort, ftpDataMatches, ftpProbe, pasvPort } from '../../src/health/probes/ftp.ts';
import { until } from '../support/net.ts';
import {
  closingPeer,
  hangingPeer,
  type MisbehavingPeer,
  scriptedPeer,
} from '../support/peers/misbehaving-peer.ts';
import { reasonOf, runProbe, withPeer } from '../support/peers/run-probe.ts';
import { startVsftpd, VSFTPD_BINARY, type VsftpdPeer } from '../support/peers/vsftpd-peer.ts';

// Peer: a real vsftpd (Debian) run in the foreground with a generated config, anonymous read-only, passive
// data connections: the probe's whole dialogue (login, CWD, TYPE I, PASV/EPSV, RETR over a second socket,
// 226) meets a real server. Misbehaviour comes from scripted peers.

const skip = VSFTPD_BINARY ? false : 'vsftpd is not installed (apt-get install vsftpd)';
const files = { 'check.txt': 'first line\r\nwebfarm ftp check OK\r\nlast line\r\n', 'empty.txt': '' };

describe('ftp probe against a real vsftpd', { skip }, () => {
  let v4: VsftpdPeer;
  let v6: VsftpdPeer;
  let noPass: VsftpdPeer;
  before(async () => {
    [v4, v6, noPass] = await Promise.all([
      startVsftpd({ files }),
      startVsftpd({ files, ipv6: true }),
      startVsftpd({ files, noAnonPassword: true }),
    ]);
  });
  after(async () => {
    await Promise.all([v4?.stop(), v6?.stop(), noPass?.stop()]);
  });

  const up: Array<[string, () => VsftpdPeer, { request: string; receive?: string }, string]> = [
    [
      'anonymous RETR, receive matches a line',
      () => v4,
      { request: 'check.txt', receive: '^webfarm ftp check OK$' },
      '',
    ],
    ['no receive: any data will do, even none', () => v4, { request: 'empty.txt' }, ''],
    ['USER answered 230 at once (no PASS)', () => noPass, { request: 'check.txt', receive: 'OK' }, ''],
    ['IPv6 through EPSV', () => v6, { request: '/check.txt', receive: 'check OK' }, '::1'],
  ];
  for (const [name, peer, settings, address] of up) {
    test(`ftp: ${name}: up`, async () => {
      const r = await runProbe(ftpProbe, peer().port, settings, 5000, address || undefined);
      assert.equal(r.ok, true, reasonOf(r));
      if (r.ok) assert.match(r.detail ?? '', /^retrieved \d+ bytes$/);
    });
  }

  const down: Array<
    [string, { request: string; receive?: string; login?: string; password?: string }, RegExp]
  > = [
    [
      'receive matches no line',
      { request: 'check.txt', receive: 'nothing like this' },
      /^RETR check\.txt: 45 bytes, no line matches "nothing like this"$/,
    ],
    [
      'the file is missing',
      { request: 'missing.txt' },
      /^RETR: expected 1xx, got 550 "Failed to open file\."$/,
    ],
    [
      'a user the server does not know (wrong credentials)',
      { request: 'check.txt', login: 'bob', password: 'x' },
      /^USER: expected 331 or 230, got 530/,
    ],
  ];
  for (const [name, settings, reason] of down) {
    test(`ftp: ${name}: down`, async () => {
      assert.match(reasonOf(await runProbe(ftpProbe, v4.port, settings)), reason);
    });
  }
});

/** The control dialogue up to RETR, with the passive reply naming `dataPort` (at a foreign address). */
function controlScript(dataPort: number, afterRetr: string): string[] {
  const pasv = `227 Entering Passive Mode (192,0,2,1,${dataPort >> 8},${dataPort & 255}).\r\n`;
  return ['220 hi\r\n', '331 pw\r\n', '230 in\r\n', '250 cwd\r\n', '200 binary\r\n', pasv, afterRetr];
}

async function withData(
  data: Promise<MisbehavingPeer>,
  afterRetr: string,
  body: (control: MisbehavingPeer, data: MisbehavingPeer) => Promise<void>,
): Promise<void> {
  await withPeer(data, (d) => withPeer(scriptedPeer(controlScript(d.port, afterRetr)), (c) => body(c, d)));
}

describe('ftp probe against misbehaving peers', () => {
  test('the data connection goes to the target, not the PASV address; 226 after the data: up', () =>
    withData(closingPeer('payload\n'), '150 sending\r\n226 done\r\n', async (control, data) => {
      const r = await runProbe(ftpProbe, control.port, { request: 'f', receive: '^payload$' });
      assert.deepEqual(r, { ok: true, detail: 'retrieved 8 bytes' });
      assert.equal(data.accepted(), 1);
    }));

  test('the transfer ends 426 (aborted) after the data: down', () =>
    withData(closingPeer('payload\n'), '150 sending\r\n426 connection lost\r\n', async (control) => {
      const r = await runProbe(ftpProbe, control.port, { request: 'f' });
      assert.equal(reasonOf(r), 'transfer: expected 226 or 250, got 426 "connection lost"');
    }));

  test('the data connection hangs: down at the check timeout, both sockets released', () =>
    withData(hangingPeer(), '150 sending\r\n', async (control, data) => {
      assert.match(reasonOf(await runProbe(ftpProbe, control.port, { request: 'f' }, 300)), /^aborted/);
      await until(() => control.open() === 0 && data.open() === 0, 'the probe to release both sockets');
    }));

  test('a control peer that accepts and never answers: down at the check timeout', () =>
    withPeer(hangingPeer(), async (peer) => {
      assert.match(reasonOf(await runProbe(ftpProbe, peer.port, { request: 'f' }, 200)), /^aborted/);
      await until(() => peer.open() === 0, 'the probe to release its socket');
    }));

  test('a control peer that closes early (at once, mid multi-line greeting): down', async () => {
    for (const first of ['', '220-welcome\r\n']) {
      await withPeer(closingPeer(first), async (peer) => {
        const r = await runProbe(ftpProbe, peer.port, { request: 'f' });
        assert.match(reasonOf(r), /^connection closed by peer while waiting for a line/);
      });
    }
  });

  test('wrong password: down with the 530', () =>
    withPeer(scriptedPeer(['220 hi\r\n', '331 pw\r\n', '530 Login incorrect.\r\n']), async (peer) => {
      const r = await runProbe(ftpProbe, peer.port, { request: 'f', login: 'u', password: 'nope' });
      assert.equal(reasonOf(r), 'PASS: expected 230 or 202, got 530 "Login incorrect."');
    }));
});

test('ftp: passive reply parsing, line matching and validation', () => {
  assert.equal(pasvPort('Entering Passive Mode (127,0,0,1,195,80).'), 195 * 256 + 80);
  assert.equal(pasvPort('Entering Passive Mode (127,0,0,1,0,0).'), undefined);
  assert.equal(pasvPort('no numbers'), undefined);
  assert.equal(epsvPort('Entering Extended Passive Mode (|||6446|)'), 6446);
  assert.equal(epsvPort('Entering Extended Passive Mode (!!!21!)'), 21);
  assert.equal(epsvPort('(|||0|)'), undefined);
  assert.equal(ftpDataMatches(Buffer.from('a\r\nb c\r\n'), '^b c$'), true, 'lines are matched without CR LF');
  assert.equal(ftpDataMatches(Buffer.from('a\nb'), 'a\\nb'), false, 'one line at a time, as ldirectord');
  assert.equal(ftpDataMatches(Buffer.alloc(0), undefined), true);
  assert.deepEqual(ftpProbe.validate({ request: 'f', receive: 'x' }, { protocol: 'tcp' }), []);
  assert.deepEqual(ftpProbe.validate({ receive: '(' }, { protocol: 'tcp' }), [
    'request: required by the ftp check (the file to retrieve)',
    'receive: invalid regex "(": Invalid regular expression: /(/: Unterminated group',
  ]);
});
