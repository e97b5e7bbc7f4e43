import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { CheckSpec } from '../../src/health/check-spec.ts';
import { type HealthEvent, HealthSubsystem } from '../../src/health/health-subsystem.ts';
import type { HealthPlan } from '../../src/health/health-plan.ts';
import type { Director } from '../../src/director/director.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { silentLogger } from '../../src/platform/log.ts';
import { seededRng } from '../../src/platform/random.ts';
import { LOOPBACK, within } from '../support/net.ts';

/** Fast timings for tests: bound = fall × max(interval, timeout) + timeout = 2 × 100 + 100 = 300 ms. */
export const FAST: Omit<CheckSpec, 'type' | 'settings'> = {
  intervalMs: 100,
  timeoutMs: 100,
  fall: 2,
  rise: 2,
};

/** Event-loop slack allowed on top of a bound derived from config (timers are not exact under load). */
export const SLACK_MS = 1500;

/** An HTTP real server: `/health` answers `status` with `body`; other paths answer its name. Restartable on its port. */
export interface HttpReal {
  readonly name: string;
  port: number;
  status: number;
  body: string;
  close(): Promise<void>;
  /** Listen again on the same port. */
  restart(): Promise<void>;
}

export async function httpReal(name: string): Promise<HttpReal> {
  let server: Server | undefined;
  const real: HttpReal = {
    name,
    port: 0,
    status: 200,
    body: `${name} ok`,
    async close() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    },
    async restart() {
      server = createServer((req, res) => {
        if (req.url === '/health') {
          res.writeHead(real.status).end(real.body);
          return;
        }
        res.writeHead(200).end(name);
      });
      server.keepAliveTimeout = 1;
      server.listen(real.port, LOOPBACK);
      await once(server, 'listening');
      real.port = (server.address() as AddressInfo).port;
    },
  };
  await real.restart();
  return real;
}

/** The child's HTTP server: `/health` → 200 "NAME ok", anything else → NAME; prints its port when listening. */
const CHILD_SERVER = `
const http = require('node:http');
const [name, port] = process.argv.slice(1);
const s = http.createServer((req, res) => res.writeHead(200).end(req.url === '/health' ? name + ' ok' : name));
s.keepAliveTimeout = 1;
s.listen(Number(port), '${LOOPBACK}', () => process.stdout.write(s.address().port + '\\n'));
`;

/**
 * An HTTP real server in its own process (the same answers as httpReal with status 200): `kill()` ends it
 * with SIGKILL by PID, as a crash would; `restart()` starts a new process on the same port.
 */
export interface HttpRealProcess {
  readonly name: string;
  port: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export async function httpRealProcess(name: string): Promise<HttpRealProcess> {
  let child: ChildProcess | undefined;
  const real: HttpRealProcess = {
    name,
    port: 0,
    async kill() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = once(c, 'exit');
      c.kill('SIGKILL');
      await exited;
    },
    async restart() {
      const c = spawn(process.execPath, ['-e', CHILD_SERVER, name, String(real.port)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child = c;
      const lines = createInterface({ input: c.stdout as NodeJS.ReadableStream });
      const first = await within(
        Promise.race([
          once(lines, 'line') as Promise<[string]>,
          once(c, 'exit').then(() => {
            throw new Error(`http real ${name}: the server process exited before listening`);
          }),
        ]),
        `http real ${name} listening`,
      );
      lines.close();
      real.port = Number(first[0]);
    },
  };
  await real.restart();
  return real;
}

/** GET http://127.0.0.1:port/ → body (a new connection each time). */
export function fetchName(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: LOOPBACK, port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** The subsystem on the real clock, with every event recorded and a way to wait for one. */
export async function startHealth(director: Director, plan: HealthPlan) {
  const events: HealthEvent[] = [];
  const waiters = new Set<() => void>();
  const health = new HealthSubsystem(plan, {
    director,
    clock: systemClock,
    rng: seededRng(11),
    log: silentLogger,
  });
  health.on((e) => {
    events.push(e);
    for (const w of waiters) w();
  });
  await health.start();
  /** Resolve with the first event (from now, or already seen if `seen` is true) that matches, within `ms`. */
  const waitFor = <E extends HealthEvent>(
    match: (e: HealthEvent) => e is E,
    what: string,
    ms: number,
    from = events.length,
  ) =>
    within(
      new Promise<E>((resolve) => {
        const check = () => {
          const e = events.slice(from).find(match);
          if (e) {
            waiters.delete(check);
            resolve(e);
          }
        };
        waiters.add(check);
        check();
      }),
      what,
      ms,
    );
  return { health, events, waitFor };
}

export const isTransition =
  (realId: string, to: 'up' | 'down', serviceId?: string) =>
  (e: HealthEvent): e is Extract<HealthEvent, { type: 'transition' }> =>
    e.type === 'transition' &&
    e.realId === realId &&
    e.to === to &&
    (serviceId === undefined || e.serviceId === serviceId);

export const isFallback =
  (active: boolean) =>
  (e: HealthEvent): e is Extract<HealthEvent, { type: 'fallback' }> =>
    e.type === 'fallback' && e.active === active;
