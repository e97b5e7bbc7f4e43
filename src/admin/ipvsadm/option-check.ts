/**
 * ipvsadm's table of which option goes with which command (ipvsadm.c commands_v_options) and its check.
 * Per cell: '+' compulsory, 'x' illegal, '1' at most one of the '1' options, ' ' optional.
 */
export const OPT_NAMES = [
  'numeric',
  'connection',
  'service-address',
  'scheduler',
  'persistent',
  'netmask',
  'real-server',
  'forwarding-method',
  'weight',
  'u-threshold',
  'l-threshold',
  'mcast-interface',
  'timeout',
  'daemon',
  'stats',
  'rate',
  'thresholds',
  'persistent-conn',
  'nosort',
  'syncid',
  'exact',
  'ops',
  'pe',
  'sched-flags',
  'mcast-group',
  'mcast-port',
  'mcast-ttl',
  'sync-maxlen',
  'tun-info',
  'tun-type',
  'tun-port',
  'tun-nocsum',
  'tun-csum',
  'tun-remcsum',
] as const;

export type OptName = (typeof OPT_NAMES)[number];

/** ipvsadm's command names as its messages spell them (`-C` is "flush", `--set` is "set"). */
export type CmdName =
  | 'add-service'
  | 'edit-service'
  | 'delete-service'
  | 'flush'
  | 'list'
  | 'add-server'
  | 'delete-server'
  | 'edit-server'
  | 'set'
  | 'restore'
  | 'save'
  | 'zero';

// One character per OPT_NAMES column, in that order.
const TABLE: Record<CmdName, string> = {
  'add-service': 'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx',
  'edit-service': 'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx',
  'delete-service': 'xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  flush: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  list: ' 11xxxxxxxxx11       xxxxxxx xxxxx',
  'add-server': 'xx+xxx+    xxxxxxxxxxxxxxxxxx     ',
  'delete-server': 'xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'edit-server': 'xx+xxx+    xxxxxxxxxxxxxxxxxx     ',
  set: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  restore: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  save: ' xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  zero: 'xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
};

/** The first violation in column order, worded as ipvsadm words it; undefined when the line is legal. */
export function checkOptions(cmd: CmdName, given: ReadonlySet<OptName>): string | undefined {
  const row = TABLE[cmd];
  let exclusive: OptName | undefined;
  for (let j = 0; j < OPT_NAMES.length; j++) {
    const name = OPT_NAMES[j] as OptName;
    const cell = row[j];
    if (!given.has(name)) {
      if (cell === '+') return `You need to supply the '${name}' option for the '${cmd}' command`;
      continue;
    }
    if (cell === 'x') return `Illegal '${name}' option with the '${cmd}' command`;
    if (cell === '1') {
      if (exclusive !== undefined) {
        return `The option '${name}' conflicts with the '${exclusive}' option in the '${cmd}' command`;
      }
      exclusive = name;
    }
  }
  return undefined;
}
