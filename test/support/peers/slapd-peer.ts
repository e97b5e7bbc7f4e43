import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net.ts';
import { type DirPeer, findBinary, startInDir } from './child-server.ts';

/**
 * A real OpenLDAP slapd (Debian) from a generated slapd.conf: one mdb database `dc=example,dc=org` whose
 * rootdn `cn=admin,dc=example,dc=org` binds with ROOT_PASSWORD; anonymous binds allowed unless
 * `disallowAnonymous`. In the foreground (-d 0) on 127.0.0.1, killed by PID.
 */
export const SLAPD_BINARY = findBinary('slapd');
export const ROOT_DN = 'cn=admin,dc=example,dc=org';
export const ROOT_PASSWORD = 'ldap s3cret';

export type SlapdPeer = DirPeer;

export async function startSlapd(opts: { disallowAnonymous?: boolean } = {}): Promise<SlapdPeer> {
  if (!SLAPD_BINARY) throw new Error('slapd is not installed');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'webfarm-slapd-'));
  mkdirSync(join(dir, 'db'));
  const conf = [
    'include /etc/ldap/schema/core.schema',
    `pidfile ${join(dir, 'slapd.pid')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    ...(opts.disallowAnonymous ? ['disallow bind_anon'] : []),
    'database mdb',
    'maxsize 10485760',
    'suffix "dc=example,dc=org"',
    `rootdn "${ROOT_DN}"`,
    `rootpw "${ROOT_PASSWORD}"`,
    `directory ${join(dir, 'db')}`,
  ];
  writeFileSync(join(dir, 'slapd.conf'), `${conf.join('\n')}\n`);
  const args = ['-h', `ldap://127.0.0.1:${port}/`, '-f', join(dir, 'slapd.conf'), '-d', '0'];
  return startInDir(dir, port, SLAPD_BINARY, { args, ready: { host: '127.0.0.1', port } });
}
