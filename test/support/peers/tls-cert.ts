import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary } from './child-server.ts';

const run = promisify(execFile);

/** A self-signed certificate and its key, as PEM files in `dir`. */
export interface TlsCert {
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * Make a throwaway self-signed P-256 certificate for `names` (subject CN = the first, SAN = all) with the
 * openssl command line (argv, no shell); undefined when openssl is not installed.
 */
export async function selfSignedCert(dir: string, names: readonly string[]): Promise<TlsCert | undefined> {
  const openssl = findBinary('openssl');
  if (openssl === undefined) return undefined;
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const san = names.map((n) => `DNS:${n}`).join(',');
  await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${names[0] ?? 'localhost'}`,
    '-addext',
    `subjectAltName=${san}`,
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { certFile, keyFile };
}
