import type { ConfigIssue, ConfigPath } from '../config/issue.ts';
import { formatDuration } from '../config/duration.ts';
import { Draft } from './draft.ts';
import { type HaCf, parseHaCf } from './hacf-parse.ts';
import { type HaGroup, type HaResource, parseHaresources } from './haresources-parse.ts';
import {
  addLdirectord,
  finish,
  type ImportEngine,
  type ImportResult,
  importHeader,
} from './import-ldirectord.ts';

/**
 * ha.cf + haresources + authkeys (+ the ldirectord.cf files haresources names) → one native config with a
 * `cluster:` section (docs/import.md has the tables). Timing heartbeat would default is written out with
 * heartbeat's values (a webfarm node must keep the same pace as its heartbeat peer), as is the serial
 * speed. Directives without meaning are listed in `warnings` with their line. Pure but for the
 * `loadLdirectord` callback.
 */
export interface HaDInputs {
  readonly haCf: { file: string; text: string };
  readonly haresources: { file: string; text: string };
  /** Already checked (mode 0600, parses): the path, and the sending key's id and method for a comment. */
  readonly authkeys: { file: string; sendId: number; method: string };
  /** This host's name (uname -n). */
  readonly hostname: string;
  readonly node?: string;
  /** The engine the config names (import-ldirectord.ts ImportEngine); default proxy. */
  readonly engine?: ImportEngine;
  readonly extra: ReadonlyArray<{ file: string; text: string }>;
  /** An ldirectord resource's config file (undefined: heartbeat's default name). */
  readonly loadLdirectord: (name: string | undefined) => Promise<{ file: string; text: string } | undefined>;
}

/** heartbeat's serial speed when ha.cf has no `baud`. */
const HEARTBEAT_BAUD = 19200;

export async function assembleHaD(i: HaDInputs): Promise<ImportResult> {
  const cf = parseHaCf(i.haCf.text, i.haCf.file);
  const res = parseHaresources(i.haresources.text, i.haresources.file);
  const issues = [...(cf.ok ? [] : cf.issues), ...(res.ok ? [] : res.issues)];
  if (!cf.ok || !res.ok) return { ok: false, issues };
  const ld = await ldirectordFiles(res.groups, i, issues);
  const draft = new Draft();
  importHeader(draft, [i.haCf.file, i.haresources.file, i.authkeys.file, ...ld.map((f) => f.file)]);
  draft.data.engine = i.engine ?? 'proxy';
  if (ld.length > 0) draft.data.health = {};
  draft.data.services = [];
  issues.push(...addLdirectord(draft, ld));
  const warnings = [...cf.value.ignored];
  for (const n of cf.value.notes) draft.note([], n);
  const cluster = clusterSection(cf.value, res.groups, i, draft, issues, warnings);
  draft.data.cluster = cluster;
  if (issues.length > 0) return { ok: false, issues, warnings };
  for (const w of cf.value.ignored) draft.note([], w);
  if (cluster.node !== undefined) return { ...finish(draft), warnings };
  // Validate as if we were the first node (the node name is a fact of the director), print without it.
  cluster.node = (cluster.nodes as string[])[0];
  const checked = finish(draft);
  delete cluster.node;
  return checked.ok ? { ok: true, yaml: draft.render(), warnings } : { ...checked, warnings };
}

async function ldirectordFiles(
  groups: readonly HaGroup[],
  i: HaDInputs,
  issues: ConfigIssue[],
): Promise<Array<{ file: string; text: string }>> {
  const out = [...i.extra];
  for (const g of groups) {
    for (const r of g.resources) {
      if (r.kind !== 'ldirectord') continue;
      const f = await i.loadLdirectord(r.file);
      if (f === undefined) {
        const name = r.file ?? 'ldirectord.cf';
        issues.push({
          file: i.haresources.file,
          ...r.at,
          message: `ldirectord::${name}: cannot find ${name}`,
        });
      } else if (!out.some((o) => o.file === f.file)) out.push(f);
    }
  }
  return out;
}

function clusterSection(
  cf: HaCf,
  groups: readonly HaGroup[],
  i: HaDInputs,
  draft: Draft,
  issues: ConfigIssue[],
  warnings: string[],
): Record<string, unknown> {
  const fromCf = (path: ConfigPath, at: { line: number; col: number }) =>
    draft.from(['cluster', ...path], { file: i.haCf.file, ...at });
  const fromRes = (path: ConfigPath, at: { line: number; col: number }) =>
    draft.from(['cluster', ...path], { file: i.haresources.file, ...at });
  const c: Record<string, unknown> = {};
  const nodes = cf.nodes.map((n) => n.name);
  if (i.node !== undefined) {
    if (!nodes.includes(i.node)) {
      issues.push({
        file: i.haCf.file,
        line: 0,
        col: 0,
        message: `--node ${i.node} is not a node of ${i.haCf.file} (${nodes.join(', ')})`,
      });
    }
    c.node = i.node;
  } else if (!nodes.includes(i.hostname) && nodes.length > 0) {
    warnings.push(
      `webfarm import: this host (${i.hostname}) is not a node of ${i.haCf.file}; the output uses uname -n, so set cluster.node on each director (or pass --node NAME)`,
    );
  }
  c.nodes = nodes;
  for (const [k, n] of cf.nodes.entries()) fromCf(['nodes', k], n.at);
  if (cf.nodes[0]) fromCf(['nodes'], cf.nodes[0].at);
  c.media = cf.media.map((m, k) => {
    fromCf(['media', k], m.at);
    if (m.medium.type !== 'serial') return { ...m.medium };
    const baud = cf.baud?.value ?? HEARTBEAT_BAUD;
    if (cf.baud === undefined) draft.trail(['cluster', 'media', k, 'baud'], "heartbeat's default");
    else fromCf(['media', k, 'baud'], cf.baud.at);
    return { ...m.medium, baud };
  });
  c.timing = timing(cf, draft, fromCf);
  c.auth = { authkeys_file: i.authkeys.file };
  draft.trail(
    ['cluster', 'auth', 'authkeys_file'],
    `signs with id ${i.authkeys.sendId} (${i.authkeys.method}); mode 0600`,
  );
  const af = cf.autoFailback;
  c.auto_failback = af?.value ?? true;
  if (af) {
    fromCf(['auto_failback'], af.at);
    if (af.note) draft.trail(['cluster', 'auto_failback'], af.note);
  } else draft.trail(['cluster', 'auto_failback'], "heartbeat's default (legacy = on)");
  c.resource_groups = groups.map((g, gi) => {
    fromRes(['resource_groups', gi], g.at);
    fromRes(['resource_groups', gi, 'preferred'], g.at);
    // With the nft engine the services go first: direct-routing rules must be in force whenever the
    // address is local (config/cluster-semantic.ts refuses the other order). heartbeat's order otherwise.
    const services = (r: HaResource) => r.kind === 'ldirectord';
    const ordered =
      i.engine === 'nft'
        ? [...g.resources.filter(services), ...g.resources.filter((r) => !services(r))]
        : g.resources;
    return {
      preferred: g.node,
      resources: ordered.map((r, ri) => {
        fromRes(['resource_groups', gi, 'resources', ri], r.at);
        const path = ['cluster', 'resource_groups', gi, 'resources', ri];
        if (ordered !== g.resources && services(r) && g.resources.indexOf(r) !== ri)
          draft.note(
            path,
            'moved before the addresses: the nft engine must forward whenever the address is here',
          );
        return resource(r, path, draft);
      }),
    };
  });
  if (cf.ping.length > 0) {
    c.ping_nodes = cf.ping.map((p, k) => {
      fromCf(['ping_nodes', k], p.at);
      return p.address;
    });
  }
  if (cf.stonith) {
    c.stonith = { command: cf.stonith.command };
    fromCf(['stonith'], cf.stonith.at);
  }
  return c;
}

/** Every timing value written, heartbeat's later defaults for the ones ha.cf leaves out (§2.3). */
function timing(
  cf: HaCf,
  draft: Draft,
  fromCf: (path: ConfigPath, at: { line: number; col: number }) => void,
): Record<string, string> {
  const t = cf.timing;
  const keepalive = t.keepalive?.ms ?? 1000;
  const deadtime = t.deadtime?.ms ?? 30_000;
  const warntime = t.warntime?.ms ?? Math.floor(deadtime / 2);
  const initdead = t.initdead?.ms ?? (deadtime > 10_000 ? deadtime : deadtime < 6000 ? 12_000 : 2 * deadtime);
  const values = { keepalive, warntime, deadtime, initdead };
  const out: Record<string, string> = {};
  for (const [k, ms] of Object.entries(values)) {
    out[k] = formatDuration(ms);
    const given = t[k as keyof typeof t];
    if (given) fromCf(['timing', k], given.at);
    else draft.trail(['cluster', 'timing', k], "heartbeat's default");
  }
  return out;
}

function resource(r: HaResource, path: ConfigPath, draft: Draft): Record<string, unknown> {
  switch (r.kind) {
    case 'ipaddr': {
      if (r.broadcast !== undefined)
        draft.note(path, `broadcast ${r.broadcast}: ignored (derived from the prefix)`);
      if (r.prefix === undefined && r.device === undefined) return { ipaddr: r.address };
      return {
        ipaddr: {
          address: r.address,
          ...(r.prefix === undefined ? {} : { prefix: r.prefix }),
          ...(r.device === undefined ? {} : { device: r.device }),
        },
      };
    }
    case 'ldirectord':
      draft.note(
        path,
        `ldirectord${r.file === undefined ? '' : `::${r.file}`}: its virtual services are the services above`,
      );
      return { services: true };
    case 'script':
      return { script: { path: `/etc/ha.d/resource.d/${r.name}`, args: r.args } };
  }
}
