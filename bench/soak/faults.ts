import { add, type Counters } from './load.ts';

/** What the fault schedule may do to the farm; ports name the HTTP real servers. */
export interface FaultPlan {
  /** Killed (SIGKILL) and restarted. */
  readonly kill: number;
  /** Hung: SIGSTOP (its listen socket still accepts, nothing answers), then SIGCONT. */
  readonly hang: number;
  /** Drained and enabled through the admin API. */
  readonly drain: number;
  readonly sid: string;
  stopReal(port: number): Promise<void>;
  startReal(port: number): Promise<void>;
  signal(port: number, sig: NodeJS.Signals): void;
  /** Toggle a weight in the config file and POST /v1/reload. */
  reload(): Promise<void>;
  api(method: string, path: string, body?: unknown): Promise<void>;
  log(msg: string): void;
}

/** One 30 s cycle, repeated until `end`: offset in seconds → step. */
const CYCLE_S = 30;

/**
 * The faults, on a fixed 30 s cycle: 0 s kill the first real, 6 s restart it; 10 s hang the second,
 * 18 s release it; 20 s drain the third (3 s timeout), 26 s enable it; a reload at 5, 15 and 25 s.
 * A step that fails is counted under "fault: …" and the schedule goes on.
 */
export async function faultSchedule(p: FaultPlan, end: number, c: Counters): Promise<void> {
  const rid = encodeURIComponent(`127.0.0.1:${p.drain}`);
  const realPath = `/v1/services/${encodeURIComponent(p.sid)}/reals/${rid}`;
  let killed = false;
  const steps: Array<[number, string, () => Promise<void>]> = [
    [
      0,
      'kill',
      async () => {
        killed = true;
        await p.stopReal(p.kill);
      },
    ],
    [5, 'reload', () => p.reload()],
    [
      6,
      'restart',
      async () => {
        await p.startReal(p.kill);
        killed = false;
      },
    ],
    [10, 'hang', async () => p.signal(p.hang, 'SIGSTOP')],
    [15, 'reload', () => p.reload()],
    [18, 'release', async () => p.signal(p.hang, 'SIGCONT')],
    [20, 'drain', () => p.api('POST', `${realPath}/drain`, { timeout: '3s' })],
    [25, 'reload', () => p.reload()],
    [26, 'enable', () => p.api('POST', `${realPath}/enable`)],
  ];
  const t0 = Date.now();
  for (let cycle = 0; ; cycle++) {
    for (const [at, name, step] of steps) {
      const when = t0 + (cycle * CYCLE_S + at) * 1000;
      // Leave the last 8 s fault-free so the farm can be whole again when the load stops.
      if (when > end - 8000) {
        p.signal(p.hang, 'SIGCONT');
        if (killed) await p.startReal(p.kill).catch((e: Error) => p.log(`final restart: ${e.message}`));
        add(c, 'fault schedule: done');
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, when - Date.now())));
      try {
        await step();
        add(c, `fault: ${name}`);
      } catch (e) {
        add(c, `fault: ${name} failed`);
        p.log(`${name}: ${(e as Error).message}`);
      }
    }
  }
}
