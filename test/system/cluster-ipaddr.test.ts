import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { systemClock } from '../../src/platform/clock.ts';
import { ResourceManager } from '../../src/cluster/manager/manager.ts';
import { FakeMembershipPair } from '../../src/cluster/manager/testing/fake-membership.ts';
import { ResourceGroup } from '../../src/cluster/resources/group.ts';
import { IpAddrResource } from '../../src/cluster/resources/ipaddr.ts';
import {
  type ProcessResult,
  type ProcessRunner,
  spawnProcessRunner,
} from '../../src/cluster/resources/process-runner.ts';

/**
 * The IPaddr resource against the real kernel (DESIGN.md §7 system tier): three namespaces on a bridge —
 * client, dirA, dirB — with addresses from 192.0.2.0/24 only and no default route. dirA takes the floating
 * address, the client resolves it to dirA's MAC; dirA releases, dirB takes it, and the client's neighbour
 * entry moves to dirB's MAC from dirB's gratuitous ARPs alone (the client sends nothing new). Runs as root
 * with `ip netns` and `arping`; skipped with the reason otherwise. Namespaces are unique per run and always
 * deleted.
 */
const VIP = '192.0.2.240';
const P = `wfr${process.pid}`;
const NS = { sw: `${P}sw`, client: `${P}c`, a: `${P}a`, b: `${P}b` } as const;
const HOSTS: [keyof typeof NS, string][] = [
  ['client', '192.0.2.10/24'],
  ['a', '192.0.2.11/24'],
  ['b', '192.0.2.12/24'],
];

function sh(argv: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  return { ok: r.status === 0, out: r.stdout ?? '', err: r.stderr ?? r.error?.message ?? '' };
}

function must(argv: string[]): string {
  const r = sh(argv);
  if (!r.ok) throw new Error(`${argv.join(' ')}: ${r.err.trim()}`);
  return r.out;
}

function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (ip netns)';
  if (!sh(['ip', 'netns', 'list']).ok) return '`ip netns` does not work here';
  if (!sh(['arping', '-V']).ok) return 'arping (iputils-arping) is not installed';
  if (!sh(['socat', '-V']).ok) return 'socat is not installed';
  return undefined;
}

const SKIP = skipReason();
if (SKIP !== undefined) process.stdout.write(`# cluster-ipaddr system test skipped: ${SKIP}\n`);

/** Runs every argv inside namespace `ns` (`ip netns exec NS …`), still as an argv. */
function nsRunner(ns: string): ProcessRunner {
  return {
    run: (argv, options): Promise<ProcessResult> =>
      spawnProcessRunner.run(['ip', 'netns', 'exec', ns, ...argv], options),
  };
}

function teardown(): void {
  for (const ns of Object.values(NS)) sh(['ip', 'netns', 'del', ns]);
}

function setup(): void {
  teardown();
  for (const ns of Object.values(NS)) must(['ip', 'netns', 'add', ns]);
  must(['ip', '-n', NS.sw, 'link', 'add', 'br0', 'type', 'bridge']);
  must(['ip', '-n', NS.sw, 'link', 'set', 'br0', 'up']);
  HOSTS.forEach(([h, cidr], i) => {
    const port = `p${i}`;
    must(['ip', 'link', 'add', 'eth0', 'netns', NS[h], 'type', 'veth', 'peer', 'name', port, 'netns', NS.sw]);
    must(['ip', '-n', NS.sw, 'link', 'set', port, 'master', 'br0', 'up']);
    must(['ip', '-n', NS[h], 'addr', 'add', cidr, 'dev', 'eth0', 'brd', '+']);
    must(['ip', '-n', NS[h], 'link', 'set', 'eth0', 'up']);
    must(['ip', '-n', NS[h], 'link', 'set', 'lo', 'up']);
  });
}

function mac(ns: string): string {
  const links = JSON.parse(must(['ip', '-n', ns, '-j', 'link', 'show', 'eth0'])) as { address: string }[];
  return links[0]?.address ?? '';
}

/** The client's neighbour entry for the VIP: its MAC, or undefined when absent/incomplete. */
function clientNeighbour(): string | undefined {
  const entries = JSON.parse(must(['ip', '-n', NS.client, '-j', 'neigh', 'show', VIP]) || '[]') as {
    lladdr?: string;
  }[];
  return entries[0]?.lladdr;
}

/** Poll `probe` every 50 ms until it returns `want`, failing after `ms` with what it last saw. */
async function waitFor<T>(probe: () => T, want: T, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  let last = probe();
  while (last !== want) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last ${last}`);
    await new Promise((r) => setTimeout(r, 50));
    last = probe();
  }
}

function vipEntries(ns: string): { local: string; broadcast?: string; prefixlen: number }[] {
  const links = JSON.parse(must(['ip', '-n', ns, '-j', '-4', 'addr', 'show', 'dev', 'eth0'])) as {
    addr_info: { local: string; broadcast?: string; prefixlen: number }[];
  }[];
  return (links[0]?.addr_info ?? []).filter((a) => a.local === VIP);
}

before(() => {
  if (SKIP === undefined) setup();
});
after(() => {
  if (SKIP === undefined) teardown();
});

test('IPaddr in namespaces: the client neighbour entry follows the address from dirA to dirB', {
  skip: SKIP,
}, async () => {
  const arp = { count: 5, intervalMs: 200 };
  const a = new IpAddrResource({ address: VIP, arp }, { clock: systemClock, runner: nsRunner(NS.a) });
  const b = new IpAddrResource({ address: VIP, arp }, { clock: systemClock, runner: nsRunner(NS.b) });
  const macA = mac(NS.a);
  const macB = mac(NS.b);
  assert.notEqual(macA, macB);

  assert.equal(await a.status(), 'stopped');
  assert.deepEqual(await a.start(), { ok: true });
  assert.equal(await a.status(), 'running');
  // Device and prefix came from the routing table; `brd +` gave it the subnet's broadcast address.
  assert.deepEqual(vipEntries(NS.a), [
    { ...vipEntries(NS.a)[0], local: VIP, prefixlen: 24, broadcast: '192.0.2.255' },
  ]);
  await a.arp.settled();

  // The client talks to the VIP once (a TCP SYN; nothing listens, the RST is fine): its kernel resolves it.
  sh(['ip', 'netns', 'exec', NS.client, 'socat', '-u', '/dev/null', `TCP4:${VIP}:9,connect-timeout=2`]);
  await waitFor(clientNeighbour, macA, "the client's neighbour entry for the VIP to hold dirA's MAC");

  // Idempotent: a second start adds nothing.
  assert.deepEqual(await a.start(), { ok: true });
  assert.equal(vipEntries(NS.a).length, 1);

  // Takeover: dirA releases (no ARP), dirB takes and announces. The client sends nothing from here on.
  assert.deepEqual(await a.stop(), { ok: true });
  assert.deepEqual(await a.stop(), { ok: true });
  assert.equal(await a.status(), 'stopped');
  assert.equal(vipEntries(NS.a).length, 0);
  assert.deepEqual(await b.start(), { ok: true });
  await waitFor(
    clientNeighbour,
    macB,
    "the client's neighbour entry to move to dirB's MAC after dirB's gratuitous ARPs",
  );
  await b.arp.settled();
  assert.deepEqual(await b.start(), { ok: true });
  assert.equal(vipEntries(NS.b).length, 1);
  assert.deepEqual(await b.stop(), { ok: true });
  assert.equal(await b.status(), 'stopped');
});

test('two resource managers on real addresses: takeover, then a healed split brain ends with one owner', {
  skip: SKIP,
}, async () => {
  const pair = new FakeMembershipPair('alpha', 'beta');
  const node = (ns: string, view: typeof pair.a) => {
    const argvs: string[] = [];
    const inner = nsRunner(ns);
    const runner: ProcessRunner = {
      run: (argv, options) => {
        argvs.push(argv.join(' '));
        return inner.run(argv, options);
      },
    };
    const vip = new IpAddrResource({ address: VIP }, { clock: systemClock, runner });
    const m = new ResourceManager({
      clock: systemClock,
      membership: view,
      groups: [new ResourceGroup('alpha', [vip])],
      autoFailback: true,
    });
    const arpings = () => argvs.filter((l) => l.startsWith('arping -U')).length;
    return { vip, m, view, arpings };
  };
  const a = node(NS.a, pair.a);
  const b = node(NS.b, pair.b);
  const owners = () => `${vipEntries(NS.a).length}${vipEntries(NS.b).length}`;
  try {
    await a.m.start();
    await b.m.start();
    a.view.peerUp();
    b.view.peerUp();
    await waitFor(owners, '10', 'alpha, the preferred node, to take the address at start');
    await a.vip.arp.settled();
    sh(['ip', 'netns', 'exec', NS.client, 'socat', '-u', '/dev/null', `TCP4:${VIP}:9,connect-timeout=2`]);
    await waitFor(clientNeighbour, mac(NS.a), "the client's entry to hold alpha's MAC");

    // Every medium fails: beta declares alpha dead and takes the address; both hold it now, and the two
    // kernels' ARP traffic fights over the client's entry (whoever speaks last wins).
    pair.linked = false;
    b.view.peerDead();
    a.view.peerDead();
    await waitFor(owners, '11', 'beta to take the address (split brain: alpha still holds it)');
    await waitFor(b.arpings, 5, "beta's gratuitous ARP train");
    await b.vip.arp.settled();
    const alphaBefore = a.arpings();

    // The media come back: alpha (preferred) keeps it, beta releases, alpha re-announces last.
    pair.linked = true;
    a.view.peerUp('returned');
    b.view.peerUp('returned');
    await waitFor(owners, '10', 'exactly one owner (alpha) after the partition heals');
    await waitFor(() => a.arpings() - alphaBefore, 5, "alpha's re-announcement after beta released");
    await a.vip.arp.settled();
    await waitFor(clientNeighbour, mac(NS.a), "the client's entry to end on alpha's MAC");
    await a.m.settled();
    await b.m.settled();
  } finally {
    a.m.stop();
    b.m.stop();
    await a.vip.stop();
    await b.vip.stop();
  }
});
