import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ProbeSettings } from '../../src/health/probe.ts';
import { mysqlProbe } from '../../src/health/probes/mysql.ts';
import { loadOptional } from '../../src/health/probes/sql-probe.ts';
import { until } from '../support/net.ts';
import {
  MY_DATABASE,
  MY_PASSWORD,
  MY_USER,
  type MariadbPeer,
  mariadbMissing,
  startMariadb,
} from '../support/peers/mariadb-peer.ts';
import { closingPeer, hangingPeer } from '../support/peers/misbehaving-peer.ts';
import { reasonOf, runProbe, withPeer } from '../support/peers/run-probe.ts';

// Peer: a real MariaDB (Debian) installed into a temp directory and run in the foreground; the init file
// creates the check user and database. The probe speaks through the mysql2 package; were it missing,
// the probe would report "mysql2/promise module not installed" (tested then) and these tests skip.

const hasModule = (await loadOptional('mysql2/promise')) !== undefined;
const noModule = hasModule ? false : 'the mysql2 package is not installed (a dependency of the mysql probe)';
const noServer = noModule || mariadbMissing() || false;
const login = { login: MY_USER, password: MY_PASSWORD };

describe('mysql probe against a real MariaDB', { skip: noServer }, () => {
  let db: MariadbPeer;
  before(async () => {
    db = await startMariadb();
  });
  after(async () => {
    await db?.stop();
  });

  const up: Array<[string, ProbeSettings, string]> = [
    ['one row, no database', { ...login, request: 'SELECT 1' }, '1 row'],
    [
      'several rows in a database',
      { ...login, database: MY_DATABASE, request: 'SELECT 1 UNION SELECT 2' },
      '2 rows',
    ],
  ];
  for (const [name, settings, detail] of up) {
    test(`mysql: ${name}: up`, async () => {
      assert.deepEqual(await runProbe(mysqlProbe, db.port, settings), { ok: true, detail });
    });
  }

  const down: Array<[string, ProbeSettings, RegExp]> = [
    [
      'no rows',
      { ...login, database: MY_DATABASE, request: 'SELECT * FROM empty' },
      /^query returned no rows: "SELECT \* FROM empty"$/,
    ],
    [
      'not a SELECT',
      { ...login, database: MY_DATABASE, request: 'DO 1' },
      /^query returned no rows: "DO 1"$/,
    ],
    [
      'a failing query',
      { ...login, database: MY_DATABASE, request: 'SELECT * FROM missing' },
      /^query: Table 'probe\.missing' doesn't exist \[ER_NO_SUCH_TABLE\]$/,
    ],
    [
      'wrong password',
      { login: MY_USER, password: 'nope', request: 'SELECT 1' },
      /^login: Access denied for user 'webfarm'@'[^']+' \(using password: YES\) \[ER_ACCESS_DENIED_ERROR\]$/,
    ],
    [
      'a database the user may not use',
      { ...login, database: 'mysql', request: 'SELECT 1' },
      /^login: Access denied for user 'webfarm'@'[^']+' to database 'mysql' \[ER_DBACCESS_DENIED_ERROR\]$/,
    ],
  ];
  for (const [name, settings, reason] of down) {
    test(`mysql: ${name}: down`, async () => {
      const r = await runProbe(mysqlProbe, db.port, settings);
      assert.match(reasonOf(r), reason);
      assert.doesNotMatch(reasonOf(r), /my s3cret/, 'no password in a reason');
    });
  }
});

describe('mysql probe against misbehaving peers', { skip: noModule }, () => {
  const settings = { ...login, request: 'SELECT 1' };

  test('a peer that accepts and never answers: down at the check timeout, socket released', () =>
    withPeer(hangingPeer(), async (peer) => {
      assert.match(reasonOf(await runProbe(mysqlProbe, peer.port, settings, 200)), /^aborted/);
      await until(() => peer.open() === 0, 'the probe to release its socket');
    }));

  test('a peer that closes early: down at login', () =>
    withPeer(closingPeer(), async (peer) => {
      assert.match(reasonOf(await runProbe(mysqlProbe, peer.port, settings)), /^login: Connection lost/);
    }));

  test('nothing listening: down at login, refused', async () => {
    const peer = await hangingPeer();
    await peer.close();
    assert.match(reasonOf(await runProbe(mysqlProbe, peer.port, settings)), /^login: .*ECONNREFUSED/);
  });
});

test('mysql: without the mysql2 package every check is down saying so', {
  skip: hasModule ? 'mysql2 is installed' : false,
}, async () => {
  const r = await runProbe(mysqlProbe, 1, { login: 'u', request: 'SELECT 1' });
  assert.deepEqual(r, { ok: false, reason: 'mysql2/promise module not installed' });
});

test('mysql: validation', () => {
  const lacking = hasModule ? [] : ['type: the mysql check needs the mysql2 package, which this build lacks'];
  assert.deepEqual(
    mysqlProbe.validate({ login: 'u', password: 'p', request: 'SELECT 1' }, { protocol: 'tcp' }),
    lacking,
  );
  assert.deepEqual(mysqlProbe.validate({ login: 'u', request: '', virtualhost: 'x' }, { protocol: 'tcp' }), [
    'virtualhost: mysql checks do not use it',
    'request: required by the mysql check (a SELECT that returns at least one row)',
    ...lacking,
  ]);
});
