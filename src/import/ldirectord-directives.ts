/**
 * ldirectord.cf directives (seed-system.md §3.3): where each may appear and what its value must look like.
 * `global` = column 0 only, `virtual` = inside a `virtual=` block only, `both` = global default that a
 * block may override. The value kinds are checked by the parser; meaning is given in ldirectord-map.ts.
 */
export type DirectiveScope = 'global' | 'virtual' | 'both';
export type ValueKind = 'seconds' | 'count' | 'bool' | 'text';

export interface DirectiveRule {
  readonly scope: DirectiveScope;
  readonly kind: ValueKind;
}

const rule = (scope: DirectiveScope, kind: ValueKind): DirectiveRule => ({ scope, kind });

export const LD_DIRECTIVES: ReadonlyMap<string, DirectiveRule> = new Map([
  // Timing and check behaviour (global defaults, per-virtual overrides).
  ['checktimeout', rule('both', 'seconds')],
  ['negotiatetimeout', rule('both', 'seconds')],
  ['checkinterval', rule('both', 'seconds')],
  ['checkcount', rule('both', 'count')],
  ['failurecount', rule('both', 'count')],
  ['quiescent', rule('both', 'bool')],
  ['fallback', rule('both', 'text')],
  ['fallbackcommand', rule('both', 'text')],
  ['cleanstop', rule('both', 'bool')],
  ['emailalert', rule('both', 'text')],
  ['emailalertfreq', rule('both', 'count')],
  ['emailalertstatus', rule('both', 'text')],
  ['emailalertfrom', rule('both', 'text')],
  ['smtp', rule('both', 'text')],
  // Daemon-wide.
  ['autoreload', rule('global', 'bool')],
  ['callback', rule('global', 'text')],
  ['logfile', rule('global', 'text')],
  ['execute', rule('global', 'text')],
  ['supervised', rule('global', 'bool')],
  ['fork', rule('global', 'bool')],
  ['readdquiescent', rule('global', 'bool')],
  ['maintenancedir', rule('global', 'text')],
  // Per virtual service.
  ['real', rule('virtual', 'text')],
  ['real6', rule('virtual', 'text')],
  ['fallback6', rule('virtual', 'text')],
  ['checktype', rule('virtual', 'text')],
  ['service', rule('virtual', 'text')],
  ['checkcommand', rule('virtual', 'text')],
  ['checkport', rule('virtual', 'count')],
  ['request', rule('virtual', 'text')],
  ['receive', rule('virtual', 'text')],
  ['httpmethod', rule('virtual', 'text')],
  ['virtualhost', rule('virtual', 'text')],
  ['login', rule('virtual', 'text')],
  ['passwd', rule('virtual', 'text')],
  ['database', rule('virtual', 'text')],
  ['secret', rule('virtual', 'text')],
  ['scheduler', rule('virtual', 'text')],
  ['persistent', rule('virtual', 'seconds')],
  ['netmask', rule('virtual', 'text')],
  ['protocol', rule('virtual', 'text')],
  ['monitorfile', rule('virtual', 'text')],
  ['ops', rule('virtual', 'bool')],
  ['servicename', rule('virtual', 'text')],
  ['comment', rule('virtual', 'text')],
  ['load', rule('virtual', 'text')],
  ['sitename', rule('virtual', 'text')],
]);

/** Directives ldirectord itself rejects, with its reason. */
export const LD_REJECTED: ReadonlyMap<string, string> = new Map([
  ['timeout', '"timeout" is deprecated in favour of checktimeout (ldirectord refuses it too)'],
]);
