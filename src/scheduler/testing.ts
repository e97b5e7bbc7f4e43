/** Test fixtures for scheduler tests: mutable destinations and flows. Not used by production code. */
import type { Flow, SchedDest } from './scheduler.ts';

export interface TestDest {
  id: string;
  address: string;
  port: number;
  weight: number;
  available: boolean;
  overloaded: boolean;
  activeConns: number;
  inactConns: number;
}

/** A destination named `name` at 10.0.0.<n>:80 (n from the name's position in A..Z unless given). */
export function dest(name: string, weight = 1, extra: Partial<TestDest> = {}): TestDest & SchedDest {
  const n = name.charCodeAt(0) - 64;
  const address = extra.address ?? `10.0.0.${n}`;
  const port = extra.port ?? 80;
  return {
    id: name,
    address,
    port,
    weight,
    available: true,
    overloaded: false,
    activeConns: 0,
    inactConns: 0,
    ...extra,
  };
}

/** `names` with weights, in the given (scheduling, newest-first) order. */
export function dests(spec: Record<string, number>): (TestDest & SchedDest)[] {
  return Object.entries(spec).map(([name, w]) => dest(name, w));
}

export function flow(clientAddress = '192.0.2.1', extra: Partial<Flow> = {}): Flow {
  return {
    protocol: 'tcp',
    clientAddress,
    clientPort: 40000,
    virtualAddress: '198.51.100.1',
    virtualPort: 80,
    nowMs: 0,
    ...extra,
  };
}

/** The i-th of many distinct flows: client 192.0.(i>>8).(i&255), VIP 198.51.100.(i % 251), port varies. */
export function manyFlow(i: number, nowMs = 0): Flow {
  return flow(`192.0.${(i >> 8) & 255}.${i & 255}`, {
    clientPort: 1024 + ((i * 7919) % 60000),
    virtualAddress: `198.51.100.${i % 251}`,
    nowMs,
  });
}
