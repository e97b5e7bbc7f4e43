/**
 * keepalived.conf for one director of the side-by-side comparison, as the heartbeat-3.0.6 notes ran
 * keepalived 2.2.7: one vrrp_instance on eth0, virtual_router_id 51, advert_int 1 (its default),
 * priorities 150 (preferred) / 100, the floating address with its device. No `state` line (BACKUP, the
 * default below priority 255), preemption on (the default): the preferred node takes the address back.
 * Pure.
 */
export interface KeepalivedNode {
  readonly routerId: string;
  readonly priority: number;
}

export const VRRP_ADVERT_INT_S = 1;

export function keepalivedConfig(node: KeepalivedNode, vip: string, prefix: number): string {
  return [
    'global_defs {',
    `  router_id ${node.routerId}`,
    '}',
    'vrrp_instance VI_1 {',
    '  interface eth0',
    '  virtual_router_id 51',
    `  priority ${node.priority}`,
    `  advert_int ${VRRP_ADVERT_INT_S}`,
    '  virtual_ipaddress {',
    `    ${vip}/${prefix} dev eth0`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The VRRP state a keepalived log line announces (`(VI_1) Entering MASTER STATE`), or undefined. */
export function vrrpState(line: string): 'MASTER' | 'BACKUP' | 'FAULT' | undefined {
  const m = /Entering (MASTER|BACKUP|FAULT) STATE/.exec(line);
  return m ? (m[1] as 'MASTER' | 'BACKUP' | 'FAULT') : undefined;
}

/** The native webfarm config without its `cluster:` section: the same service, proxy only. */
export function withoutCluster(config: string): string {
  const lines = config.split('\n');
  const at = lines.indexOf('cluster:');
  return `${(at < 0 ? lines : lines.slice(0, at)).join('\n').trimEnd()}\n`;
}
