import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSerial } from '../../src/cluster/media/serial.ts';
import { HeartbeatNode } from '../../src/cluster/node/heartbeat-node.ts';
import { EventLog, is, TEST_KEYS } from '../../src/cluster/node/testing/event-log.ts';
import { systemClock } from '../../src/platform/clock.ts';

/** Two heartbeat nodes over a serial line alone (a socat pty pair): classic frames, both see each other. */

const socatMissing = spawnSync('socat', ['-V']).status !== 0;

test('two nodes over a serial line alone see each other; classic form on the wire', {
  skip: socatMissing ? 'socat is not installed' : false,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-serial-node-'));
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${dir}/A`, `pty,raw,echo=0,link=${dir}/B`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const nodes: HeartbeatNode[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let text = '';
      const t = setTimeout(() => reject(new Error(`socat did not start: ${text}`)), 5000);
      socat.stderr.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('starting data transfer loop')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const ma = await openSerial({ device: `${dir}/A` });
    const mb = await openSerial({ device: `${dir}/B` });
    const wire: string[] = [];
    ma.onReceive((bytes) => wire.push(Buffer.from(bytes).toString('latin1')));
    const logs = [new EventLog(), new EventLog()] as const;
    for (const [i, [name, m]] of (
      [
        ['alpha', ma],
        ['beta', mb],
      ] as const
    ).entries()) {
      const n = new HeartbeatNode(
        { localNode: name, nodes: ['alpha', 'beta'], keys: TEST_KEYS, generation: 1 },
        { clock: systemClock, media: [m] },
      );
      n.on(logs[i]!.push);
      nodes.push(n);
      n.start();
    }
    await logs[0].waitFor(
      is('peer-up', { peer: 'beta', link: `serial ${dir}/A` }),
      'alpha sees beta on serial',
    );
    await logs[1].waitFor(is('peer-up', { peer: 'alpha' }), 'beta sees alpha on serial');
    assert.match(wire[0] ?? '', /^>>>\nt=status\nst=(up|active)\n.*\nauth=1 [0-9a-f]{64}\n<<<\n$/s);
    assert.deepEqual(
      logs[0].kinds().filter((k) => k === 'rejected'),
      [],
    );
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    const exited = new Promise((r) => socat.once('exit', r));
    socat.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
