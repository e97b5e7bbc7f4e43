import { normalizeAddress } from '../../model/endpoint.ts';
import { WebfarmError } from '../../model/errors.ts';
import type { ExecRunner } from './exec-runner.ts';

/** What direct routing must know about the director's network, read through `ip -j` (and `arping`). */
export interface NetFacts {
  /** The device that holds `address` locally, if any. */
  deviceHolding(address: string): Promise<string | undefined>;
  /** The route to `address`: its device and gateway (none = on-link). */
  routeTo(address: string): Promise<{ dev: string; gateway?: string; local: boolean } | undefined>;
  /** The device's own MAC; WF_ERR_NFT_DEVICE when the device does not exist. */
  linkMac(dev: string): Promise<string>;
  /** The MAC of `address` on `dev` from the neighbour table, else from an arping probe's answer. */
  neighbourMac(address: string, dev: string): Promise<string | undefined>;
  /** Every address configured on the director's devices, canonical text (local real servers). */
  localAddresses(): Promise<ReadonlySet<string>>;
}

interface IpAddr {
  ifname?: string;
  addr_info?: Array<{ local?: string }>;
}
interface IpNeigh {
  dst?: string;
  lladdr?: string;
  state?: string[];
}

export class IpNetFacts implements NetFacts {
  readonly #exec: ExecRunner;

  constructor(exec: ExecRunner) {
    this.#exec = exec;
  }

  async deviceHolding(address: string): Promise<string | undefined> {
    const links = (await this.#json(['ip', '-j', 'addr', 'show'])) as IpAddr[];
    return links.find((l) => l.addr_info?.some((a) => a.local === address))?.ifname;
  }

  /** Empty when `ip` cannot tell (then only loopback real servers count as local). */
  async localAddresses(): Promise<ReadonlySet<string>> {
    const r = await this.#exec.run(['ip', '-j', 'addr', 'show']);
    const links = r.code === 0 ? (JSON.parse(r.stdout || '[]') as IpAddr[]) : [];
    const out = new Set<string>();
    for (const l of links) for (const a of l.addr_info ?? []) if (a.local) out.add(normalizeAddress(a.local));
    return out;
  }

  async routeTo(address: string) {
    const r = await this.#exec.run(['ip', '-j', 'route', 'get', address]);
    if (r.code !== 0) return undefined;
    const [route] = JSON.parse(r.stdout || '[]') as Array<{ dev?: string; gateway?: string; type?: string }>;
    if (!route?.dev) return undefined;
    return {
      dev: route.dev,
      local: route.type === 'local',
      ...(route.gateway ? { gateway: route.gateway } : {}),
    };
  }

  async linkMac(dev: string): Promise<string> {
    const r = await this.#exec.run(['ip', '-j', 'link', 'show', 'dev', dev]);
    const [link] = r.code === 0 ? (JSON.parse(r.stdout || '[]') as Array<{ address?: string }>) : [];
    if (!link?.address)
      throw new WebfarmError('WF_ERR_NFT_DEVICE', `device ${dev} does not exist or has no MAC`);
    return link.address.toLowerCase();
  }

  async neighbourMac(address: string, dev: string): Promise<string | undefined> {
    const known = await this.#neigh(address, dev);
    if (known) return known;
    // The kernel does not learn from replies to arping's own requests (arp_accept=0): read arping's output.
    const r = await this.#exec.run(['arping', '-c', '1', '-w', '1', '-I', dev, address]);
    const m = /reply from \S+ \[([0-9A-Fa-f:]{17})\]/.exec(r.stdout);
    return m ? (m[1] as string).toLowerCase() : this.#neigh(address, dev);
  }

  async #neigh(address: string, dev: string): Promise<string | undefined> {
    const list = (await this.#json(['ip', '-j', 'neigh', 'show', 'to', address, 'dev', dev])) as IpNeigh[];
    const n = list.find((e) => e.lladdr && !e.state?.includes('FAILED') && !e.state?.includes('INCOMPLETE'));
    return n?.lladdr?.toLowerCase();
  }

  async #json(argv: string[]): Promise<unknown[]> {
    const r = await this.#exec.run(argv);
    if (r.errno === 'ENOENT') throw new WebfarmError('WF_ERR_NFT_DEVICE', `${argv[0]} is not installed`);
    return r.code === 0 ? (JSON.parse(r.stdout || '[]') as unknown[]) : [];
  }
}
