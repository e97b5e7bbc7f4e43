import { readFileSync } from 'node:fs';
import type { PortNames } from '../admin/ipvsadm/address.ts';

/**
 * Port names from /etc/services, as ipvsadm's getservbyname/getservbyport see them: `name port/proto
 * aliases… # comment`; the first name listed for a port wins. A missing file means no names (numbers only).
 */
export function loadPortNames(path = '/etc/services'): PortNames {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { port: () => undefined, name: () => undefined };
  }
  return parseServices(text);
}

export function parseServices(text: string): PortNames {
  const byName = new Map<string, number>();
  const byPort = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const [name, portProto, ...aliases] = (raw.split('#')[0] ?? '').trim().split(/\s+/);
    const m = /^(\d+)\/(tcp|udp)$/.exec(portProto ?? '');
    if (!name || !m) continue;
    const port = Number(m[1]);
    const proto = m[2] as string;
    if (!byPort.has(`${port}/${proto}`)) byPort.set(`${port}/${proto}`, name);
    for (const n of [name, ...aliases]) if (!byName.has(`${n}/${proto}`)) byName.set(`${n}/${proto}`, port);
  }
  return {
    port: (name, proto) => byName.get(`${name}/${proto}`),
    name: (port, proto) => byPort.get(`${port}/${proto}`),
  };
}
