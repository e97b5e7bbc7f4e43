// Helpers the failover system tests run inside namespaces with `ip netns exec NS node cluster-peer.mjs …`
// (plain JS: no loader).
//   http NAME PORT              — HTTP server answering every request with NAME; prints "ready".
//   get URL TIMEOUT_MS          — one GET; prints the body, or "error: …" (exit 0 either way).
//   capture PORT COUNT MS       — bind 0.0.0.0:PORT (SO_REUSEADDR), print the first COUNT datagrams as
//                                 JSON [{from, hex}] (fewer if MS passes first).
//   send HOST PORT HEX…         — send each hex string as one datagram; prints "sent N".
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'http') {
  const [name, port] = args;
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    res.end(name);
  });
  server.listen(Number(port), '0.0.0.0', () => process.stdout.write('ready\n'));
} else if (mode === 'get') {
  const [url, ms] = args;
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(Number(ms)) });
    process.stdout.write(`${await r.text()}\n`);
  } catch (e) {
    process.stdout.write(`error: ${e?.cause?.code ?? e?.name ?? e}\n`);
  }
} else if (mode === 'capture') {
  const [port, count, ms] = args;
  const out = [];
  const s = createSocket({ type: 'udp4', reuseAddr: true });
  const done = () => {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    s.close();
    process.exit(0);
  };
  const t = setTimeout(done, Number(ms));
  s.on('message', (m, r) => {
    out.push({ from: r.address, hex: m.toString('hex') });
    if (out.length >= Number(count)) {
      clearTimeout(t);
      done();
    }
  });
  s.bind(Number(port), '0.0.0.0');
} else if (mode === 'send') {
  const [host, port, ...hex] = args;
  const s = createSocket('udp4');
  for (const h of hex) {
    await new Promise((resolve, reject) =>
      s.send(Buffer.from(h, 'hex'), Number(port), host, (e) => (e ? reject(e) : resolve())),
    );
  }
  s.close();
  process.stdout.write(`sent ${hex.length}\n`);
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
