import type { Clock } from '../../platform/clock.ts';
import { WebfarmError } from '../../model/errors.ts';
import { ArpAnnouncer, type ArpListener, type ArpSettings, DEFAULT_ARP } from './arp-announcer.ts';
import { findAddress, findPlacement, parseAddresses, type Placement } from './ip-json.ts';
import { ipv4ToNumber, isValidDeviceName } from './ipv4.ts';
import { describeResult, type ProcessRunner, succeeded } from './process-runner.ts';
import { type ActionResult, failed, OK, type Resource, type ResourceStatus } from './resource.ts';

/**
 * heartbeat's IPaddr (seed-system.md §2.9), with `ip` instead of ifconfig aliases:
 * - start: if the address is already on an interface, succeed without touching anything (idempotent, no
 *   ARP); otherwise find the device and prefix (given, or from the routing table: the connected subnet
 *   that contains the address), `ip addr add VIP/PREFIX dev DEV brd +`, then a gratuitous ARP train.
 *   `brd +` derives the broadcast address from the prefix: without it the kernel records none, and a
 *   heartbeat `bcast` medium on that interface would send to 0.0.0.0 (heartbeat-3.0.6-notes.md).
 * - stop: cancel the ARP train; `ip addr del VIP/PREFIX dev DEV` wherever the address is (prefix as found);
 *   no ARP. Already absent: success.
 * - status: `running` while `ip -j -4 addr show` lists the address (on the device, when one was given).
 * IPv4 only (arping and `brd` are IPv4 notions).
 */
export interface IpAddrSpec {
  readonly address: string;
  /** 1..32; found from the routing table when absent. */
  readonly prefix?: number;
  /** Found from the routing table when absent. */
  readonly device?: string;
  readonly arp?: ArpSettings;
}

export interface IpAddrDeps {
  readonly clock: Clock;
  readonly runner: ProcessRunner;
  /** Told about each gratuitous ARP frame's process outcome. */
  readonly onArp?: ArpListener;
}

/** Throws WF_ERR_CLUSTER_RESOURCE naming the bad field. */
export function validateIpAddrSpec(spec: IpAddrSpec): void {
  const bad = (m: string) => new WebfarmError('WF_ERR_CLUSTER_RESOURCE', `IPaddr ${spec.address}: ${m}`);
  if (ipv4ToNumber(spec.address) === undefined) throw bad('address must be an IPv4 dotted quad');
  const p = spec.prefix;
  if (p !== undefined && (!Number.isInteger(p) || p < 1 || p > 32)) throw bad('prefix must be 1..32');
  if (spec.device !== undefined && !isValidDeviceName(spec.device)) {
    throw bad(`invalid device name ${JSON.stringify(spec.device)}`);
  }
  const arp = spec.arp;
  if (arp !== undefined && (!Number.isInteger(arp.count) || arp.count < 0 || arp.count > 100)) {
    throw bad('arp count must be an integer 0..100');
  }
  if (arp !== undefined && (!Number.isFinite(arp.intervalMs) || arp.intervalMs < 0)) {
    throw bad('arp interval must be ≥ 0 ms');
  }
}

/** The haresources spelling `IPaddr::ADDR[/PREFIX[/DEVICE]]`. */
export function ipAddrName(spec: IpAddrSpec): string {
  const tail =
    spec.prefix === undefined ? '' : `/${spec.prefix}${spec.device === undefined ? '' : `/${spec.device}`}`;
  return `IPaddr::${spec.address}${tail}`;
}

export class IpAddrResource implements Resource {
  readonly name: string;
  readonly #spec: IpAddrSpec;
  readonly #runner: ProcessRunner;
  readonly #arp: ArpAnnouncer;
  /** Where the last start put the address (for announce). */
  #placed: Placement | undefined;

  constructor(spec: IpAddrSpec, deps: IpAddrDeps) {
    validateIpAddrSpec(spec);
    this.#spec = spec;
    this.name = ipAddrName(spec);
    this.#runner = deps.runner;
    this.#arp = new ArpAnnouncer(deps.clock, deps.runner, spec.arp ?? DEFAULT_ARP, deps.onArp);
  }

  get arp(): ArpAnnouncer {
    return this.#arp;
  }

  async status(): Promise<ResourceStatus> {
    const here = await this.#locate();
    return here.ok && here.found !== undefined ? 'running' : 'stopped';
  }

  async start(): Promise<ActionResult> {
    const here = await this.#locate();
    if (!here.ok) return failed(here.reason);
    if (here.found !== undefined) {
      this.#placed = { device: here.found.device, prefix: here.found.prefix };
      return OK;
    }
    const placement = await this.#placement();
    if (!placement.ok) return failed(placement.reason);
    const { device, prefix } = placement.value;
    const add = await this.#runner.run([
      'ip',
      'addr',
      'add',
      `${this.#spec.address}/${prefix}`,
      'dev',
      device,
      'brd',
      '+',
    ]);
    if (!succeeded(add)) {
      // Someone added it between our look and our add ("File exists"): present is what start promises.
      if ((await this.status()) === 'running') return OK;
      return failed(`ip addr add: ${describeResult(add)}`);
    }
    this.#placed = placement.value;
    this.#arp.announce(device, this.#spec.address);
    return OK;
  }

  async stop(): Promise<ActionResult> {
    this.#arp.cancel();
    const here = await this.#locate();
    if (!here.ok) return failed(here.reason);
    if (here.found === undefined) return OK;
    const { device, prefix } = here.found;
    const del = await this.#runner.run([
      'ip',
      'addr',
      'del',
      `${this.#spec.address}/${prefix}`,
      'dev',
      device,
    ]);
    if (!succeeded(del) && (await this.status()) === 'running') {
      return failed(`ip addr del: ${describeResult(del)}`);
    }
    this.#placed = undefined;
    return OK;
  }

  /** A fresh gratuitous ARP train from where the address was put (split-brain keeper, seed §2.10). */
  announce(): void {
    const device = this.#placed?.device ?? this.#spec.device;
    if (device !== undefined) this.#arp.announce(device, this.#spec.address);
  }

  async #locate(): Promise<
    { ok: true; found: { device: string; prefix: number } | undefined } | { ok: false; reason: string }
  > {
    const argv = ['ip', '-j', '-4', 'addr', 'show'];
    if (this.#spec.device !== undefined) argv.push('dev', this.#spec.device);
    const r = await this.#runner.run(argv);
    if (!succeeded(r)) return { ok: false, reason: `ip addr show: ${describeResult(r)}` };
    return { ok: true, found: findAddress(parseAddresses(r.stdout), this.#spec.address, this.#spec.device) };
  }

  async #placement(): Promise<{ ok: true; value: Placement } | { ok: false; reason: string }> {
    const { device, prefix } = this.#spec;
    if (device !== undefined && prefix !== undefined) return { ok: true, value: { device, prefix } };
    const r = await this.#runner.run(['ip', '-j', '-4', 'route', 'show']);
    if (!succeeded(r)) return { ok: false, reason: `ip route show: ${describeResult(r)}` };
    const found = findPlacement(r.stdout, this.#spec.address, device);
    if (found === undefined) {
      const where = device === undefined ? 'any interface' : device;
      return { ok: false, reason: `no connected subnet on ${where} contains ${this.#spec.address}` };
    }
    return { ok: true, value: { device: found.device, prefix: prefix ?? found.prefix } };
  }
}
