import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildAdminApi } from '../../src/admin/api.ts';
import { NO_PORT_NAMES } from '../../src/admin/ipvsadm/address.ts';
import { type AdminServer, listenAdmin } from '../../src/admin/server.ts';
import { ipvsadmCommand } from '../../src/cli/ipvsadm.ts';
import { type ProxyFarm, realAt, startProxyFarm } from '../support/farm.ts';
import { LOOPBACK, connectTcp, freePort, within } from '../support/net.ts';
import { type TestServer, echoServer, nameServer } from '../support/servers.ts';

// `webfarm ipvsadm` against a running director (in-process, admin API on a temporary socket), with a
// long-lived TCP connection through an existing service that must stay undisturbed by every change.
const BIN = new URL('../../bin/webfarm.js', import.meta.url).pathname;
let farm: ProxyFarm;
let echo: TestServer;
let b: TestServer;
let c: TestServer;
let admin: AdminServer;
let dir: string;
let socket: string;
let held: Socket;

before(async () => {
  echo = await echoServer();
  b = await nameServer('b');
  c = await nameServer('c');
  farm = await startProxyFarm({ reals: [realAt(echo.port)] });
  const info = { pid: process.pid, startedAt: new Date(0).toISOString(), engine: 'proxy', config: undefined };
  dir = await mkdtemp(join(tmpdir(), 'wf-ipvsadm-'));
  socket = join(dir, 'admin.sock');
  admin = await listenAdmin(buildAdminApi(farm.director, info, { engine: farm.engine }), socket);
  held = await connectTcp(farm.port);
  await roundTrip('hello');
});

after(async () => {
  held.destroy();
  await admin.close();
  await farm.stop();
  await Promise.all([echo.close(), b.close(), c.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** The long-lived connection still echoes. */
async function roundTrip(text: string): Promise<void> {
  held.write(text);
  const [got] = (await within(once(held, 'data'), `echo of ${text}`)) as [Buffer];
  assert.equal(got.toString(), text);
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function ipvsadm(line: string, stdin = ''): Promise<Run> {
  let out = '';
  let err = '';
  const io = {
    stdout: (s: string) => {
      out += s;
    },
    stderr: (s: string) => {
      err += s;
    },
  };
  const args = ['--admin-socket', socket, ...line.split(' ').filter(Boolean)];
  const code = await ipvsadmCommand(args, io, { stdin: async () => stdin, names: NO_PORT_NAMES });
  return { code, out, err };
}

async function ok(line: string, stdin?: string): Promise<string> {
  const r = await ipvsadm(line, stdin);
  assert.equal(r.code, 0, `${line}: ${r.err}`);
  return r.out;
}

async function nameVia(port: number): Promise<string> {
  const s = await connectTcp(port);
  const chunks: Buffer[] = [];
  s.on('data', (d: Buffer) => chunks.push(d));
  await within(once(s, 'close'), `reply through ${port}`);
  return Buffer.concat(chunks).toString();
}

const row = (addr: string, fwd: string, w: number, act: number, inact: number) =>
  `  -> ${addr.padEnd(28)} ${fwd.padEnd(7)} ${String(w).padEnd(6)} ${String(act).padEnd(10)} ${String(inact).padEnd(10)}\n`;

test('-A/-a/-e/-d/-D change the live table; -L -n, --stats, -Z, --set, -c print ipvsadm formats', async () => {
  const port = await freePort();
  const vip = `${LOOPBACK}:${port}`;
  const rb = `${LOOPBACK}:${b.port}`;
  const rc = `${LOOPBACK}:${c.port}`;
  await ok(`-A -t ${vip} -s rr`);
  await ok(`-a -t ${vip} -r ${rb} -m -w 2`);
  const implicit = await ipvsadm(`-a -t ${vip} -r ${rc}`);
  assert.equal(implicit.code, 0);
  assert.match(implicit.err, /forwards as -m \(masquerading\)/);
  const dr = await ipvsadm(`-a -t ${vip} -r 127.0.0.2 -g`);
  assert.equal(dr.code, 255);
  assert.match(dr.err, /direct routing .* needs the nft engine; the proxy engine forwards as masq/);
  await ok(`-e -t ${vip} -r ${rc} -m -w 5 -x 100`);
  await roundTrip('after adds');

  const svcLine = `TCP  ${vip} rr\n`;
  const list = await ok(`-L -n -t ${vip}`);
  assert.equal(
    list,
    'Prot LocalAddress:Port Scheduler Flags\n' +
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n' +
      svcLine +
      [
        [rb, b.port],
        [rc, c.port],
      ]
        .sort((x, y) => (x[1] as number) - (y[1] as number))
        .map(([a]) => row(a as string, 'Masq', a === rb ? 2 : 5, 0, 0))
        .join(''),
  );
  const all = await ok('-L -n');
  assert.ok(all.startsWith('IP Virtual Server version 1.2.1 (size=4096)\n'));
  assert.ok(all.includes(svcLine));
  assert.ok(
    all.includes(`TCP  ${LOOPBACK}:${farm.port} rr\n${row(`${LOOPBACK}:${echo.port}`, 'Masq', 1, 1, 0)}`),
  );

  // Traffic, then --stats counts it and -Z zeroes the totals.
  const seen = [await nameVia(port), await nameVia(port), await nameVia(port)];
  assert.ok(seen.includes('b') && seen.includes('c'), seen.join());
  const stats = await ok(`-L -n --stats -t ${vip}`);
  assert.match(stats, new RegExp(`^TCP  ${vip.replaceAll('.', '\\.')} +3 `, 'm'));
  await ok(`-Z -t ${vip}`);
  assert.match(
    await ok(`-L -n --stats -t ${vip}`),
    new RegExp(`^TCP  ${vip.replaceAll('.', '\\.')} +0 +0 +0 +0 +0$`, 'm'),
  );

  await ok('--set 600 0 0');
  assert.equal(await ok('-L --timeout'), 'Timeout (tcp tcpfin udp): 600 120 300\n');
  await ok('--set 900 0 0');

  const conns = await ok('-L -n -c');
  const local = held.localPort;
  assert.ok(
    conns.startsWith(
      'IPVS connection entries\npro expire state       source             virtual            destination\n',
    ),
  );
  assert.match(
    conns,
    new RegExp(
      `^TCP \\d\\d:\\d\\d  ESTABLISHED ${LOOPBACK}:${local} +${LOOPBACK}:${farm.port} +${LOOPBACK}:${echo.port}$`,
      'm',
    ),
  );

  await ok(`-d -t ${vip} -r ${rb}`);
  assert.equal((await ipvsadm(`-d -t ${vip} -r ${rb}`)).err, 'No such destination\n');
  assert.equal((await ipvsadm(`-a -t ${vip} -r ${rc} -m`)).err, 'Destination already exists\n');
  await ok(`-D -t ${vip}`);
  const again = await ipvsadm(`-D -t ${vip}`);
  assert.deepEqual([again.code, again.err], [255, 'No such service\n']);
  assert.deepEqual(await ipvsadm(`-L -t ${vip}`), { code: 1, out: '', err: 'No such service\n' });
  assert.equal((await ipvsadm(`-a -t ${vip} -r ${rc} -m`)).err, 'Service not defined\n');
  assert.equal(farm.director.services.has(`tcp:${vip}`), false);
  await roundTrip('after deletes');
});

test('-S | -C | -R reproduces the table, and the held connection is undisturbed', async () => {
  const port = await freePort();
  const vip = `${LOOPBACK}:${port}`;
  await ok(`-A -t ${vip} -s wlc -p 120 -M 255.255.255.0`);
  await ok(`-a -t ${vip} -r ${LOOPBACK}:${b.port} -m -w 3 -x 50 -y 10`);
  await ok(`-a -t ${vip} -r ${LOOPBACK}:${c.port} -m -w 0`);
  const saved = await ok('-S -n');
  assert.ok(saved.includes(`-A -t ${vip} -s wlc -p 120 -M 255.255.255.0\n`), saved);
  const listed = await ok(`-L -n -t ${vip}`);
  const thresholds = await ok(`-L -n --thresholds -t ${vip}`);
  assert.ok(thresholds.includes(' 50         10         0          0         \n'), thresholds);

  await ok('-C');
  assert.equal(await ok('-S -n'), '');
  await roundTrip('after clear');
  // A restore file as ipvsadm-save writes it, with a comment and a leading "ipvsadm" on one line.
  const input = `# saved\n${saved.replace('-A', 'ipvsadm -A')}\n`;
  await ok('-R', input);
  assert.equal(await ok('-S -n'), saved);
  assert.equal(await ok(`-L -n -t ${vip}`), listed);
  assert.equal(await ok(`-L -n --thresholds -t ${vip}`), thresholds);
  await roundTrip('after restore');
  assert.equal(await nameVia(port), 'b', 'weight 0 (c) gets nothing');

  // A bad line stops the restore with ipvsadm's status; lines before it stay applied.
  const bad = await ipvsadm('-R', `-Z\n-A -t ${LOOPBACK}:1 -w 3\n-D -t ${vip}\n`);
  assert.deepEqual([bad.code, bad.err], [2, "Illegal 'weight' option with the 'add-service' command\n"]);
  assert.equal(farm.director.services.has(`tcp:${vip}`), true);
  await ok(`-D -t ${vip}`);
});

test('the executable: webfarm ipvsadm prints the same table and uses ipvsadm exit codes', async () => {
  const run = (args: string[], input?: string) =>
    new Promise<Run>((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, 'ipvsadm', '--admin-socket', socket, ...args],
        (e, out, err) => resolve({ code: e ? Number(e.code) : 0, out, err }),
      );
      child.stdin?.end(input ?? '');
    });
  const inProcess = await ok('-L -n');
  const r = await within(run(['-L', '-n']), 'webfarm ipvsadm -L -n', 30_000);
  assert.deepEqual(
    [r.code, r.out.replace(/InActConn\n[\s\S]*/, '')],
    [0, inProcess.replace(/InActConn\n[\s\S]*/, '')],
  );
  const bad = await within(run(['-A', '-t', 'nowhere:80']), 'bad address', 30_000);
  assert.deepEqual([bad.code, bad.err], [2, 'illegal virtual server address[:port] specified\n']);
  const syntax = await within(run(['-L', '--bogus']), 'unknown option', 30_000);
  assert.deepEqual([syntax.code, syntax.err], [255, '--bogus: unknown option\n']);
  const down = await within(
    new Promise<Run>((resolve) =>
      execFile(
        process.execPath,
        [BIN, 'ipvsadm', '--admin-socket', join(dir, 'none.sock'), '-L', '-n'],
        (e, out, err) => resolve({ code: e ? Number(e.code) : 0, out, err }),
      ),
    ),
    'unreachable',
    30_000,
  );
  assert.equal(down.code, 2);
  assert.match(down.err, /cannot reach a director/);
});
