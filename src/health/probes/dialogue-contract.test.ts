import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProbeFactory } from '../probe.ts';
import { PROBES } from '../probe-registry.ts';
import { ftpProbe } from './ftp.ts';
import { imapProbe } from './imap.ts';
import { ldapProbe } from './ldap.ts';
import { mysqlProbe } from './mysql.ts';
import { pgsqlProbe } from './pgsql.ts';
import { popProbe } from './pop.ts';
import { redisProbe } from './redis.ts';
import { smtpProbe } from './smtp.ts';

// The probe contract (../probe.ts) for the dialogue probes: registered under their type, TCP only, problems
// as `field: message`, and a check whose signal is already aborted ends down at once without a connection.

const dialogueProbes: ProbeFactory[] = [
  smtpProbe,
  popProbe,
  imapProbe,
  ftpProbe,
  redisProbe,
  ldapProbe,
  mysqlProbe,
  pgsqlProbe,
];
const target = {
  protocol: 'tcp' as const,
  address: '127.0.0.1',
  port: 9,
  virtualAddress: '127.0.0.1',
  virtualPort: 9,
};

for (const f of dialogueProbes) {
  test(`${f.type}: registered, TCP only, problems as "field: message"`, () => {
    assert.equal(PROBES.get(f.type), f);
    assert.ok(f.summary.length > 0);
    const problems = f.validate({ verifyTls: true }, { protocol: 'udp' });
    assert.ok(problems.includes(`protocol: the ${f.type} check needs a TCP service`), problems.join('; '));
    assert.ok(problems.includes(`verify_tls: ${f.type} checks do not use it`), problems.join('; '));
    for (const p of problems) assert.match(p, /^[a-z_]+: \S/);
  });

  test(`${f.type}: an already-aborted check is down without throwing`, async () => {
    const signal = AbortSignal.abort(new Error('check timeout'));
    const r = await f.create().run(target, { login: 'u', request: 'SELECT 1' }, signal);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /^aborted: check timeout$|module not installed$/);
  });
}
