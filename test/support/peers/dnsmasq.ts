import { freeUdpPort } from '../udp.ts';
import { type ChildServer, findBinary, startChild } from './child-server.ts';

/**
 * A real dnsmasq (Debian dnsmasq-base) as an authoritative-only test server on 127.0.0.1, no upstream,
 * no /etc/hosts, no config file, in the foreground as a child of the test. Its data:
 *   check.example (and any name under it)  A 192.0.2.7
 *   v6.check.example                       AAAA 2001:db8::7 (and A 192.0.2.8)
 *   txt.check.example                      TXT "webfarm ok"
 *   check.example                          MX 10 mail.check.example
 *   192.0.2.7 reverse                      PTR check.example
 *   gone.example                           NXDOMAIN
 * Anything else is REFUSED (no upstream servers).
 */
export interface Dnsmasq {
  readonly server: ChildServer;
  readonly port: number;
  stop(): Promise<void>;
}

export function dnsmasqBinary(): string | undefined {
  return findBinary('dnsmasq');
}

const DATA = [
  '--address=/check.example/192.0.2.7',
  '--host-record=v6.check.example,192.0.2.8,2001:db8::7',
  '--txt-record=txt.check.example,webfarm ok',
  '--mx-host=check.example,mail.check.example,10',
  '--ptr-record=7.2.0.192.in-addr.arpa,check.example',
  '--address=/gone.example/',
];

/** Start dnsmasq on a fresh loopback port (retried if another process takes the port first). */
export async function startDnsmasq(binary: string): Promise<Dnsmasq> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort();
    try {
      const server = await startChild(binary, {
        args: [
          '--keep-in-foreground',
          `--port=${port}`,
          '--listen-address=127.0.0.1',
          '--bind-interfaces',
          '--no-resolv',
          '--no-hosts',
          '--no-poll',
          '--conf-file=/dev/null',
          '--pid-file=',
          '--log-facility=-',
          ...DATA,
        ],
        // "started" is logged after the listening sockets are bound.
        ready: /started, version/,
      });
      return { server, port, stop: () => server.stop() };
    } catch (e) {
      if (attempt >= 3 || !/Address already in use/.test(String(e))) throw e;
    }
  }
}
