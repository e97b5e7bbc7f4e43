// Peers run inside test network namespaces with `ip netns exec NS node peer.mjs MODE …` (plain JS: no loader).
//   server NAME TCPPORT UDPPORT UDPBIND  — TCP: greet "NAME CLIENTADDR\n" then echo; UDP: answer "NAME CLIENTADDR".
//   tcp HOST PORT COUNT                  — COUNT sequential connections; prints a JSON array of greetings.
//   udp HOST PORT COUNT                  — COUNT datagrams, each from a new socket; JSON array of answers.
//   tcpfrom HOST PORT LOCALPORT          — one connection from LOCALPORT, closed with a reset (no TIME_WAIT, so
//                                          the port can be reused at once); prints the greeting.
//   stream HOST PORT                     — one connection; prints the greeting, then echoes each stdin line
//                                          through it and prints what comes back ("timeout" after 3 s).
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';

const [mode, ...args] = process.argv.slice(2);

function firstLine(sock, ms = 3000) {
  return new Promise((resolve) => {
    let buf = '';
    const t = setTimeout(() => resolve('timeout'), ms);
    sock.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) {
        clearTimeout(t);
        resolve(buf.slice(0, i));
      }
    });
    sock.on('error', () => resolve('error'));
  });
}

if (mode === 'server') {
  const [name, tcpPort, udpPort, udpBind] = args;
  const tcp = createServer((s) => {
    s.on('error', () => {});
    s.write(`${name} ${s.remoteAddress}\n`);
    s.pipe(s);
  });
  const udp = createSocket('udp4');
  udp.on('message', (_m, r) => udp.send(`${name} ${r.address}`, r.port, r.address));
  tcp.listen(Number(tcpPort), '0.0.0.0', () =>
    udp.bind(Number(udpPort), udpBind, () => process.stdout.write('ready\n')),
  );
} else if (mode === 'tcp') {
  const [host, port, count] = args;
  const out = [];
  for (let i = 0; i < Number(count); i++) {
    const s = connect(Number(port), host);
    out.push(await firstLine(s));
    s.destroy();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else if (mode === 'tcpfrom') {
  const [host, port, localPort] = args;
  const s = connect({ host, port: Number(port), localPort: Number(localPort) });
  const line = await firstLine(s);
  s.resetAndDestroy();
  process.stdout.write(`${line}\n`);
} else if (mode === 'udp') {
  const [host, port, count] = args;
  const out = [];
  for (let i = 0; i < Number(count); i++) {
    const s = createSocket('udp4');
    out.push(
      await new Promise((resolve) => {
        const t = setTimeout(() => resolve('timeout'), 3000);
        s.on('message', (m) => {
          clearTimeout(t);
          resolve(m.toString());
        });
        s.send('x', Number(port), host);
      }),
    );
    s.close();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else if (mode === 'stream') {
  const [host, port] = args;
  const s = connect(Number(port), host);
  s.setNoDelay(true);
  process.stdout.write(`${await firstLine(s)}\n`);
  let buf = '';
  let waiting;
  s.on('data', (d) => {
    buf += d;
    let i = buf.indexOf('\n');
    while (i >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (waiting) {
        clearTimeout(waiting);
        waiting = undefined;
      }
      process.stdout.write(`${line}\n`);
      i = buf.indexOf('\n');
    }
  });
  s.on('error', (e) => process.stdout.write(`error ${e.code}\n`));
  s.on('close', () => process.stdout.write('closed\n'));
  createInterface({ input: process.stdin }).on('line', (line) => {
    s.write(`${line}\n`);
    waiting = setTimeout(() => process.stdout.write('timeout\n'), 3000);
  });
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
