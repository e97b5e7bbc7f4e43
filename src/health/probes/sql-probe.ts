import type { Socket } from 'node:net';
import type { ProbeResult, ProbeSettings, ProbeTarget } from '../probe.ts';
import type { SettingsRules } from './dialogue-settings.ts';
import { abortReason, quote } from './line-protocol.ts';

/**
 * What the mysql and pgsql probes share (ldirectord `service = mysql | pgsql`): log in with `login` /
 * `password` / `database`, run `request` (a SELECT), and be up iff it returns at least one row. The wire
 * protocol is the client library's (pg, mysql2), loaded on first use: a build without it says so as the
 * failure reason instead of failing to start. The probe owns the socket it hands the library, so an abort
 * destroys it at once whatever the library is doing.
 */
export interface SqlDriver {
  readonly type: 'mysql' | 'pgsql';
  /** The module to import (a dependency, loaded on the first check). */
  readonly module: string;
  /**
   * Log in and run `settings.request`; resolve with the number of rows. `track` must receive every socket
   * the driver opens. Reject with `stepError` so the reason names the step.
   */
  check(
    mod: unknown,
    target: ProbeTarget,
    settings: ProbeSettings,
    track: (s: Socket) => void,
  ): Promise<number>;
}

export function sqlRules(type: 'mysql' | 'pgsql'): SettingsRules {
  return {
    type,
    reads: ['login', 'password', 'database', 'request'],
    requires: { login: 'the database user', request: 'a SELECT that returns at least one row' },
  };
}

/** A driver failure in `step` (login, query): the library's message and code. */
export class SqlStepError extends Error {
  override readonly name = 'SqlStepError';
}

export async function inStep<T>(step: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw new SqlStepError(`${step}: ${errorText(e)}`);
  }
}

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  const message = e.message || e.name;
  return typeof code === 'string' && code !== '' && !message.includes(code)
    ? `${message} [${code}]`
    : message;
}

/**
 * Can `specifier` be imported from here? A resolution only (no module code runs), for config-time
 * validation: a sql check in a build without its driver is a config error, not a server that is down.
 */
export function moduleResolvable(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/** Config-time problems of a sql check: the shared rules, and the driver package being installed. */
export function sqlProblems(driver: SqlDriver, problems: string[]): string[] {
  if (!moduleResolvable(driver.module)) {
    const pkg = driver.module.split('/')[0];
    problems.push(`type: the ${driver.type} check needs the ${pkg} package, which this build lacks`);
  }
  return problems;
}

const loaded = new Map<string, Promise<unknown>>();

/** The module, or undefined when it is not installed. Other import failures are bugs and are thrown. */
export async function loadOptional(specifier: string): Promise<unknown> {
  let p = loaded.get(specifier);
  if (!p) {
    p = import(specifier).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ERR_MODULE_NOT_FOUND') return undefined;
      throw e;
    });
    loaded.set(specifier, p);
  }
  return p;
}

export async function sqlCheck(
  driver: SqlDriver,
  target: ProbeTarget,
  settings: ProbeSettings,
  signal: AbortSignal,
): Promise<ProbeResult> {
  const mod = await loadOptional(driver.module);
  if (mod === undefined) return { ok: false, reason: `${driver.module} module not installed` };
  if (signal.aborted) return { ok: false, reason: abortReason(signal) };
  const sockets: Socket[] = [];
  let onAbort = (): void => {};
  const aborted = new Promise<ProbeResult>((resolve) => {
    onAbort = () => {
      for (const s of sockets) s.destroy();
      resolve({ ok: false, reason: abortReason(signal) });
    };
  });
  signal.addEventListener('abort', onAbort, { once: true });
  const work = driver
    .check(mod, target, settings, (s) => sockets.push(s))
    .then(
      (rows): ProbeResult =>
        rows > 0
          ? { ok: true, detail: `${rows} row${rows === 1 ? '' : 's'}` }
          : { ok: false, reason: `query returned no rows: ${quote(settings.request ?? '')}` },
      (e: unknown): ProbeResult => {
        if (e instanceof SqlStepError) return { ok: false, reason: e.message };
        throw e;
      },
    );
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Drivers close politely on success; anything still open after a failure or an abort is torn down.
    void work.then(
      (r) => {
        if (!r.ok) for (const s of sockets) s.destroy();
      },
      () => {
        for (const s of sockets) s.destroy();
      },
    );
  }
}
