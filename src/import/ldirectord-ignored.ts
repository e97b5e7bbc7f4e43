/**
 * ldirectord.cf directives with no webfarm equivalent, and the comment the import writes for each
 * (docs/import.md). Anything listed here is accepted and reported, never silently dropped.
 */
const MAIL = 'no equivalent (webfarm sends no mail); use health.alerts.webhook or health.alerts.command';

export const LD_NO_EQUIVALENT: ReadonlyMap<string, string> = new Map([
  ['emailalert', MAIL],
  ['emailalertfreq', MAIL],
  ['emailalertstatus', MAIL],
  ['emailalertfrom', MAIL],
  ['smtp', MAIL],
  ['logfile', 'no equivalent; webfarm logs to stderr (the journal under systemd)'],
  ['autoreload', 'no equivalent; run webfarm reload (or send SIGHUP) after editing the config'],
  ['callback', 'no equivalent; copy the config to the peer yourself, then webfarm reload there'],
  ['execute', 'no equivalent; import that file too and run it as its own webfarm'],
  ['supervised', 'not needed; webfarm run stays in the foreground and logs to stderr'],
  ['fork', 'not needed; the checks of every service run concurrently'],
  ['cleanstop', 'no equivalent; the proxy engine leaves nothing behind when webfarm stops'],
  ['readdquiescent', 'no equivalent; a quiescent real keeps its place at weight 0 anyway'],
  ['monitorfile', 'no equivalent; follow transitions with webfarm status or the admin event stream'],
  ['checkcount', 'deprecated in ldirectord; no equivalent (failure_count counts failures before down)'],
  ['load', 'ignored (ldirectord 2000 parsed it but never used it)'],
  ['sitename', 'ignored (ldirectord 2000 parsed it but never used it)'],
]);

/** Global directives the import gives a meaning to elsewhere (not comments). */
export const LD_GLOBAL_MAPPED: readonly string[] = ['maintenancedir'];
