import { fileURLToPath } from 'node:url';
import { lineFrom } from '../../../src/lab/child-lines.ts';
import { Topology as NetnsTopology } from '../../../src/lab/netns.ts';

/**
 * The system tests' view of the one namespace module (src/lab/netns.ts): the same Topology, plus the
 * helpers that drive this directory's peer.mjs (a TCP/UDP server answering with its name, and clients).
 */

export { lineFrom };
export { type Link, netnsUnavailable } from '../../../src/lab/netns.ts';

export const PEER = fileURLToPath(new URL('./peer.mjs', import.meta.url));

export class Topology extends NetnsTopology {
  /** A peer server answering with its name (TCP greet+echo on tcpPort, UDP on udpBind:udpPort); resolves when listening. */
  async startServer(
    host: string,
    name: string,
    tcpPort: number,
    udpPort: number,
    udpBind: string,
  ): Promise<void> {
    const child = this.spawn(host, ['node', PEER, 'server', name, String(tcpPort), String(udpPort), udpBind]);
    await lineFrom(child, (l) => l === 'ready', `${name} listening`);
  }

  /** Run a one-shot peer client in `host`; its JSON output. */
  async client(
    host: string,
    mode: 'tcp' | 'udp',
    addr: string,
    port: number,
    count: number,
  ): Promise<string[]> {
    const out = await this.run(host, ['node', PEER, mode, addr, String(port), String(count)]);
    return JSON.parse(out) as string[];
  }
}

/** How many times each server name answered. */
export function tally(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const name = l.split(' ')[0] as string;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}
