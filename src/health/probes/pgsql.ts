import { Socket } from 'node:net';
import type { Probe, ProbeFactory, ProbeSettings, ProbeTarget } from '../probe.ts';
import { checkSettings } from './dialogue-settings.ts';
import { inStep, type SqlDriver, sqlCheck, sqlProblems, sqlRules } from './sql-probe.ts';

/**
 * pgsql (ldirectord `service = pgsql`): log in to PostgreSQL as `login` with `password` (cleartext, md5 or
 * SCRAM as the server asks — the pg library's job) to `database` (default: the login's name), run
 * `request`, up iff it returns at least one row. Needs the `pg` package; without it every check is down
 * with "pg module not installed".
 */
const RULES = sqlRules('pgsql');

/** The slice of pg's API the probe uses. */
interface PgClient {
  connect(): Promise<unknown>;
  query(sql: string): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (e: Error) => void): unknown;
}
type PgClientClass = new (config: Record<string, unknown>) => PgClient;

function clientClass(mod: unknown): PgClientClass {
  const m = mod as { Client?: PgClientClass; default?: { Client?: PgClientClass } };
  const Client = m.Client ?? m.default?.Client;
  if (!Client) throw new Error('the pg module has no Client');
  return Client;
}

export const pgsqlDriver: SqlDriver = {
  type: 'pgsql',
  module: 'pg',
  async check(mod, target, settings, track) {
    const Client = clientClass(mod);
    // pg connects the socket it is given (stream option), so the probe can destroy it on abort.
    const socket = new Socket();
    track(socket);
    const client = new Client({
      host: target.address,
      port: target.port,
      user: settings.login,
      password: settings.password ?? '',
      ...(settings.database ? { database: settings.database } : {}),
      stream: () => socket,
      application_name: 'webfarm-check',
    });
    client.on('error', () => {}); // errors after the check are the socket's end; the result is already known
    await inStep('login', client.connect());
    const result = await inStep('query', client.query(settings.request ?? ''));
    client.end().catch(() => {});
    return result.rows.length;
  },
};

export const pgsqlProbe: ProbeFactory = {
  type: 'pgsql',
  summary: 'PostgreSQL login, run request (a SELECT), up iff at least one row (needs the pg package)',
  validate: (settings: ProbeSettings, target) =>
    sqlProblems(pgsqlDriver, checkSettings(RULES, settings, target)),
  create(): Probe {
    return {
      type: 'pgsql',
      run: (target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal) =>
        sqlCheck(pgsqlDriver, target, settings, signal),
    };
  },
};
