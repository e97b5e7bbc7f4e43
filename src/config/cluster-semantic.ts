import { isIP } from 'node:net';
import { parseAuthkeys, checkAuthkeysMode } from '../cluster/authkeys-file.ts';
import { checkTiming, type Timing, type TimingField } from '../cluster/membership/timing.ts';
import { type ClusterConfig, clusterSchema } from './cluster-schema.ts';
import { type ClusterHost, fsClusterHost } from './cluster-host.ts';
import { formatDuration } from './duration.ts';
import type { IsExecutable } from './health-semantic.ts';
import type { PathIssue } from './issue.ts';
import { unknownName } from './suggest.ts';
import { resourceKey } from './to-cluster.ts';

/**
 * The `cluster:` rules the schema cannot express (docs/config.md "cluster"): our own node among `nodes`,
 * every group's preferred node known, no duplicate nodes or group keys, the director's services in at most
 * one group, timing order (membership/timing.ts: deadtime > 2 × keepalive, keepalive < warntime <
 * deadtime, initdead ≥ deadtime), a key for keyed auth methods and none for crc. With a `host`, also the
 * facts of this machine: each medium's network device exists (serial: the tty path), key files are not
 * accessible by group or others (heartbeat's authkeys rule) and parse, the STONITH command and scripts
 * are executable. Pure given `host` and `isExecutable`.
 */
export interface ClusterCheckContext {
  /** Whether `node` was written (else it is this host's name, and messages say so). */
  readonly nodeWritten: boolean;
  /** Undefined: skip the host checks (webfarm import). */
  readonly host: ClusterHost | undefined;
  readonly isExecutable: IsExecutable;
}

const AT = 'cluster';

/** A section that failed the schema in places: the parts that passed (see clusterIssues). */
export type PartialCluster = { [K in keyof ClusterConfig]?: ClusterConfig[K] | undefined };

export function checkCluster(c: PartialCluster, ctx: ClusterCheckContext): PathIssue[] {
  const issues: PathIssue[] = [];
  const add = (path: Array<string | number>, message: string) =>
    issues.push({ path: [AT, ...path], message });
  checkNodes(c, ctx, add);
  checkGroups(c, add);
  if (c.timing) for (const p of timingProblems(c.timing)) add(['timing', p.field], p.message);
  checkAuth(c, ctx.host, add);
  if (ctx.host) checkHost(c, ctx.host, ctx.isExecutable, add);
  return issues;
}

type Add = (path: Array<string | number>, message: string) => void;

function checkNodes(c: PartialCluster, ctx: ClusterCheckContext, add: Add): void {
  if (c.nodes === undefined) return;
  const nodes = c.nodes;
  const seen = new Map<string, number>();
  c.nodes.forEach((n, i) => {
    const first = seen.get(n);
    if (first === undefined) seen.set(n, i);
    else add(['nodes', i], `duplicate node "${n}" (also nodes[${first}])`);
  });
  if (c.node === undefined || seen.has(c.node)) return;
  if (ctx.nodeWritten) add(['node'], `"${c.node}" is not in nodes (${nodes.join(', ')})`);
  else {
    add(
      ['nodes'],
      `this host's name "${c.node}" (uname -n) is not in nodes (${nodes.join(', ')}); add it, or set cluster.node`,
    );
  }
}

function checkGroups(c: PartialCluster, add: Add): void {
  const keys = new Map<string, number>();
  const addresses = new Map<string, string>();
  let servicesAt: string | undefined;
  const nodes = c.nodes;
  c.resource_groups?.forEach((g, gi) => {
    if (nodes !== undefined && !nodes.includes(g.preferred)) {
      add(
        ['resource_groups', gi, 'preferred'],
        `${unknownName('node', g.preferred, nodes)}; list it in nodes`,
      );
    }
    g.resources.forEach((r, ri) => {
      const where = `resource_groups[${gi}].resources[${ri}]`;
      const at = ['resource_groups', gi, 'resources', ri];
      if (ri === 0) {
        const key = resourceKey(r);
        const first = keys.get(key);
        if (first === undefined) keys.set(key, gi);
        else add(at, `the group key ${key} (first resource) is also the key of resource_groups[${first}]`);
      }
      if (r.ipaddr) {
        const a = r.ipaddr.address;
        const first = addresses.get(a);
        if (first !== undefined) add([...at, 'ipaddr'], `${a} is also managed by ${first}`);
        else addresses.set(a, where);
        const max = isIP(a) === 4 ? 32 : 128;
        if (r.ipaddr.prefix !== undefined && r.ipaddr.prefix > max) {
          add([...at, 'ipaddr', 'prefix'], `${r.ipaddr.prefix} is out of range 0..${max} for ${a}`);
        }
      }
      if (r.services) {
        if (servicesAt !== undefined)
          add([...at, 'services'], `the services are already a resource of ${servicesAt}`);
        else servicesAt = where;
      }
    });
  });
}

const TIMING_KEYS: Record<TimingField, keyof ClusterConfig['timing']> = {
  keepaliveMs: 'keepalive',
  warntimeMs: 'warntime',
  deadtimeMs: 'deadtime',
  initdeadMs: 'initdead',
};

/** membership/timing.ts's rules, its messages with our key names and durations. */
export function timingProblems(t: ClusterConfig['timing']): Array<{ field: string; message: string }> {
  const input: { -readonly [K in keyof Timing]?: number } = {};
  if (t.keepalive !== undefined) input.keepaliveMs = t.keepalive;
  if (t.warntime !== undefined) input.warntimeMs = t.warntime;
  if (t.deadtime !== undefined) input.deadtimeMs = t.deadtime;
  if (t.initdead !== undefined) input.initdeadMs = t.initdead;
  const r = checkTiming(input);
  if (r.ok) return [];
  return r.problems.map((p) => ({
    field: TIMING_KEYS[p.field],
    message: p.message.replace(
      /(\w+)Ms \((\d+)\)/g,
      (_m, name: string, ms: string) => `${name} (${formatDuration(Number(ms))})`,
    ),
  }));
}

function checkAuth(c: PartialCluster, host: ClusterHost | undefined, add: Add): void {
  const a = c.auth;
  if (a === undefined) return;
  const hasKey = a.key !== undefined || a.key_file !== undefined;
  if (a.authkeys_file === undefined) {
    if (a.method === 'crc' && hasKey)
      add(['auth', a.key !== undefined ? 'key' : 'key_file'], 'crc takes no key');
    if (a.method !== 'crc' && !hasKey) {
      add(
        ['auth'],
        `method ${a.method} needs key, key_file or authkeys_file (crc is the only method without a key)`,
      );
    }
    if (a.key === '') add(['auth', 'key'], 'must not be empty');
  }
  if (!host) return;
  for (const field of ['key_file', 'authkeys_file'] as const) {
    const path = a[field];
    if (path === undefined) continue;
    const mode = host.fileMode(path);
    const text = host.readFile(path);
    if (mode === undefined || text === undefined) {
      add(['auth', field], `cannot read ${path}`);
      continue;
    }
    const m = checkAuthkeysMode(mode);
    if (!m.ok) add(['auth', field], `${path}: ${m.message}`);
    if (field === 'key_file' && text.trim() === '') add(['auth', field], `${path} is empty`);
    if (field === 'authkeys_file') {
      const parsed = parseAuthkeys(text);
      if (!parsed.ok) {
        for (const i of parsed.issues)
          add(['auth', field], `${path}${i.line > 0 ? `:${i.line}` : ''}: ${i.message}`);
      }
    }
  }
}

function checkHost(c: PartialCluster, host: ClusterHost, isExecutable: IsExecutable, add: Add): void {
  const names = host.interfaceNames();
  const noDevice = (d: string) =>
    `network device "${d}" does not exist on this host (it has: ${names.join(', ')})`;
  c.media?.forEach((m, i) => {
    if (m.type === 'serial') {
      if (!host.pathExists(m.device))
        add(['media', i, 'device'], `serial device ${m.device} does not exist on this host`);
    } else if (!names.includes(m.device)) {
      add(['media', i, 'device'], noDevice(m.device));
    }
  });
  c.resource_groups?.forEach((g, gi) => {
    g.resources.forEach((r, ri) => {
      const at = ['resource_groups', gi, 'resources', ri];
      const dev = r.ipaddr?.device;
      if (dev !== undefined && !names.includes(dev)) add([...at, 'ipaddr', 'device'], noDevice(dev));
      if (r.script && !isExecutable(r.script.path))
        add([...at, 'script', 'path'], notExecutable(r.script.path));
    });
  });
  const cmd = c.stonith?.command[0];
  if (cmd !== undefined && !isExecutable(cmd)) add(['stonith', 'command'], notExecutable(cmd));
}

function notExecutable(cmd: string): string {
  return `"${cmd}" is not an executable file${cmd.includes('/') ? '' : ' on PATH'}`;
}

/**
 * The cluster rules for a whole file's data (load.ts): run on the parsed section, or — when the file
 * failed the schema elsewhere — on the `cluster:` section alone if it parses on its own.
 */
export function clusterIssues(
  data: unknown,
  parsed: ClusterConfig | undefined,
  host: ClusterHost | 'skip' | undefined,
  isExecutable: IsExecutable,
): PathIssue[] {
  const raw = (data as { cluster?: unknown } | null)?.cluster;
  if (raw === undefined || raw === null) return [];
  const c = parsed ?? partsThatParse(raw);
  if (c === undefined) return [];
  const nodeWritten = typeof raw === 'object' && (raw as { node?: unknown }).node !== undefined;
  return checkCluster(c, {
    nodeWritten,
    host: host === 'skip' ? undefined : (host ?? fsClusterHost),
    isExecutable,
  });
}

/** The section without the top-level keys that fail the schema, parsed with every key optional. */
function partsThatParse(raw: unknown): PartialCluster | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const whole = clusterSchema.safeParse(raw);
  if (whole.success) return whole.data;
  const bad = new Set(whole.error.issues.map((i) => i.path[0]));
  const kept = Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k)));
  const part = clusterSchema.partial().safeParse(kept);
  return part.success ? part.data : undefined;
}
