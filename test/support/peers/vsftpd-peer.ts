import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net.ts';
import { type DirPeer, findBinary, startInDir } from './child-server.ts';

/**
 * A real vsftpd (Debian), anonymous read-only, serving `files` from a temp directory, on 127.0.0.1 (or ::1
 * with `ipv6`), in the foreground, killed by PID. Passive mode only; the data port is the kernel's pick.
 */
export const VSFTPD_BINARY = findBinary('vsftpd');

export type VsftpdPeer = DirPeer;

export interface VsftpdOptions {
  readonly files: Readonly<Record<string, string>>;
  readonly ipv6?: boolean;
  /** Anonymous login without PASS (USER answered 230 at once). */
  readonly noAnonPassword?: boolean;
}

export async function startVsftpd(opts: VsftpdOptions): Promise<VsftpdPeer> {
  if (!VSFTPD_BINARY) throw new Error('vsftpd is not installed');
  const host = opts.ipv6 ? '::1' : '127.0.0.1';
  const port = await freePort(host);
  const dir = mkdtempSync(join(tmpdir(), 'webfarm-vsftpd-'));
  const root = join(dir, 'root');
  const empty = join(dir, 'empty');
  mkdirSync(root);
  mkdirSync(empty);
  for (const [name, content] of Object.entries(opts.files)) writeFileSync(join(root, name), content);
  // vsftpd drops to the ftp user for anonymous sessions: the tree must be readable, the chroot dir not writable.
  chmodSync(dir, 0o755);
  chmodSync(root, 0o755);
  chmodSync(empty, 0o555);
  const conf = [
    opts.ipv6 ? 'listen=NO' : 'listen=YES',
    opts.ipv6 ? 'listen_ipv6=YES' : 'listen_ipv6=NO',
    opts.ipv6 ? `listen_address6=${host}` : `listen_address=${host}`,
    `listen_port=${port}`,
    'background=NO',
    'anonymous_enable=YES',
    `anon_root=${root}`,
    `no_anon_password=${opts.noAnonPassword ? 'YES' : 'NO'}`,
    'local_enable=NO',
    'write_enable=NO',
    'pasv_enable=YES',
    'port_enable=NO',
    `secure_chroot_dir=${empty}`,
    'seccomp_sandbox=NO',
    'xferlog_enable=NO',
    'syslog_enable=NO',
    `vsftpd_log_file=${join(dir, 'vsftpd.log')}`,
  ];
  writeFileSync(join(dir, 'vsftpd.conf'), `${conf.join('\n')}\n`);
  return startInDir(dir, port, VSFTPD_BINARY, { args: [join(dir, 'vsftpd.conf')], ready: { host, port } });
}
