// Open N idle TCP connections to HOST:PORT (at most 256 connecting at once) and keep them.
// argv: HOST PORT N. Prints "open N" once all are established, "failed M" for any that failed; exits on SIGTERM.
import { connect } from 'node:net';

const host = process.argv[2] as string;
const port = Number(process.argv[3]);
const total = Number(process.argv[4]);
const CONCURRENCY = 256;
let started = 0;
let open = 0;
let failed = 0;

function next(): void {
  if (started >= total) return;
  started++;
  const s = connect({ port, host });
  s.on('connect', () => {
    open++;
    if (open + failed === total) process.stdout.write(`open ${open}\nfailed ${failed}\n`);
    next();
  });
  s.on('error', () => {
    failed++;
    if (open + failed === total) process.stdout.write(`open ${open}\nfailed ${failed}\n`);
    next();
  });
}

for (let i = 0; i < CONCURRENCY; i++) next();
process.on('SIGTERM', () => process.exit(0));
