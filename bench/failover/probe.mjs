// Helpers the failover benchmark runs inside namespaces with `ip netns exec NS node probe.mjs …` (plain JS).
//   poll URL EVERY_MS TIMEOUT_MS GIVEUP_MS — long-lived client. On each stdin line "go" it starts a fresh
//       HTTP GET (new connection) every EVERY_MS, each bounded by TIMEOUT_MS, until one answers 200; then
//       prints "ok <epoch ms of that answer> <attempts> <epoch ms that attempt started>" (epoch ms = performance.timeOrigin + now, sub-ms),
//       or "fail <attempts>" after GIVEUP_MS. Prints "ready" at start.
//   gaps PORT FROM SECONDS — bind 0.0.0.0:PORT (SO_REUSEADDR: broadcast datagrams reach every such socket),
//       note the arrival time (ms, monotonic) of each datagram from address FROM for SECONDS, then print
//       {"arrivals":[…]} as one JSON line. Prints "ready" once bound.
import { createSocket } from 'node:dgram';
import { request } from 'node:http';
import { createInterface } from 'node:readline';

const [mode, ...args] = process.argv.slice(2);
const epochNow = () => performance.timeOrigin + performance.now();

function attempt(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

function pollOnce(url, everyMs, timeoutMs, giveUpMs) {
  return new Promise((resolve) => {
    let attempts = 0;
    let done = false;
    const finish = (line) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve(line);
    };
    const fire = () => {
      attempts++;
      const started = epochNow();
      void attempt(url, timeoutMs).then((ok) => {
        if (ok) finish(`ok ${epochNow().toFixed(3)} ${attempts} ${started.toFixed(3)}`);
      });
    };
    const timer = setInterval(fire, everyMs);
    const giveUp = setTimeout(() => finish(`fail ${attempts}`), giveUpMs);
    fire();
  });
}

if (mode === 'poll') {
  const [url, every, timeout, giveUp] = args;
  const rl = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of rl) {
    if (line.trim() !== 'go') continue;
    const out = await pollOnce(url, Number(every), Number(timeout), Number(giveUp));
    process.stdout.write(`${out}\n`);
  }
} else if (mode === 'gaps') {
  const [port, from, seconds] = args;
  const arrivals = [];
  const s = createSocket({ type: 'udp4', reuseAddr: true });
  s.on('message', (_m, r) => {
    if (r.address === from) arrivals.push(performance.now());
  });
  s.bind(Number(port), '0.0.0.0', () => {
    process.stdout.write('ready\n');
    setTimeout(() => {
      process.stdout.write(`${JSON.stringify({ arrivals })}\n`);
      s.close();
      process.exit(0);
    }, Number(seconds) * 1000);
  });
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
