import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { adminRequest } from '../../src/admin/client.ts';
import { buildAdminApi } from '../../src/admin/api.ts';
import type { ClusterControl, ClusterDoc } from '../../src/admin/routes/cluster.ts';
import { countersDoc } from '../../src/admin/routes/cluster.ts';
import { clusterCommand } from '../../src/cli/cluster-command.ts';
import { formatStatus } from '../../src/cli/status-format.ts';
import { emptyReceiveCounters } from '../../src/cluster/receive-counters.ts';
import { DEFAULT_TIMING } from '../../src/cluster/membership/timing.ts';
import { Director } from '../../src/director/director.ts';
import { DEFAULT_TIMEOUTS } from '../../src/director/timeouts.ts';
import { isWebfarmError } from '../../src/model/errors.ts';
import { systemClock } from '../../src/platform/clock.ts';

/**
 * GET /v1/cluster, POST /v1/cluster/standby|takeover over a fake ClusterControl (the composition root's
 * real one runs in the failover system tests), `webfarm standby|takeover [--wait]` against them, and the
 * cluster block of `webfarm status`.
 */

const GROUP = 'IPaddr::192.0.2.240/24/eth0';

function doc(owner: string | null, op: 'take' | 'give' | null = null): ClusterDoc {
  return {
    node: 'dira',
    status: 'active',
    generation: 7,
    timing: DEFAULT_TIMING,
    autoFailback: true,
    standby: owner === 'dirb',
    peers: [
      {
        name: 'dirb',
        status: 'up',
        links: [
          { name: 'bcast eth0', status: 'up' },
          { name: 'serial /dev/ttyS0', status: 'dead' },
        ],
      },
    ],
    media: [
      { name: 'bcast eth0', status: 'up' },
      { name: 'serial /dev/ttyS0', status: 'up' },
    ],
    groups: [{ key: GROUP, preferred: 'dira', owner, op }],
    counters: countersDoc({ ...emptyReceiveCounters(), accepted: 120, 'bad-digest': 2, malformed: 1 }),
  };
}

/** A control whose groups move one poll after a command, and which refuses what `refuse` names. */
class FakeControl implements ClusterControl {
  current = doc('dira');
  next: ClusterDoc | undefined;
  refuse: string | undefined;
  readonly calls: string[] = [];
  async doc(): Promise<ClusterDoc> {
    const d = this.current;
    if (this.next) {
      this.current = this.next;
      this.next = undefined;
    }
    return d;
  }
  standby() {
    return this.#command('standby', doc('dirb'));
  }
  takeover() {
    return this.#command('takeover', doc('dira'));
  }
  #command(kind: string, after: ClusterDoc) {
    this.calls.push(kind);
    if (this.refuse === kind) return { accepted: false, reason: 'the peer is not up' };
    this.current = { ...this.current, groups: [{ key: GROUP, preferred: 'dira', owner: null, op: 'give' }] };
    this.next = after;
    return { accepted: true, reason: `${kind} reason` };
  }
}

let dir: string;
const servers: Server[] = [];
const control = new FakeControl();
const director = new Director(systemClock, DEFAULT_TIMEOUTS);
const info = { pid: 1, startedAt: new Date(0).toISOString(), engine: 'proxy', config: undefined };

async function serve(name: string, cluster?: ClusterControl): Promise<string> {
  const http = createServer(buildAdminApi(director, info, cluster ? { cluster } : {}));
  const socket = join(dir, `${name}.sock`);
  http.listen(socket);
  await once(http, 'listening');
  servers.push(http);
  return socket;
}

let withCluster: string;
let without: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-cluster-api-'));
  withCluster = await serve('with', control);
  without = await serve('without');
});

after(async () => {
  for (const s of servers) s.close();
  director.stop();
  await rm(dir, { recursive: true, force: true });
});

const errorCode = (e: unknown) =>
  isWebfarmError(e) ? (e.cause as { error?: { code?: string } } | undefined)?.error?.code : undefined;

test('a director without a cluster answers 409 WF_ERR_CLUSTER_UNAVAILABLE on every cluster route', async () => {
  for (const [method, path] of [
    ['GET', '/v1/cluster'],
    ['POST', '/v1/cluster/standby'],
    ['POST', '/v1/cluster/takeover'],
  ] as const) {
    await assert.rejects(adminRequest(without, method, path, method === 'POST' ? {} : undefined), (e) => {
      assert.equal(errorCode(e), 'WF_ERR_CLUSTER_UNAVAILABLE', `${method} ${path}`);
      return true;
    });
  }
});

test('GET /v1/cluster: members, links, groups with their owner, rejected packets by reason', async () => {
  control.current = doc('dira');
  const d = (await adminRequest(withCluster, 'GET', '/v1/cluster')) as ClusterDoc;
  assert.deepEqual(d.peers[0]?.links[1], { name: 'serial /dev/ttyS0', status: 'dead' });
  assert.deepEqual(d.groups, [{ key: GROUP, preferred: 'dira', owner: 'dira', op: null }]);
  assert.equal(d.counters.accepted, 120);
  assert.equal(d.counters.rejected['bad-digest'], 2);
  assert.equal(d.counters.rejected['replayed-sequence'], 0, 'every reason is listed');
  assert.equal('accepted' in d.counters.rejected, false);
});

test('POST standby/takeover: 202 when accepted, 409 WF_ERR_CLUSTER_REFUSED with the reason, 400 on a body', async () => {
  control.refuse = undefined;
  assert.deepEqual(await adminRequest(withCluster, 'POST', '/v1/cluster/takeover', {}), {
    takeover: true,
    reason: 'takeover reason',
  });
  control.refuse = 'standby';
  await assert.rejects(adminRequest(withCluster, 'POST', '/v1/cluster/standby', {}), (e) => {
    assert.equal(errorCode(e), 'WF_ERR_CLUSTER_REFUSED');
    assert.match((e as Error).message, /standby refused: the peer is not up/);
    return true;
  });
  const before = control.calls.length;
  await assert.rejects(adminRequest(withCluster, 'POST', '/v1/cluster/standby', { now: true }), (e) => {
    assert.equal(errorCode(e), 'WF_ERR_ADMIN_BAD_REQUEST');
    return true;
  });
  assert.equal(control.calls.length, before, 'a bad body reaches no command');
  control.refuse = undefined;
});

function captureIo() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s: string) => (out.stdout += s), stderr: (s: string) => (out.stderr += s) } };
}

test('webfarm standby --wait follows GET /v1/cluster until nothing is held here', async () => {
  control.current = doc('dira');
  const { out, io } = captureIo();
  assert.equal(await clusterCommand('standby', ['--wait', '-s', withCluster], io), 0);
  assert.match(out.stdout, /standby accepted: standby reason/);
  assert.match(out.stdout, /held by dirb/);
});

test('webfarm takeover refused: exit 1 with the reason; a bad --timeout is a usage error', async () => {
  control.refuse = 'takeover';
  const { out, io } = captureIo();
  assert.equal(await clusterCommand('takeover', ['-s', withCluster], io), 1);
  assert.match(out.stderr, /takeover refused: the peer is not up/);
  control.refuse = undefined;
  await assert.rejects(clusterCommand('takeover', ['--timeout', 'soon', '-s', withCluster], io), (e) => {
    assert.equal(isWebfarmError(e) && e.code, 'WF_ERR_CLI_USAGE');
    return true;
  });
});

test('webfarm status shows the cluster block: peers and links, groups and owners, rejects', () => {
  const text = formatStatus({
    pid: 1,
    startedAt: 'then',
    engine: 'proxy',
    config: 'f.yaml',
    services: [],
    cluster: doc('dira'),
  });
  assert.deepEqual(text.split('\n').slice(1, 5), [
    'cluster node dira (active), generation 7',
    '  peer dirb up — bcast eth0 up, serial /dev/ttyS0 dead',
    `  group ${GROUP} preferred dira: held by dira`,
    '  packets accepted 120, rejected 3 (malformed 1, bad-digest 2)',
  ]);
  const plain = formatStatus({ pid: 1, startedAt: 'then', engine: 'proxy', config: 'f.yaml', services: [] });
  assert.doesNotMatch(plain, /cluster/);
});
