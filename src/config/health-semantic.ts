import { accessSync, constants, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { delimiter, join } from 'node:path';
import { addressFamily, formatEndpoint } from '../model/endpoint.ts';
import { PROBE_TYPES, type ProbeFactory, type ProbeType } from '../health/probe.ts';
import { probeFactory } from '../health/probe-registry.ts';
import type { PathIssue } from './issue.ts';
import type { HealthConfig } from './schema.ts';
import type { IndexedService } from './semantic.ts';
import { checkSettings } from './to-health.ts';
import { unknownName } from './suggest.ts';

/** Is `command` (a path, or a name looked up on PATH) an executable file? Injected so tests stay pure. */
export type IsExecutable = (command: string) => boolean;

/**
 * Health checks the schema cannot express (docs/config.md "Health checks"): a known and available check
 * type, each probe's own `validate`, a compilable `receive` regex, `fall` and `failure_count` not both,
 * an address family the probe supports, a fallback that is not also a real server, and the
 * fallback_command and alert command executable files at check time (the external probe's `validate`
 * checks its own command).
 */
export function checkHealth(
  services: readonly IndexedService[],
  health: HealthConfig | undefined,
  isExecutable: IsExecutable,
  factories: (type: ProbeType) => ProbeFactory | undefined = probeFactory,
  hostFamilies: ReadonlySet<4 | 6> = localFamilies(),
): PathIssue[] {
  const issues = services.flatMap((s) => [
    ...checkServiceHealth(s, isExecutable, factories),
    ...checkReachableFamily(s, hostFamilies),
  ]);
  const cmd = health?.alerts.command?.[0];
  if (cmd !== undefined && !isExecutable(cmd)) {
    issues.push({ path: ['health', 'alerts', 'command'], message: notExecutable(cmd) });
  }
  return issues;
}

function checkServiceHealth(
  { index, service: s, reals }: IndexedService,
  isExecutable: IsExecutable,
  factories: (type: ProbeType) => ProbeFactory | undefined,
): PathIssue[] {
  const at = (...rest: Array<string | number>) => ['services', index, ...rest];
  const issues: PathIssue[] = [];
  const add = (path: Array<string | number>, message: string) => issues.push({ path, message });
  const fb = s.fallback;
  if (fb) {
    const id = formatEndpoint(fb.address, fb.port ?? s.port);
    if (reals.some((r) => formatEndpoint(r.real.address, r.real.port ?? s.port) === id)) {
      add(at('fallback'), `${id} is also a real server of this service; a fallback must be another server`);
    }
  }
  const fbCmd = s.fallback_command?.[0];
  if (fbCmd !== undefined && !isExecutable(fbCmd)) add(at('fallback_command'), notExecutable(fbCmd));
  const c = s.check;
  if (!c) return issues;
  if (!(PROBE_TYPES as readonly string[]).includes(c.type)) {
    add(at('check', 'type'), unknownName('check type', c.type, PROBE_TYPES));
    return issues;
  }
  const type = c.type as ProbeType;
  const factory = factories(type);
  if (!factory) {
    add(at('check', 'type'), `check type "${type}" is not available in this build`);
    return issues;
  }
  if (c.fall !== undefined && c.failure_count !== undefined) {
    add(at('check', 'failure_count'), 'give fall or failure_count (the same setting), not both');
  }
  if (c.receive !== undefined) {
    try {
      new RegExp(c.receive);
    } catch (e) {
      add(
        at('check', 'receive'),
        `invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
      );
    }
  }
  const families = new Set(reals.map((r) => addressFamily(r.real.address)));
  for (const family of families) {
    for (const problem of factory.validate(checkSettings(c), { protocol: s.protocol, family })) {
      const m = /^([a-z_]+): (.*)$/.exec(problem);
      const field = m?.[1];
      if (field && field in c) add(at('check', field), m?.[2] ?? problem);
      else add(at('check'), problem);
    }
  }
  const supported = factory.families;
  if (supported) {
    for (const r of reals) {
      const f = addressFamily(r.real.address);
      if (!supported.includes(f)) {
        add(
          at('real_servers', r.index),
          `check type ${type} cannot reach an IPv${f} address (it supports IPv${supported.join('/IPv')} only)`,
        );
      }
    }
  }
  return dedupe(issues);
}

/** Checks that talk to the real server (everything but on/none/off). */
const PASSIVE_TYPES: readonly string[] = ['on', 'none', 'off'];

/**
 * A checked real server whose address family this host has no address in (e.g. IPv6 disabled) can never
 * be reached by its check: an error at check time rather than a server that stays down forever.
 */
function checkReachableFamily(
  { index, service: s, reals }: IndexedService,
  host: ReadonlySet<4 | 6>,
): PathIssue[] {
  if (!s.check || PASSIVE_TYPES.includes(s.check.type)) return [];
  return reals
    .filter((r) => !host.has(addressFamily(r.real.address)))
    .map((r) => ({
      path: ['services', index, 'real_servers', r.index],
      message: `this host has no IPv${addressFamily(r.real.address)} address, so the ${s.check?.type} check cannot reach ${r.real.address}`,
    }));
}

/** Address families of this host's interfaces (loopback included). */
export function localFamilies(): ReadonlySet<4 | 6> {
  const out = new Set<4 | 6>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) out.add(a.family === 'IPv6' ? 6 : 4);
  }
  return out;
}

function notExecutable(cmd: string): string {
  return `"${cmd}" is not an executable file${cmd.includes('/') ? '' : ' on PATH'}`;
}

function dedupe(issues: PathIssue[]): PathIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path.join('.')}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The real check: a path is tested with access(X_OK); a bare name is searched on PATH. */
export const fsIsExecutable: IsExecutable = (command) => {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, command));
  return candidates.some((p) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
};
