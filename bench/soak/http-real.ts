// Soak real server: HTTP on 127.0.0.1:PORT, every path answers 200 "ok NAME". argv: PORT NAME.
// Prints "ready http PORT" once listening. SIGTERM closes it.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const name = process.argv[3] ?? 'real';
const body = `ok ${name}\n`;
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 5000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`ready http ${port}\n`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
