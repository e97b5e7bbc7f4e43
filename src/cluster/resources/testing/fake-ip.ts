import { inSubnet } from '../ipv4.ts';
import type { FakeHandler } from './fake-runner.ts';

/**
 * A toy `ip` + `arping` for unit tests: devices with IPv4 addresses, connected routes derived from them,
 * `ip -j -4 addr show [dev D]`, `ip -j -4 route show`, `ip addr add A/P dev D brd +`, `ip addr del A/P dev D`
 * (kernel-like errors: File exists / Cannot assign), `arping` (always exit 0). Anything else exits 1.
 */
export class FakeIp {
  /** device → addresses "a.b.c.d/p" */
  readonly devices = new Map<string, string[]>();
  /** Extra routes in `ip -j route` shape (e.g. a default route). */
  readonly extraRoutes: Record<string, unknown>[] = [];

  constructor(devices: Record<string, string[]>) {
    for (const [d, addrs] of Object.entries(devices)) this.devices.set(d, [...addrs]);
  }

  has(address: string): string | undefined {
    for (const [d, addrs] of this.devices) if (addrs.some((a) => a.split('/')[0] === address)) return d;
    return undefined;
  }

  readonly handler: FakeHandler = (argv) => {
    const a = argv.join(' ');
    if (argv[0] === 'arping') return { code: 0 };
    if (a.startsWith('ip -j -4 addr show')) return this.#show(argv[6]);
    if (a === 'ip -j -4 route show') return { code: 0, stdout: JSON.stringify(this.#routes()) };
    const m = /^ip addr (add|del) (\S+) dev (\S+)/.exec(a);
    if (m !== null) return this.#change(m[1] as 'add' | 'del', m[2] as string, m[3] as string);
    return { code: 1, stderr: `fake ip: unsupported ${a}` };
  };

  #show(dev: string | undefined) {
    if (dev !== undefined && !this.devices.has(dev)) {
      return { code: 1, stderr: `Device "${dev}" does not exist.` };
    }
    const links = [...this.devices]
      .filter(([d]) => dev === undefined || d === dev)
      .map(([d, addrs]) => ({
        ifname: d,
        addr_info: addrs.map((x) => {
          const [local, p] = x.split('/');
          return { family: 'inet', local, prefixlen: Number(p) };
        }),
      }));
    return { code: 0, stdout: JSON.stringify(links) };
  }

  #routes() {
    const routes: Record<string, unknown>[] = [];
    for (const [d, addrs] of this.devices) {
      for (const x of addrs) {
        const [local, p] = x.split('/') as [string, string];
        const prefix = Number(p);
        if (prefix === 32) continue;
        const net = networkOf(local, prefix);
        if (!routes.some((r) => r.dst === `${net}/${prefix}` && r.dev === d)) {
          routes.push({ dst: `${net}/${prefix}`, dev: d, protocol: 'kernel', scope: 'link', prefsrc: local });
        }
      }
    }
    return [...this.extraRoutes, ...routes];
  }

  #change(op: 'add' | 'del', cidr: string, dev: string) {
    const addrs = this.devices.get(dev);
    if (addrs === undefined) return { code: 1, stderr: `Cannot find device "${dev}"` };
    const i = addrs.indexOf(cidr);
    if (op === 'add') {
      if (addrs.some((x) => x.split('/')[0] === cidr.split('/')[0])) {
        return { code: 2, stderr: 'RTNETLINK answers: File exists' };
      }
      addrs.push(cidr);
    } else {
      if (i < 0) return { code: 2, stderr: 'RTNETLINK answers: Cannot assign requested address' };
      addrs.splice(i, 1);
    }
    return { code: 0 };
  }
}

function networkOf(address: string, prefix: number): string {
  const octets = address.split('.').map(Number);
  const n = octets.reduce((x, o) => x * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  let v = Math.floor(n / size) * size;
  const out: number[] = [];
  for (let i = 0; i < 4; i += 1) {
    out.unshift(v % 256);
    v = Math.floor(v / 256);
  }
  const net = out.join('.');
  if (!inSubnet(address, net, prefix)) throw new Error('networkOf');
  return net;
}
