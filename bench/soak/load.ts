import { createSocket } from 'node:dgram';
import { run } from '../exec.ts';
import { wrkArgv } from '../wrk.ts';

/** Error and request counts by kind ("keep-alive: timeout", "udp: lost", …). */
export type Counters = Record<string, number>;

export function add(c: Counters, kind: string, n = 1): void {
  if (n !== 0) c[kind] = (c[kind] ?? 0) + n;
}

/** wrk run after run (15 s each, the last one shorter) until `end`; each summary's counts by kind. */
export async function wrkLoop(
  url: string,
  o: { connections: number; close: boolean },
  end: number,
  c: Counters,
  label: string,
): Promise<void> {
  while (end - Date.now() >= 1000) {
    const durationS = Math.min(15, Math.floor((end - Date.now()) / 1000));
    const argv = [...wrkArgv(url, { durationS, connections: o.connections, close: o.close })];
    argv.splice(argv.length - 1, 0, '--timeout', '2s');
    const r = await run(argv, (durationS + 20) * 1000).catch((e: Error) => ({
      code: -1,
      stdout: '',
      out: e.message,
    }));
    if (r.code !== 0) {
      add(c, `${label}: wrk failed`);
      continue;
    }
    countWrk(r.stdout, c, label);
  }
}

/** wrk's summary → requests, socket errors by kind, non-2xx/3xx responses. */
export function countWrk(out: string, c: Counters, label: string): void {
  const total = /(\d+) requests in/.exec(out);
  add(c, `${label}: requests`, Number(total?.[1] ?? 0));
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  if (sock) {
    add(c, `${label}: connect errors`, Number(sock[1]));
    add(c, `${label}: read errors`, Number(sock[2]));
    add(c, `${label}: write errors`, Number(sock[3]));
    add(c, `${label}: timeouts`, Number(sock[4]));
  }
  add(c, `${label}: non-2xx/3xx`, Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0));
}

/**
 * UDP datagrams through the service: one every 2 ms, each with a sequence number the echo sends back.
 * A datagram with no echo within 2 s counts as lost.
 */
export async function udpLoad(port: number, end: number, c: Counters): Promise<void> {
  const sock = createSocket('udp4');
  const pending = new Map<number, number>();
  sock.on('message', (msg) => {
    const seq = msg.readUInt32BE(0);
    if (pending.delete(seq)) add(c, 'udp: echoed');
  });
  sock.on('error', () => add(c, 'udp: socket errors'));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  let seq = 0;
  const sweep = () => {
    const old = Date.now() - 2000;
    for (const [s, at] of pending) {
      if (at < old) {
        pending.delete(s);
        add(c, 'udp: lost');
      }
    }
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (Date.now() >= end) {
        clearInterval(timer);
        resolve();
        return;
      }
      const b = Buffer.alloc(64);
      b.writeUInt32BE(seq, 0);
      pending.set(seq, Date.now());
      seq = (seq + 1) >>> 0;
      add(c, 'udp: sent');
      sock.send(b, port, '127.0.0.1');
      if (seq % 500 === 0) sweep();
    }, 2);
  });
  // Wait out the replies of the last datagrams, then count the rest as lost.
  await new Promise((r) => setTimeout(r, 2100));
  sweep();
  sock.close();
}
