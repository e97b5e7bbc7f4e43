import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProbeSettings } from '../../src/health/probe.ts';
import { httpsProbe } from '../../src/health/probes/https.ts';
import { hangAndCloseCases } from '../support/peers/hang-and-close.ts';
import { type Nginx, nginxBinary, startNginx } from '../support/peers/nginx.ts';
import { reasonOf, runProbe } from '../support/peers/run-probe.ts';
import { selfSignedCert } from '../support/peers/tls-cert.ts';

/**
 * The https probe against a real nginx with a self-signed certificate for check.example (made by openssl
 * at test time): verification off by default, on by option; SNI and Host as nginx saw them.
 */
interface Case {
  readonly name: string;
  readonly settings: ProbeSettings;
  readonly down?: RegExp;
  /** Probe the plain-HTTP port instead of the TLS one. */
  readonly plainPort?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'a self-signed certificate is accepted by default (ldirectord)', settings: {} },
  {
    name: 'verifyTls: a self-signed certificate is down with the TLS reason',
    settings: { verifyTls: true },
    down: /self[- ]signed certificate/,
  },
  {
    name: 'verifyTls with virtualhost: still self-signed, still down',
    settings: { verifyTls: true, virtualhost: 'check.example' },
    down: /self[- ]signed certificate/,
  },
  {
    name: 'virtualhost is both the Host header and the SNI name',
    settings: {
      request: '/health',
      virtualhost: 'check.example',
      receive: '^ok host=check\\.example sni=check\\.example\\n',
    },
  },
  {
    name: 'virtualhost with a port: SNI is the name without the port',
    settings: { request: '/health', virtualhost: 'check.example:8443', receive: 'sni=check\\.example\\n' },
  },
  {
    name: 'an address as virtualhost sends no SNI',
    settings: { request: '/health', virtualhost: '127.0.0.1', receive: 'host=127\\.0\\.0\\.1 sni=\\n' },
  },
  { name: 'a 500 over TLS is down', settings: { request: '/boom' }, down: /^HTTP 500$/ },
  {
    name: 'a wrong body over TLS is down',
    settings: { request: '/maintenance', receive: '^ok' },
    down: /body did not match/,
  },
  { name: 'HEAD over TLS', settings: { request: '/health', method: 'HEAD' } },
  { name: 'TLS to a plain-HTTP port is down', settings: {}, plainPort: true, down: /EPROTO|wrong version/ },
];

const skip = nginxBinary() ? false : 'nginx not installed';

describe('https probe against nginx', { skip }, () => {
  let dir = '';
  let nginx: Nginx | undefined;
  let noOpenssl = false;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webfarm-nginx-tls-'));
    const cert = await selfSignedCert(dir, ['check.example']);
    if (cert === undefined) noOpenssl = true;
    else nginx = await startNginx(nginxBinary() as string, dir, cert);
  });
  after(async () => {
    await nginx?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(c.name, async (t) => {
      if (noOpenssl || nginx === undefined) return t.skip('openssl not installed');
      const port = c.plainPort ? nginx.port : (nginx.tlsPort as number);
      const r = await runProbe(httpsProbe, port, c.settings);
      if (c.down) {
        assert.equal(r.ok, false, reasonOf(r));
        assert.match(reasonOf(r), c.down);
      } else assert.ok(r.ok, reasonOf(r));
    });
  }
});

describe('https probe against misbehaving peers', () => {
  hangAndCloseCases(httpsProbe, {
    stage: 'during the TLS handshake',
    closedReason: /ECONNRESET|disconnected before secure TLS connection/,
  });
});
