import { join } from 'node:path';
import { type Started, start } from './exec.ts';
import type { NsExec } from './netns.ts';
import { NOFILE, ROOT } from './peers.ts';
import { rssKiB } from './proc-stats.ts';
import type { Sample } from './sample.ts';
import type { Endpoint } from './topology.ts';

/**
 * RSS of a proxy per 10,000 idle TCP connections: VmRSS of `proxy` before, then `n` connections opened
 * from `client` through `target` and all of them seen accepted by the hold backend, then VmRSS again. Value: MiB per 10k.
 * The client is stopped afterwards and the backend seen back at 0 connections.
 */
export async function measureIdle(
  client: NsExec,
  target: Endpoint,
  n: number,
  proxy: Started,
  hold: Started,
): Promise<Sample> {
  const before = rssKiB(proxy.pid);
  const base = hold.output().length;
  const script = join(ROOT, 'bench/clients/idle-conns.ts');
  const argv = client.exec(
    [process.execPath, '--import', 'tsx', script, target.host, String(target.port), String(n)],
    {
      nofile: NOFILE,
    },
  );
  const conns = start('idle client', argv, ROOT);
  try {
    const done = await conns.waitForOutput(/failed (\d+)/, 60_000);
    const failed = Number(done[1]);
    if (failed > 0) throw new Error(`${failed} of ${n} idle connections failed`);
    await hold.waitForOutput(new RegExp(`conns ${n}\\n`), 60_000, base);
    const after = rssKiB(proxy.pid);
    return { value: ((after - before) / 1024) * (10_000 / n), errors: failed };
  } finally {
    const mark = hold.output().length;
    await conns.stop();
    await hold.waitForOutput(/conns 0\n/, 60_000, mark).catch(() => {});
  }
}
