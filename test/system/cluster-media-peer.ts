/**
 * A medium in another process (run inside a network namespace by cluster-media-netns.test.ts): opens the
 * medium described by the JSON spec in argv[2] and speaks JSON lines.
 *   stdin:  {"op":"send","hex":…} | {"op":"close"} | {"op":"released","port":N}
 *   stdout: {"ev":"ready","status":…} | {"ev":"recv","hex":…,"from":…} | {"ev":"status",…} | {"ev":"closed"}
 *           | {"ev":"released","result":"ok"|CODE} | {"ev":"error","message":…}
 * Exits when stdin ends.
 */
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';
import { type MediumSpec, openMedium } from '../../src/cluster/media/medium-spec.ts';

const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as MediumSpec;
  const medium = await openMedium(spec);
  medium.onReceive((bytes, from) => out({ ev: 'recv', hex: Buffer.from(bytes).toString('hex'), from }));
  medium.onStatus((status, detail) => out({ ev: 'status', status, detail }));
  out({ ev: 'ready', status: medium.status, name: medium.name });
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const cmd = JSON.parse(line) as { op: string; hex?: string; port?: number };
    if (cmd.op === 'send') medium.send(Buffer.from(cmd.hex ?? '', 'hex'));
    if (cmd.op === 'close') void medium.close().then(() => out({ ev: 'closed' }));
    if (cmd.op === 'released') void portFree(cmd.port ?? 0).then((result) => out({ ev: 'released', result }));
  });
  rl.on('close', () => {
    void medium.close().then(() => process.exit(0));
  });
}

/** Bind 0.0.0.0:port without SO_REUSEADDR: 'ok' unless some socket still holds it. */
function portFree(port: number): Promise<string> {
  const s = createSocket({ type: 'udp4', reuseAddr: false });
  return new Promise((resolve) => {
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    s.bind(port, '0.0.0.0', () => s.close(() => resolve('ok')));
  });
}

main().catch((e: unknown) => {
  out({ ev: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
