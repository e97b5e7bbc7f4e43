import type { ClusterDoc } from '../admin/routes/cluster.ts';
import type { RealServerSnapshot, ServiceSnapshot } from '../director/snapshot.ts';
import { formatEndpoint } from '../model/endpoint.ts';

/** The status document the admin API returns (GET /v1/status). */
export interface StatusDoc {
  pid: number;
  startedAt: string;
  engine: string;
  config: string | undefined;
  services: ServiceSnapshot[];
  /** GET /v1/cluster, when the director runs a cluster (status.ts adds it). */
  cluster?: ClusterDoc;
}

const REAL_HEADER = [
  '  -> RemoteAddress:Port',
  'Forward',
  'Weight',
  'Health',
  'Admin',
  'ActiveConn',
  'InActConn',
  'LastCheck',
];

/** Human-readable status: one block per service, reals sorted by address like `ipvsadm -L -n`. Pure. */
export function formatStatus(doc: StatusDoc): string {
  const lines = [
    `webfarm director pid ${doc.pid}, engine ${doc.engine}, config ${doc.config ?? '(demo)'}, started ${doc.startedAt}`,
  ];
  if (doc.cluster) lines.push(...clusterBlock(doc.cluster));
  lines.push(`${doc.services.length} virtual service(s)`);
  for (const s of doc.services) lines.push('', ...serviceBlock(s));
  return `${lines.join('\n')}\n`;
}

/** Who is active, the peers and their links, the groups and their owners, rejected packets. */
export function clusterBlock(c: ClusterDoc): string[] {
  const mode = c.standby ? ', standby' : '';
  const lines = [`cluster node ${c.node} (${c.status}${mode}), generation ${c.generation}`];
  for (const p of c.peers) {
    const links = p.links.map((l) => `${l.name} ${l.status}`).join(', ');
    lines.push(`  peer ${p.name} ${p.status}${links ? ` — ${links}` : ''}`);
  }
  const down = c.media.filter((m) => m.status !== 'up');
  if (down.length > 0) lines.push(`  media not up: ${down.map((m) => `${m.name} ${m.status}`).join(', ')}`);
  for (const g of c.groups) {
    const op = g.op ? ` (${g.op} under way)` : '';
    lines.push(`  group ${g.key} preferred ${g.preferred}: held by ${g.owner ?? 'nobody'}${op}`);
  }
  const rejected = Object.entries(c.counters.rejected).filter(([r, n]) => n > 0 && r !== 'duplicate');
  const total = rejected.reduce((sum, [, n]) => sum + n, 0);
  const detail = rejected.map(([r, n]) => `${r} ${n}`).join(', ');
  lines.push(`  packets accepted ${c.counters.accepted}, rejected ${total}${detail ? ` (${detail})` : ''}`);
  return lines;
}

function serviceBlock(s: ServiceSnapshot): string[] {
  const flags = s.flags.length ? ` (${s.flags.join(',')})` : '';
  const persist = s.persistence ? ` persistent ${s.persistence.timeoutMs / 1000}` : '';
  const label = s.name ? `  [${s.name}]` : '';
  const head = `${s.protocol.toUpperCase()}  ${formatEndpoint(s.address, s.port)} ${s.scheduler}${flags}${persist}${label}`;
  const totals = `  connections ${s.stats.conns} total, ${s.connections} open, ${s.refused} refused`;
  const rows = [...s.reals].sort(byAddress).map(realRow);
  return [head, totals, formatRow(REAL_HEADER), ...rows];
}

function realRow(r: RealServerSnapshot): string {
  const weight = r.weight === r.configuredWeight ? `${r.weight}` : `${r.weight}/${r.configuredWeight}`;
  const marks = [
    r.health,
    ...(r.overloaded ? ['overload'] : []),
    ...(r.fallback ? ['fallback'] : []),
    ...(r.passive === 'ejected' ? ['ejected'] : []),
  ];
  const health = marks.join(',');
  return formatRow([
    `  -> ${formatEndpoint(r.address, r.port)}`,
    r.forward,
    weight,
    health,
    r.admin,
    `${r.activeConns}`,
    `${r.inactConns}`,
    checkCell(r),
  ]);
}

/** The last check's result, else why health is what it is (maintenance, not checked yet); `-` if unchecked. */
function checkCell(r: RealServerSnapshot): string {
  const text =
    r.healthReason === 'maintenance'
      ? 'maintenance'
      : r.lastCheck
        ? `${r.lastCheck.ok ? 'ok' : 'fail'}: ${r.lastCheck.text}`
        : (r.healthReason ?? '-');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

const WIDTHS = [32, 8, 7, 14, 12, 11, 10];

function formatRow(cells: string[]): string {
  return cells
    .map((c, i) => c.padEnd(WIDTHS[i] ?? 0))
    .join(' ')
    .trimEnd();
}

function byAddress(a: RealServerSnapshot, b: RealServerSnapshot): number {
  return a.address.localeCompare(b.address, 'en', { numeric: true }) || a.port - b.port;
}
