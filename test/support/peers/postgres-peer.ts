import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net.ts';
import { type DirPeer, findBinary, startInDir, systemUser } from './child-server.ts';

/**
 * A real PostgreSQL (Debian) in a temp directory: initdb (as the postgres account, since the server refuses
 * root) with superuser PG_USER / PG_PASSWORD and SCRAM-SHA-256 for TCP logins, then `postgres` on
 * 127.0.0.1 with fsync off, killed by PID.
 */
const PG_BIN_DIRS = [
  '/usr/lib/postgresql/17/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/lib/postgresql/15/bin',
];
export const INITDB_BINARY = findBinary('initdb', PG_BIN_DIRS);
export const POSTGRES_BINARY = findBinary('postgres', PG_BIN_DIRS);
const account = systemUser('postgres');
export const PG_USER = 'webfarm';
export const PG_PASSWORD = 'pg s3cret';

/** Why a real PostgreSQL cannot run here, or undefined when it can. */
export function postgresMissing(): string | undefined {
  if (!INITDB_BINARY || !POSTGRES_BINARY) return 'postgresql is not installed (apt-get install postgresql)';
  if (!account) return 'there is no postgres account to run the server as';
  return undefined;
}

export type PostgresPeer = DirPeer;

export async function startPostgres(): Promise<PostgresPeer> {
  const missing = postgresMissing();
  if (missing || !INITDB_BINARY || !POSTGRES_BINARY || !account) throw new Error(missing);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'webfarm-pg-'));
  chownSync(dir, account.uid, account.gid);
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${PG_PASSWORD}\n`);
  chownSync(pwfile, account.uid, account.gid);
  chmodSync(pwfile, 0o600);
  const data = join(dir, 'data');
  const ids = { uid: account.uid, gid: account.gid };
  try {
    execFileSync(
      INITDB_BINARY,
      ['-D', data, '-U', PG_USER, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust'],
      { ...ids, stdio: 'pipe', timeout: 60_000, env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
  }
  const args = ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-c', 'fsync=off'];
  return startInDir(dir, port, POSTGRES_BINARY, { args, ...ids, ready: /ready to accept connections/ });
}
