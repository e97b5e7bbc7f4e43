/**
 * nft engine benchmark, standalone: `tsx bench/nft-bench.ts [--seconds 5]` as root. Prints a Markdown report.
 *
 * Data plane, in network namespaces (documentation addresses only, no default route), wrk -t1 -c50 against
 * nginx on one real server, keep-alive and Connection: close:
 *   direct  client → real server on the same segment (192.0.2.11)
 *   routed  client → real server through the director as a plain router (198.51.100.11), the NAT baseline
 *   nft NAT client → VIP 203.0.113.240 → DNAT on the director → 198.51.100.11
 *   nft DR  client → VIP 192.0.2.240 → MAC rewrite at the director's ingress → 192.0.2.11 answers directly
 * Control plane (in the director's namespace): apply of 100 services × 10 real servers (1,000 real servers)
 * and of 10 × 1,000, one real server's weight change (editReal → applied), Maglev table builds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Director } from '../src/director/director.ts';
import { REAL_DEFAULTS, type RealServerSpec } from '../src/director/real-server.ts';
import { DEFAULT_TIMEOUTS } from '../src/director/timeouts.ts';
import { SERVICE_DEFAULTS, type ServiceSpec } from '../src/director/virtual-service.ts';
import { NftEngine } from '../src/engines/nft/nft-engine.ts';
import { realServerUp } from '../src/engines/nft/realserver-setup.ts';
import { systemClock } from '../src/platform/clock.ts';
import { buildMaglevTable } from '../src/scheduler/maglev-table.ts';
import { Topology, netnsUnavailable } from '../test/system/support/netns.ts';
import { parseWrk, wrkArgv } from './wrk.ts';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;
/** `--control-only`: only the control-plane table (one director namespace; no wrk, nginx). */
const controlOnly = process.argv.includes('--control-only');
const NAT_VIP = '203.0.113.240';
const DR_VIP = '192.0.2.240';

function spec(address: string, port: number, scheduler: ServiceSpec['scheduler'] = 'rr'): ServiceSpec {
  return {
    protocol: 'tcp',
    address,
    port,
    scheduler,
    flags: [],
    expireQuiescentTemplate: false,
    onePacket: false,
    proxyProtocol: 'off',
    connect: SERVICE_DEFAULTS.connect,
  };
}
const real = (address: string, port: number, forward: RealServerSpec['forward']): RealServerSpec => ({
  ...REAL_DEFAULTS,
  address,
  port,
  forward,
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function timed<T>(f: () => Promise<T> | T): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

async function topology(topo: Topology, dir: string): Promise<void> {
  await topo.addSwitch(['front', 'back', 'lan']);
  await topo.addHost('c', [
    { bridge: 'front', dev: 'eth0', addrs: ['203.0.113.10/24'] },
    { bridge: 'lan', dev: 'eth1', addrs: ['192.0.2.10/24'] },
  ]);
  await topo.addHost('d', [
    { bridge: 'front', dev: 'eth0', addrs: ['203.0.113.1/24', `${NAT_VIP}/24`] },
    { bridge: 'back', dev: 'eth1', addrs: ['198.51.100.1/24'] },
    { bridge: 'lan', dev: 'eth2', addrs: ['192.0.2.1/24', `${DR_VIP}/24`] },
  ]);
  await topo.addHost('r', [
    { bridge: 'back', dev: 'eth0', addrs: ['198.51.100.11/24'] },
    { bridge: 'lan', dev: 'eth1', addrs: ['192.0.2.11/24'] },
  ]);
  await topo.run('d', ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  await topo.run('c', ['ip', 'route', 'add', '198.51.100.0/24', 'via', '203.0.113.1']);
  await topo.run('r', ['ip', 'route', 'add', '203.0.113.0/24', 'via', '198.51.100.1']);
  for (const h of ['c', 'd', 'r']) {
    await topo.run(h, [
      'sysctl',
      '-qw',
      'net.ipv4.tcp_max_tw_buckets=2000',
      'net.ipv4.ip_local_port_range=10000 65000',
    ]);
  }
  await realServerUp(topo.exec('r'), [DR_VIP]);
  const conf = join(dir, 'nginx.conf');
  await writeFile(
    conf,
    `daemon off; worker_processes 1; error_log stderr; pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 80 reuseport; keepalive_requests 1000000; location / { return 200 "hello from backend\\n"; } } }\n`,
  );
  topo.spawn('r', ['nginx', '-p', dir, '-c', conf]);
  const deadline = Date.now() + 5000;
  while (!(await topo.run('r', ['ss', '-Hltn', 'sport = :80'])).includes(':80')) {
    if (Date.now() > deadline) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function dataPlane(topo: Topology): Promise<string[]> {
  const director = new Director(systemClock, DEFAULT_TIMEOUTS);
  director.addService(spec(NAT_VIP, 80), [real('198.51.100.11', 80, 'masq')]);
  director.addService(spec(DR_VIP, 80), [real('192.0.2.11', 80, 'route')]);
  const engine = new NftEngine(director, { exec: topo.exec('d'), statsIntervalMs: 0 });
  await engine.start();
  const paths = [
    ['direct (same segment)', '192.0.2.11'],
    ['routed via director', '198.51.100.11'],
    ['nft NAT', NAT_VIP],
    ['nft DR', DR_VIP],
  ] as const;
  const rows: Array<{ name: string; ka: number; close: number; errors: number }> = [];
  try {
    for (const [name, addr] of paths) {
      const run = async (close: boolean) =>
        parseWrk(
          await topo.run('c', wrkArgv(`http://${addr}/`, { durationS: seconds, connections: 50, close })),
        );
      const ka = await run(false);
      const cl = await run(true);
      rows.push({ name, ka: ka.reqPerSec, close: cl.reqPerSec, errors: ka.errors + cl.errors });
    }
  } finally {
    await engine.stop();
  }
  const base = rows[0] as { ka: number; close: number };
  const routed = rows[1] as { ka: number; close: number };
  const out = [
    '| path | keep-alive req/s | ÷ direct | ÷ routed | Connection: close req/s | ÷ direct | ÷ routed | errors |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const f = (x: number) => `${(x / 1000).toFixed(1)}k`;
  for (const r of rows) {
    out.push(
      `| ${r.name} | ${f(r.ka)} | ${(r.ka / base.ka).toFixed(2)} | ${(r.ka / routed.ka).toFixed(2)} | ${f(r.close)} | ${(r.close / base.close).toFixed(2)} | ${(r.close / routed.close).toFixed(2)} | ${r.errors} |`,
    );
  }
  return out;
}

async function controlPlane(topo: Topology): Promise<string[]> {
  const out = ['| control-plane operation | time |', '|---|---|'];
  for (const [services, per] of [
    [100, 10],
    [10, 1000],
  ] as const) {
    const director = new Director(systemClock, DEFAULT_TIMEOUTS);
    for (let s = 0; s < services; s++) {
      const reals = Array.from({ length: per }, (_, i) =>
        real(`198.51.${100 + Math.floor(i / 250)}.${1 + (i % 250)}`, 8080, 'masq'),
      );
      director.addService(spec('203.0.113.240', 1000 + s, 'wrr'), reals);
    }
    const engine = new NftEngine(director, {
      exec: topo.exec('d'),
      statsIntervalMs: 0,
      table: 'webfarm_bench',
    });
    const apply = await timed(() => engine.start());
    out.push(
      `| start: render + apply ${services} services × ${per} real servers (wrr) | ${apply.toFixed(0)} ms |`,
    );
    const svcId = `tcp:203.0.113.240:1000`;
    const changes: number[] = [];
    const slotsTouched: number[] = [];
    for (let k = 0; k < 11; k++) {
      const t = await timed(async () => {
        director.editReal(svcId, '198.51.100.1:8080', { weight: 1 + ((k + 1) % 3) });
        await engine.settled();
      });
      if (engine.lastPlan !== 'elements' && engine.lastPlan !== 'rules')
        throw new Error(`expected an element/rule-only change, got ${engine.lastPlan}`);
      changes.push(t);
      slotsTouched.push(engine.lastScript.length);
    }
    out.push(
      `| one real server's weight change → applied (${engine.lastPlan}, nft -i; median of 11, batch ≈ ${median(slotsTouched)} bytes), ${services} × ${per} | ${median(changes).toFixed(1)} ms (min ${Math.min(...changes).toFixed(1)}) |`,
    );
    await engine.stop();
  }
  const reals = Array.from({ length: 1000 }, (_, i) => ({
    address: `198.51.100.${i % 250}`,
    port: 1000 + i,
    lastWeight: 1,
  }));
  for (const m of [65537, 65521]) {
    const t = median(
      await Promise.all(Array.from({ length: 5 }, () => timed(() => buildMaglevTable(reals, m)))),
    );
    out.push(
      `| Maglev table build, N = 1,000, M = ${m.toLocaleString('en')} (median of 5) | ${t.toFixed(1)} ms |`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const why = netnsUnavailable();
  if (why) {
    process.stderr.write(`nft-bench: ${why}\n`);
    process.exit(2);
  }
  const topo = new Topology('b');
  const dir = await mkdtemp(join(tmpdir(), 'wf-nft-bench-'));
  const stop = async () => {
    await topo.destroy();
    await rm(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    void stop().finally(() => process.exit(130));
  });
  try {
    if (controlOnly) await topo.addHost('d', []);
    else await topology(topo, dir);
    const data = controlOnly ? ['(data plane skipped: --control-only)'] : await dataPlane(topo);
    const control = await controlPlane(topo);
    process.stdout.write(
      `### nft engine — wrk -t1 -c50 -d${seconds}s, nginx 1 worker, one real server\n\n${data.join('\n')}\n\n${control.join('\n')}\n`,
    );
  } finally {
    await stop();
  }
}

await main();
