// The lab's helpers, run inside namespaces as `node agent.mjs …` (plain JS: no loader, starts fast).
//   http NAME PORT BIND BODY  — HTTP server answering every request with BODY; prints "ready", then one
//                               line `req T PATH` per request (T = Date.now()). Reads commands on stdin:
//                               `hang` (accept, never answer), `slow MS` (answer after MS), `normal`.
//   client URL RATE TIMEOUT_MS — GET URL RATE times a second (one at a time) until stdin closes or SIGTERM;
//                               one JSON line per request: {"t","ms","ok","body"}.
import { createServer } from 'node:http';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'http') {
  const [, port, bind, body] = args;
  let state = { mode: 'normal', ms: 0 };
  const server = createServer((req, res) => {
    process.stdout.write(`req ${Date.now()} ${req.url}\n`);
    req.resume();
    const answer = () => {
      res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
      res.end(body);
    };
    if (state.mode === 'hang') return;
    if (state.mode === 'slow') setTimeout(answer, state.ms);
    else answer();
  });
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => {
    for (const line of d.split('\n').filter(Boolean)) {
      const [cmd, ms] = line.trim().split(' ');
      state = { mode: cmd, ms: Number(ms ?? 0) };
      process.stdout.write(`mode ${cmd}\n`);
    }
  });
  server.listen(Number(port), bind, () => process.stdout.write('ready\n'));
} else if (mode === 'client') {
  const [url, rate, timeout] = args;
  const gap = 1000 / Number(rate);
  let stop = false;
  process.on('SIGTERM', () => {
    stop = true;
  });
  process.stdin.on('end', () => {
    stop = true;
  });
  process.stdin.resume();
  while (!stop) {
    const t = Date.now();
    let ok = false;
    let text = '';
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(Number(timeout)), keepalive: false });
      text = (await r.text()).trim();
      ok = r.ok;
    } catch (e) {
      text = `error: ${e?.cause?.code ?? e?.name ?? e}`;
    }
    const ms = Date.now() - t;
    process.stdout.write(`${JSON.stringify({ t, ms, ok, body: text })}\n`);
    await new Promise((r) => setTimeout(r, Math.max(0, gap - ms)));
  }
  process.exit(0);
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
