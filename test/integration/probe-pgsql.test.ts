import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ProbeSettings } from '../../src/health/probe.ts';
import { pgsqlProbe } from '../../src/health/probes/pgsql.ts';
import { loadOptional } from '../../src/health/probes/sql-probe.ts';
import { until } from '../support/net.ts';
import {
  PG_PASSWORD,
  PG_USER,
  type PostgresPeer,
  postgresMissing,
  startPostgres,
} from '../support/peers/postgres-peer.ts';
import { closingPeer, hangingPeer } from '../support/peers/misbehaving-peer.ts';
import { reasonOf, runProbe, withPeer } from '../support/peers/run-probe.ts';

// Peer: a real PostgreSQL (Debian) initialised in a temp directory and run as the postgres account, SCRAM
// logins over TCP. The probe speaks through the pg package; were it missing, the probe would report
// "pg module not installed" (tested then) and these tests skip.

const hasModule = (await loadOptional('pg')) !== undefined;
const noModule = hasModule ? false : 'the pg package is not installed (a dependency of the pgsql probe)';
const noServer = noModule || postgresMissing() || false;
const login = { login: PG_USER, password: PG_PASSWORD };

describe('pgsql probe against a real PostgreSQL', { skip: noServer }, () => {
  let pg: PostgresPeer;
  before(async () => {
    pg = await startPostgres();
  });
  after(async () => {
    await pg?.stop();
  });

  const up: Array<[string, ProbeSettings, string]> = [
    ['one row', { ...login, database: 'postgres', request: 'SELECT 1' }, '1 row'],
    [
      'several rows, default database = the login',
      { ...login, database: 'postgres', request: 'SELECT generate_series(1, 3)' },
      '3 rows',
    ],
  ];
  for (const [name, settings, detail] of up) {
    test(`pgsql: ${name}: up`, async () => {
      assert.deepEqual(await runProbe(pgsqlProbe, pg.port, settings), { ok: true, detail });
    });
  }

  const down: Array<[string, ProbeSettings, RegExp]> = [
    [
      'no rows',
      { ...login, database: 'postgres', request: 'SELECT 1 WHERE false' },
      /^query returned no rows: "SELECT 1 WHERE false"$/,
    ],
    [
      'a failing query',
      { ...login, database: 'postgres', request: 'SELECT * FROM missing' },
      /^query: relation "missing" does not exist \[42P01\]$/,
    ],
    [
      'wrong password',
      { login: PG_USER, password: 'nope', request: 'SELECT 1' },
      /^login: password authentication failed for user "webfarm" \[28P01\]$/,
    ],
    [
      'an unknown database',
      { ...login, database: 'nope', request: 'SELECT 1' },
      /^login: database "nope" does not exist \[3D000\]$/,
    ],
  ];
  for (const [name, settings, reason] of down) {
    test(`pgsql: ${name}: down`, async () => {
      const r = await runProbe(pgsqlProbe, pg.port, settings);
      assert.match(reasonOf(r), reason);
      assert.doesNotMatch(reasonOf(r), /nope.*nope|pg s3cret/, 'no password in a reason');
    });
  }
});

describe('pgsql probe against misbehaving peers', { skip: noModule }, () => {
  const settings = { ...login, request: 'SELECT 1' };

  test('a peer that accepts and never answers: down at the check timeout, socket released', () =>
    withPeer(hangingPeer(), async (peer) => {
      assert.match(reasonOf(await runProbe(pgsqlProbe, peer.port, settings, 200)), /^aborted/);
      await until(() => peer.open() === 0, 'the probe to release its socket');
    }));

  test('a peer that closes early: down at login', () =>
    withPeer(closingPeer(), async (peer) => {
      assert.match(
        reasonOf(await runProbe(pgsqlProbe, peer.port, settings)),
        /^login: Connection terminated/,
      );
    }));

  test('nothing listening: down at login, refused', async () => {
    const peer = await hangingPeer();
    await peer.close();
    assert.match(reasonOf(await runProbe(pgsqlProbe, peer.port, settings)), /^login: .*ECONNREFUSED/);
  });
});

test('pgsql: without the pg package every check is down saying so', {
  skip: hasModule ? 'pg is installed' : false,
}, async () => {
  const r = await runProbe(pgsqlProbe, 1, { login: 'u', request: 'SELECT 1' });
  assert.deepEqual(r, { ok: false, reason: 'pg module not installed' });
});

test('pgsql: validation', () => {
  const lacking = hasModule ? [] : ['type: the pgsql check needs the pg package, which this build lacks'];
  assert.deepEqual(
    pgsqlProbe.validate({ login: 'u', request: 'SELECT 1', database: 'd' }, { protocol: 'tcp' }),
    lacking,
  );
  assert.deepEqual(pgsqlProbe.validate({ receive: 'x' }, { protocol: 'udp' }), [
    'protocol: the pgsql check needs a TCP service',
    'receive: pgsql checks do not use it',
    'login: required by the pgsql check (the database user)',
    'request: required by the pgsql check (a SELECT that returns at least one row)',
    ...lacking,
  ]);
});
