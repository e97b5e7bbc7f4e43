import { parseNetmask } from '../../director/netmask.ts';
import { NO_PORT_NAMES, type ParsedAddress, type PortNames, parseAddressPort, toNumber } from './address.ts';
import type {
  Command,
  ForwardFlag,
  ListFormat,
  Parsed,
  ServiceRef,
  ServiceSettings,
  VsProtocol,
} from './command.ts';
import { type CmdName, type OptName, checkOptions } from './option-check.ts';
import { type OptionItem, tokenize } from './options.ts';

/** ipvsadm's MAX_TIMEOUT: 31 days, in seconds. */
export const MAX_TIMEOUT_S = 86400 * 31;
/** ipvsadm's IPVS_SVC_PERSISTENT_TIMEOUT: `-p` without a value. */
export const DEFAULT_PERSISTENCE_S = 300;
export const DEFAULT_SCHEDULER = 'wlc';
const INT_MAX = 2 ** 31 - 1;

/** Thrown inside the parser; becomes the Parsed refusal. */
class Refuse {
  constructor(
    readonly stderr: string,
    readonly exit: number,
  ) {}
}

/** ipvsadm's fail(2, …): the message and a newline on stderr, exit status 2. */
const fail = (msg: string): never => {
  throw new Refuse(`${msg}\n`, 2);
};

const COMMANDS: Record<string, CmdName | 'help' | 'version' | 'daemon'> = {
  A: 'add-service',
  E: 'edit-service',
  D: 'delete-service',
  C: 'flush',
  L: 'list',
  Z: 'zero',
  a: 'add-server',
  e: 'edit-server',
  d: 'delete-server',
  set: 'set',
  R: 'restore',
  S: 'save',
  h: 'help',
  v: 'version',
  'start-daemon': 'daemon',
  'stop-daemon': 'daemon',
};

/** Option key → the name ipvsadm's messages use for it (set_option / generic_opt_check). */
const OPT_OF: Record<string, OptName> = {
  t: 'service-address',
  u: 'service-address',
  s: 'scheduler',
  p: 'persistent',
  M: 'netmask',
  r: 'real-server',
  m: 'forwarding-method',
  i: 'forwarding-method',
  g: 'forwarding-method',
  w: 'weight',
  x: 'u-threshold',
  y: 'l-threshold',
  n: 'numeric',
  c: 'connection',
  'mcast-interface': 'mcast-interface',
  syncid: 'syncid',
  timeout: 'timeout',
  daemon: 'daemon',
  stats: 'stats',
  rate: 'rate',
  thresholds: 'thresholds',
  'persistent-conn': 'persistent-conn',
  nosort: 'nosort',
  X: 'exact',
  o: 'ops',
  pe: 'pe',
  b: 'sched-flags',
  'mcast-group': 'mcast-group',
  'mcast-port': 'mcast-port',
  'mcast-ttl': 'mcast-ttl',
  'sync-maxlen': 'sync-maxlen',
  'tun-info': 'tun-info',
  'tun-type': 'tun-type',
  'tun-port': 'tun-port',
  'tun-nocsum': 'tun-nocsum',
  'tun-csum': 'tun-csum',
  'tun-remcsum': 'tun-remcsum',
};

export const UNSUPPORTED = {
  fwmark:
    'fwmark services (-f) are not supported: the proxy engine listens on an address and port and never sees packet marks; use -t or -u',
  sctp: 'SCTP services (--sctp-service) are not supported: the proxy engine serves TCP and UDP',
  pe: 'persistence engines (--pe) are not supported: webfarm persists by client address (-p, -M)',
  daemon:
    'connection sync daemons (--start-daemon, --stop-daemon) are not supported: the proxy engine terminates connections, which cannot move to another director',
} as const;

interface Draft {
  cmd: CmdName;
  given: Set<OptName>;
  protocol: VsProtocol;
  service: ParsedAddress | undefined;
  scheduler: string | undefined;
  persistS: number | undefined;
  netmask: string | undefined;
  serverAddr: ParsedAddress | undefined;
  forward: ForwardFlag | undefined;
  weight: number;
  upper: number;
  lower: number;
  schedFlags: string | undefined;
  names: PortNames;
}

/**
 * argv (without the program name) → the command ipvsadm 1.31 would run, or its refusal with ipvsadm's
 * message and exit status: 2 for a bad argument (fail()), 255 for option syntax errors (popt) and the
 * "Try … -h" hint. `program` names us in that hint. Pure: port names come from `names`.
 */
export function parseIpvsadm(
  argv: readonly string[],
  names: PortNames = NO_PORT_NAMES,
  program = 'webfarm ipvsadm',
): Parsed {
  if (argv.length === 0) return { ok: true, command: listAll(false, true) };
  try {
    return { ok: true, command: parseOrThrow(argv, names, program) };
  } catch (e) {
    if (e instanceof Refuse) return { ok: false, stderr: e.stderr, exit: e.exit };
    throw e;
  }
}

function parseOrThrow(argv: readonly string[], names: PortNames, program: string): Command {
  const tokens = tokenize(argv);
  const [first, ...rest] = tokens.items;
  const cmd = first === undefined ? undefined : COMMANDS[first.key];
  if (cmd === undefined) {
    throw new Refuse(`Try \`${program} -h' or '${program} --help' for more information.\n`, 255);
  }
  if (cmd === 'help') return { kind: 'help' };
  if (cmd === 'version') return { kind: 'version' };
  if (cmd === 'daemon') return fail(UNSUPPORTED.daemon);
  const d: Draft = {
    cmd,
    given: new Set(),
    protocol: 'tcp',
    service: undefined,
    scheduler: undefined,
    persistS: undefined,
    netmask: undefined,
    serverAddr: undefined,
    forward: undefined,
    weight: 1,
    upper: 0,
    lower: 0,
    schedFlags: undefined,
    names,
  };
  for (const item of rest) applyOption(d, item);
  if (tokens.error) throw new Refuse(`${tokens.error.text}: ${tokens.error.reason}\n`, 255);
  const positionals = [...tokens.positionals];
  const timeouts = cmd === 'set' ? takeTimeouts(positionals) : undefined;
  if (positionals.length > 0) fail(`unexpected argument ${positionals[0]}`);
  const flags = d.schedFlags === undefined ? [] : parseSchedFlags(d.scheduler, d.schedFlags);
  const problem = checkOptions(cmd, d.given);
  if (problem) fail(problem);
  return build(d, flags, timeouts);
}

function applyOption(d: Draft, item: OptionItem): void {
  const v = item.value ?? '';
  const key = item.key;
  if (COMMANDS[key] !== undefined) fail(`invalid option \`${item.text}'`);
  if (key === 'f') fail(UNSUPPORTED.fwmark);
  if (key === 'sctp') fail(UNSUPPORTED.sctp);
  if (key === '6') fail('-6 used before -f\n');
  const opt = OPT_OF[key];
  if (opt === undefined) return; // --sort: a no-op kept for compatibility
  if (d.given.has(opt)) fail(`multiple '${opt}' options specified`);
  d.given.add(opt);
  switch (key) {
    case 't':
    case 'u':
      d.protocol = key === 't' ? 'tcp' : 'udp';
      d.service = parseAddressPort(v, d.protocol, d.names);
      if (!d.service) fail('illegal virtual server address[:port] specified');
      return;
    case 's':
      d.scheduler = v;
      return;
    case 'p':
      d.persistS = item.value === undefined ? DEFAULT_PERSISTENCE_S : timeout(v, 1);
      return;
    case 'M':
      d.netmask = v;
      return;
    case 'r':
      d.serverAddr =
        parseAddressPort(v, d.protocol, d.names) ?? fail('illegal real server address[:port] specified');
      return;
    case 'g':
    case 'i':
    case 'm':
      d.forward = key === 'g' ? 'route' : key === 'i' ? 'tunnel' : 'masq';
      return;
    case 'w':
      d.weight = toNumber(v, 0, 65535) ?? fail('illegal weight specified');
      return;
    case 'x':
      d.upper = toNumber(v, 0, INT_MAX) ?? fail('illegal u_threshold specified');
      return;
    case 'y':
      d.lower = toNumber(v, 0, INT_MAX) ?? fail('illegal l_threshold specified');
      return;
    case 'b':
      d.schedFlags = v;
      return;
    case 'pe':
      fail(UNSUPPORTED.pe);
  }
}

function timeout(text: string, min: number): number {
  return toNumber(text, min, MAX_TIMEOUT_S) ?? fail(`invalid timeout value \`${text}' specified`);
}

function takeTimeouts(positionals: string[]): [number, number, number] {
  if (positionals.length < 3) fail('--set option requires 3 timeout values');
  const [a, b, c] = positionals.splice(0, 3) as [string, string, string];
  return [timeout(a, 0), timeout(b, 0), timeout(c, 0)];
}

/** -b: comma-separated; sh-/mh- flags only with their scheduler (default wlc when -s is absent). */
function parseSchedFlags(scheduler: string | undefined, text: string): string[] {
  const sched = scheduler || DEFAULT_SCHEDULER;
  const out: string[] = [];
  for (const flag of text.split(',').filter((f) => f !== '')) {
    const generic = /^flag-([123])$/.exec(flag);
    const family = flag.startsWith('sh-') ? 'sh' : flag.startsWith('mh-') ? 'mh' : undefined;
    if (generic) out.push(aliasFlag(sched, Number(generic[1])) ?? flag);
    else if (!['sh-fallback', 'sh-port', 'mh-fallback', 'mh-port'].includes(flag))
      fail(`invalid scheduler flag \`${flag}'`);
    else if (family !== sched) fail(`incompatible scheduler flag \`${flag}'`);
    else out.push(flag);
  }
  return [...new Set(out)];
}

/** The kernel's flag-1/flag-2 bits are sh-fallback/sh-port for sh and mh-fallback/mh-port for mh. */
function aliasFlag(sched: string, n: number): string | undefined {
  if ((sched === 'sh' || sched === 'mh') && n <= 2) return `${sched}-${n === 1 ? 'fallback' : 'port'}`;
  return undefined;
}

function build(d: Draft, flags: string[], timeouts: [number, number, number] | undefined): Command {
  switch (d.cmd) {
    case 'add-service':
    case 'edit-service':
      return {
        kind: d.cmd,
        service: serviceRef(d),
        settings: serviceSettings(d, flags),
      };
    case 'delete-service':
      return { kind: 'delete-service', service: serviceRef(d) };
    case 'flush':
      return { kind: 'clear' };
    case 'add-server':
    case 'edit-server':
    case 'delete-server':
      return serverCommand(d);
    case 'list':
      return listCommand(d);
    case 'zero':
      return { kind: 'zero', service: d.service ? serviceRef(d) : undefined };
    case 'save':
      return { kind: 'save', numeric: d.given.has('numeric') };
    case 'restore':
      return { kind: 'restore' };
    case 'set': {
      const [tcpS, tcpFinS, udpS] = timeouts as [number, number, number];
      return { kind: 'set-timeouts', tcpS, tcpFinS, udpS };
    }
  }
}

function serviceRef(d: Draft): ServiceRef {
  const s = d.service as ParsedAddress;
  return { protocol: d.protocol, address: s.address, port: s.port ?? 0 };
}

function serviceSettings(d: Draft, flags: string[]): ServiceSettings {
  const svc = serviceRef(d);
  if (svc.port === 0 && d.persistS === undefined) fail('Zero port specified for non-persistent service');
  if (d.given.has('ops') && svc.protocol !== 'udp') {
    fail('One-Packet Scheduling is only for UDP virtual services');
  }
  const family = (d.service as ParsedAddress).family;
  const prefix = d.netmask === undefined ? (family === 4 ? 32 : 128) : netmaskPrefix(d.netmask, family);
  return {
    scheduler: d.scheduler || DEFAULT_SCHEDULER,
    flags,
    persistence: d.persistS === undefined ? undefined : { timeoutS: d.persistS, prefix },
    onePacket: d.given.has('ops'),
  };
}

function netmaskPrefix(text: string, family: 4 | 6): number {
  if (family === 6) {
    const n = Number.parseInt(text, 10);
    return n >= 1 && n <= 128 ? n : fail('illegal ipv6 netmask specified');
  }
  const m = parseNetmask(text, 4);
  return m.ok ? m.prefix : fail('illegal virtual server persistent mask specified');
}

function serverCommand(d: Draft): Command {
  const service = serviceRef(d);
  const parsed = d.serverAddr as ParsedAddress;
  // -g and -i deliver to the virtual port: the real server's port is the service's (ipvsadm does the same).
  const forced = d.forward === 'route' || d.forward === 'tunnel';
  const port = forced || parsed.port === undefined ? service.port : parsed.port;
  const family = (d.service as ParsedAddress).family;
  if (parsed.family !== family && d.forward !== 'tunnel') {
    fail('Different address family is allowed only for tunneling servers');
  }
  const tunnelOpts: OptName[] = ['tun-type', 'tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'];
  if (tunnelOpts.some((o) => d.given.has(o)) && d.forward !== 'tunnel') {
    fail('Tunnel options conflict with forward method');
  }
  const server = { address: parsed.address, port };
  if (d.cmd === 'delete-server') return { kind: 'delete-server', service, server };
  return {
    kind: d.cmd === 'add-server' ? 'add-server' : 'edit-server',
    service,
    server,
    settings: { forward: d.forward, weight: d.weight, upperThreshold: d.upper, lowerThreshold: d.lower },
  };
}

function listCommand(d: Draft): Command {
  const has = (o: OptName) => d.given.has(o);
  const table = has('stats') || has('rate') || has('thresholds');
  if (
    ((has('connection') || has('timeout') || has('daemon')) && table) ||
    ((has('timeout') || has('daemon')) && has('persistent-conn'))
  ) {
    fail('options conflicts in the list command');
  }
  const format: ListFormat = {
    numeric: has('numeric'),
    stats: has('stats'),
    rate: has('rate'),
    thresholds: has('thresholds'),
    persistentConn: has('persistent-conn'),
    tunInfo: has('tun-info'),
    nosort: has('nosort'),
    exact: has('exact'),
  };
  const view = has('connection')
    ? 'connections'
    : d.service
      ? 'services'
      : has('timeout')
        ? 'timeout'
        : has('daemon')
          ? 'daemon'
          : 'services';
  return { kind: 'list', view, service: d.service ? serviceRef(d) : undefined, format, implicit: false };
}

function listAll(numeric: boolean, implicit: boolean): Command {
  return {
    kind: 'list',
    view: 'services',
    service: undefined,
    format: {
      numeric,
      stats: false,
      rate: false,
      thresholds: false,
      persistentConn: false,
      tunInfo: false,
      nosort: false,
      exact: false,
    },
    implicit,
  };
}
