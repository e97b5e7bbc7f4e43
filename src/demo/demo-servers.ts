import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A built-in demo real server: plain HTTP on 127.0.0.1, answering every request with its own name. */
export interface DemoServer {
  readonly name: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startDemoServer(name: string, host = '127.0.0.1', port = 0): Promise<DemoServer> {
  const server: Server = createServer((req, res) => {
    const body = `Hello from ${name} (${host}:${(server.address() as AddressInfo).port}) — you asked for ${req.url}\n`;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-served-by': name });
    res.end(body);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    name,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startDemoServers(count: number): Promise<DemoServer[]> {
  const started: DemoServer[] = [];
  try {
    for (let i = 1; i <= count; i++) started.push(await startDemoServer(`demo-${i}`));
    return started;
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
}
