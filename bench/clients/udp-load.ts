// UDP load generator: keeps WINDOW datagrams of SIZE bytes in flight to HOST:PORT, sends one more
// for every echoed reply, and refills the window when nothing came back for 50 ms (lost datagrams). The
// socket is connected, so only replies from HOST:PORT count (a DR reply from the wrong source does not).
// argv: HOST PORT SECONDS [WINDOW=32] [SIZE=64]. Prints one JSON line {replies, sent, seconds, perSec}.
import { createSocket } from 'node:dgram';

const host = process.argv[2] as string;
const port = Number(process.argv[3]);
const seconds = Number(process.argv[4]);
const window = Number(process.argv[5] ?? 32);
const size = Number(process.argv[6] ?? 64);
const payload = Buffer.alloc(size, 0x61);
const sock = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
let replies = 0;
let sent = 0;
let lastReplies = 0;
let running = true;

const send = () => {
  sent++;
  sock.send(payload);
};
// A refused or unreachable send (ICMP) only shows as missing replies.
sock.on('error', () => {});
sock.on('message', () => {
  replies++;
  if (running) send();
});
sock.connect(port, host, () => {
  const t0 = performance.now();
  for (let i = 0; i < window; i++) send();
  const refill = setInterval(() => {
    if (replies === lastReplies) {
      for (let i = 0; i < window; i++) send();
    }
    lastReplies = replies;
  }, 50);
  setTimeout(() => {
    running = false;
    clearInterval(refill);
    const s = (performance.now() - t0) / 1000;
    process.stdout.write(`${JSON.stringify({ replies, sent, seconds: s, perSec: replies / s })}\n`);
    sock.close();
  }, seconds * 1000);
});
