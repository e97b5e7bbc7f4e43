import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net.ts';
import { type DirPeer, findBinary, startInDir } from './child-server.ts';

/**
 * A real MariaDB (Debian) in a temp directory: mariadb-install-db, then mariadbd on 127.0.0.1 with an init
 * file creating MY_USER / MY_PASSWORD (mysql_native_password) and database MY_DATABASE, killed by PID.
 */
export const INSTALL_DB_BINARY = findBinary('mariadb-install-db');
export const MARIADBD_BINARY = findBinary('mariadbd');
export const MY_USER = 'webfarm';
export const MY_PASSWORD = 'my s3cret';
export const MY_DATABASE = 'probe';

export function mariadbMissing(): string | undefined {
  return INSTALL_DB_BINARY && MARIADBD_BINARY
    ? undefined
    : 'mariadb is not installed (apt-get install mariadb-server)';
}

export type MariadbPeer = DirPeer;

export async function startMariadb(): Promise<MariadbPeer> {
  if (!INSTALL_DB_BINARY || !MARIADBD_BINARY) throw new Error(mariadbMissing());
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'webfarm-mariadb-'));
  const data = join(dir, 'data');
  const init = join(dir, 'init.sql');
  writeFileSync(
    init,
    [
      `CREATE USER '${MY_USER}'@'%' IDENTIFIED BY '${MY_PASSWORD}';`,
      `CREATE DATABASE ${MY_DATABASE};`,
      `CREATE TABLE ${MY_DATABASE}.empty (id INT);`,
      `GRANT ALL ON ${MY_DATABASE}.* TO '${MY_USER}'@'%';`,
      '',
    ].join('\n'),
  );
  try {
    execFileSync(
      INSTALL_DB_BINARY,
      [
        '--no-defaults',
        `--datadir=${data}`,
        '--user=root',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { stdio: 'pipe', timeout: 60_000 },
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
  }
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--socket=${join(dir, 'mysqld.sock')}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--user=root',
    `--init-file=${init}`,
    '--innodb-buffer-pool-size=16M',
    '--skip-name-resolve',
    '--skip-log-bin',
  ];
  return startInDir(dir, port, MARIADBD_BINARY, { args, ready: /ready for connections/, timeoutMs: 60_000 });
}
