// UDP load generator: keeps WINDOW datagrams of SIZE bytes in flight to 127.0.0.1:PORT, sends one more
// for every echoed reply, and refills the window when nothing came back for 50 ms (lost datagrams).
// argv: PORT SECONDS [WINDOW=32] [SIZE=64]. Prints one JSON line {replies, sent, seconds, perSec}.
import { createSocket } from 'node:dgram';

const port = Number(process.argv[2]);
const seconds = Number(process.argv[3]);
const window = Number(process.argv[4] ?? 32);
const size = Number(process.argv[5] ?? 64);
const payload = Buffer.alloc(size, 0x61);
const sock = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
let replies = 0;
let sent = 0;
let lastReplies = 0;
let running = true;

const send = () => {
  sent++;
  sock.send(payload, port, '127.0.0.1');
};
sock.on('message', () => {
  replies++;
  if (running) send();
});
sock.bind(0, '127.0.0.1', () => {
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
