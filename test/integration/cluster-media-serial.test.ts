import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSerial } from '../../src/cluster/media/serial.ts';
import { mediumContract } from '../../src/cluster/media/testing/medium-contract.ts';

/** The medium contract for serial lines, over a socat pty pair as the null-modem cable. */

const socatMissing = spawnSync('socat', ['-V']).status !== 0;

/** A socat pty pair: `A` and `B` are the two ends; resolves once socat reports its transfer loop running. */
async function nullModem(): Promise<{ dir: string; a: string; b: string; socat: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-serial-'));
  const a = join(dir, 'A');
  const b = join(dir, 'B');
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start: ${text}`)), 5000);
    socat.stderr?.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
    socat.once('exit', (code) => reject(new Error(`socat exited ${code}: ${text}`)));
  });
  return { dir, a, b, socat };
}

/** Fail if this process still has a descriptor open on any of `devices`. */
function assertNoFdOn(devices: readonly string[]): void {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (devices.includes(target)) open.push(`${fd} → ${target}`);
    } catch {
      // the directory's own descriptor is gone by now
    }
  }
  assert.deepEqual(open, [], 'descriptors still open on the ttys');
}

mediumContract(
  'serial over a socat pty pair',
  async () => {
    const m = await nullModem();
    const devices = [realpathSync(m.a), realpathSync(m.b)];
    const a = await openSerial({ device: m.a, baud: 115200 });
    const b = await openSerial({ device: m.b, baud: 115200 });
    assert.equal(a.formats, 'classic');
    return {
      a,
      b,
      assertReleased: async () => assertNoFdOn(devices),
      dispose: async () => {
        await a.close();
        await b.close();
        if (m.socat.exitCode === null) {
          const exited = new Promise((r) => m.socat.once('exit', r));
          m.socat.kill('SIGTERM');
          await exited;
        }
        rmSync(m.dir, { recursive: true, force: true });
      },
    };
  },
  { skip: socatMissing ? 'socat is not installed' : false },
);
