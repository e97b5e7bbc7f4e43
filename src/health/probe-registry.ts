import type { Probe, ProbeFactory, ProbeType } from './probe.ts';
import { connectProbe } from './probes/connect.ts';
import { dnsProbe } from './probes/dns.ts';
import { externalProbe } from './probes/external.ts';
import { ftpProbe } from './probes/ftp.ts';
import { httpProbe } from './probes/http.ts';
import { httpsProbe } from './probes/https.ts';
import { imapProbe } from './probes/imap.ts';
import { ldapProbe } from './probes/ldap.ts';
import { mysqlProbe } from './probes/mysql.ts';
import { noneProbe } from './probes/none.ts';
import { offProbe } from './probes/off.ts';
import { onProbe } from './probes/on.ts';
import { pgsqlProbe } from './probes/pgsql.ts';
import { popProbe } from './probes/pop.ts';
import { redisProbe } from './probes/redis.ts';
import { smtpProbe } from './probes/smtp.ts';
import { tcpProbe } from './probes/tcp.ts';
import { udpProbe } from './probes/udp.ts';

/** Every probe this build has: one line per probe, sorted by name (adding a probe = one file + one line). */
export const PROBES: ReadonlyMap<ProbeType, ProbeFactory> = new Map<ProbeType, ProbeFactory>([
  ['connect', connectProbe],
  ['dns', dnsProbe],
  ['external', externalProbe],
  ['ftp', ftpProbe],
  ['http', httpProbe],
  ['https', httpsProbe],
  ['imap', imapProbe],
  ['ldap', ldapProbe],
  ['mysql', mysqlProbe],
  ['none', noneProbe],
  ['off', offProbe],
  ['on', onProbe],
  ['pgsql', pgsqlProbe],
  ['pop', popProbe],
  ['redis', redisProbe],
  ['smtp', smtpProbe],
  ['tcp', tcpProbe],
  ['udp', udpProbe],
]);

export function probeFactory(type: ProbeType): ProbeFactory | undefined {
  return PROBES.get(type);
}

/** A fresh probe of `type`; throws for a type this build lacks (config validation rejects those first). */
export function createProbe(type: ProbeType): Probe {
  const f = PROBES.get(type);
  if (!f) throw new Error(`no probe of type ${type} in this build`);
  return f.create();
}
