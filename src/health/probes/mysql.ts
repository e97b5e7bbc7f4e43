import { connect } from 'node:net';
import type { Probe, ProbeFactory, ProbeSettings, ProbeTarget } from '../probe.ts';
import { checkSettings } from './dialogue-settings.ts';
import { inStep, type SqlDriver, sqlCheck, sqlProblems, sqlRules } from './sql-probe.ts';

/**
 * mysql (ldirectord `service = mysql`): log in to MySQL / MariaDB as `login` with `password`
 * (mysql_native_password or caching_sha2_password — the mysql2 library's job), optionally to `database`,
 * run `request`, up iff it returns at least one row. Needs the `mysql2` package; without it every check is
 * down with "mysql2/promise module not installed".
 */
const RULES = sqlRules('mysql');

/** The slice of mysql2/promise's API the probe uses. */
interface MysqlConnection {
  query(sql: string): Promise<[unknown, unknown]>;
  end(): Promise<void>;
  on(event: 'error', listener: (e: Error) => void): unknown;
}
type CreateConnection = (config: Record<string, unknown>) => Promise<MysqlConnection>;

function createConnectionOf(mod: unknown): CreateConnection {
  const m = mod as { createConnection?: CreateConnection; default?: { createConnection?: CreateConnection } };
  const create = m.createConnection ?? m.default?.createConnection;
  if (!create) throw new Error('the mysql2/promise module has no createConnection');
  return create;
}

export const mysqlDriver: SqlDriver = {
  type: 'mysql',
  module: 'mysql2/promise',
  async check(mod, target, settings, track) {
    const createConnection = createConnectionOf(mod);
    // mysql2 talks over the socket it is given (stream option), so the probe can destroy it on abort.
    const socket = connect({ host: target.address, port: target.port });
    socket.setNoDelay(true);
    track(socket);
    const conn = await inStep(
      'login',
      createConnection({
        host: target.address,
        port: target.port,
        user: settings.login,
        password: settings.password ?? '',
        ...(settings.database ? { database: settings.database } : {}),
        stream: socket,
      }),
    );
    conn.on('error', () => {}); // errors after the check are the socket's end; the result is already known
    const [rows] = await inStep('query', conn.query(settings.request ?? ''));
    conn.end().catch(() => {});
    return Array.isArray(rows) ? rows.length : 0;
  },
};

export const mysqlProbe: ProbeFactory = {
  type: 'mysql',
  summary: 'MySQL/MariaDB login, run request (a SELECT), up iff at least one row (needs the mysql2 package)',
  validate: (settings: ProbeSettings, target) =>
    sqlProblems(mysqlDriver, checkSettings(RULES, settings, target)),
  create(): Probe {
    return {
      type: 'mysql',
      run: (target: ProbeTarget, settings: ProbeSettings, signal: AbortSignal) =>
        sqlCheck(mysqlDriver, target, settings, signal),
    };
  },
};
