/**
 * Structured log lines. Every line is `LEVEL event key=value ...` on stderr so people and log shippers
 * can both read it. Fields are values, never interpolated into the event name.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function textLogger(write: (s: string) => void = (s) => process.stderr.write(s)): Logger {
  const line = (level: string, event: string, fields: LogFields = {}) => {
    const kv = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : v}`);
    write(`${new Date().toISOString()} ${level} ${event}${kv.length ? ` ${kv.join(' ')}` : ''}\n`);
  };
  return {
    info: (e, f) => line('info', e, f),
    warn: (e, f) => line('warn', e, f),
    error: (e, f) => line('error', e, f),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
