import { readFileSync } from 'node:fs';
import type { AuthKeys } from '../auth.ts';

/** The captured heartbeat 3.0.6 payloads (test/fixtures/heartbeat/README.md) and the key they were signed with. */
export interface CapturedPacket {
  readonly from: string;
  readonly type: string;
  readonly bytes: Uint8Array;
}

const FIXTURE = new URL('../../../test/fixtures/heartbeat/capture-3.0.6.txt', import.meta.url);

export const CAPTURE_KEYS: AuthKeys = {
  sendId: 1,
  keys: new Map([[1, { id: 1, method: 'sha1', key: 'secret' }]]),
};

export function loadCapture(): CapturedPacket[] {
  const lines = readFileSync(FIXTURE, 'utf8').split('\n');
  const out: CapturedPacket[] = [];
  let label: RegExpExecArray | null = null;
  for (const line of lines) {
    const m = /^# from (\S+) type (\S+) \((\d+) bytes\)$/.exec(line);
    if (m) label = m;
    else if (label && /^[0-9a-f]+$/.test(line)) {
      const bytes = new Uint8Array(Buffer.from(line, 'hex'));
      if (bytes.length !== Number(label[3])) throw new Error(`capture: length mismatch for ${label[0]}`);
      out.push({ from: label[1]!, type: label[2]!, bytes });
      label = null;
    }
  }
  return out;
}
