// TCP backend that accepts connections and holds them open, reading and dropping any data.
// argv: PORT (bound on every address). Prints "conns N" (at most every 100 ms) whenever the number of open connections changed.
import { createServer } from 'node:net';

const port = Number(process.argv[2]);
let open = 0;
let reported = -1;
const server = createServer((s) => {
  open++;
  s.on('data', () => {});
  s.on('error', () => {});
  s.on('close', () => open--);
});
server.listen({ port, host: '0.0.0.0', backlog: 4096 }, () => process.stdout.write(`ready tcp ${port}\n`));
setInterval(() => {
  if (open !== reported) {
    reported = open;
    process.stdout.write(`conns ${open}\n`);
  }
}, 100);
process.on('SIGTERM', () => process.exit(0));
