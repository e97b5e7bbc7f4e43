import type { RealServerSnapshot, ServiceSnapshot } from '../director/snapshot.ts';
import { formatEndpoint } from '../model/endpoint.ts';

/** The status document the admin API returns (GET /v1/status). */
export interface StatusDoc {
  pid: number;
  startedAt: string;
  engine: string;
  config: string | undefined;
  services: ServiceSnapshot[];
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
    `${doc.services.length} virtual service(s)`,
  ];
  for (const s of doc.services) lines.push('', ...serviceBlock(s));
  return `${lines.join('\n')}\n`;
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
