import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Health } from '../director/real-server.ts';
import { decide, fallbackOut, type HealthOp, type ServicePolicy, type ServiceView } from './consequences.ts';

const BASE: ServicePolicy = {
  serviceId: 'tcp:192.0.2.1:80',
  protocol: 'tcp',
  address: '192.0.2.1',
  port: 80,
  downAction: 'quiesce',
};
const WITH_FALLBACK: ServicePolicy = {
  ...BASE,
  fallback: { address: '10.0.0.9', port: 8080 },
  fallbackCommand: ['/usr/local/bin/fb'],
};

/** `a:up>down` = real a is up in the director and should be down. */
function view(spec: string, fallbackActive = false, settled = true): ServiceView {
  return {
    fallbackActive,
    settled,
    reals: spec.split(' ').map((s) => {
      const [id = '', change = ''] = s.split(':');
      const [now, want] = change.split('>') as [Health, Health | undefined];
      return {
        id,
        health: now,
        wanted: { health: want ?? now, reason: want === 'down' ? 'refused' : undefined },
      };
    }),
  };
}

/** Ops rendered compactly for the tables. */
function render(ops: HealthOp[]): string[] {
  return ops.map((o) => {
    switch (o.op) {
      case 'set-health':
        return `set ${o.realId} ${o.health}`;
      case 'add-fallback':
        return `add-fallback ${o.address}:${o.port}`;
      case 'remove-fallback':
        return `remove-fallback ${o.realId}`;
      case 'fallback-active':
        return `fallback-active ${o.active}`;
      case 'run':
        return `run ${o.argv.join(' ')}`;
      case 'alert':
        return `alert ${o.alert.kind} ${o.alert.real ?? '-'}${o.alert.reason ? ` (${o.alert.reason})` : ''}`;
    }
    return '';
  });
}

const cases: Array<{ name: string; policy: ServicePolicy; view: ServiceView; want: string[] }> = [
  { name: 'nothing changes', policy: WITH_FALLBACK, view: view('a:up b:up'), want: [] },
  {
    name: 'one of two goes down: set + alert, no fallback',
    policy: WITH_FALLBACK,
    view: view('a:up>down b:up'),
    want: ['set a down', 'alert real-down a (refused)'],
  },
  {
    name: 'the last one goes down: fallback server in and start command, once',
    policy: WITH_FALLBACK,
    view: view('a:up>down b:down'),
    want: [
      'set a down',
      'alert real-down a (refused)',
      'add-fallback 10.0.0.9:8080',
      'run /usr/local/bin/fb start 192.0.2.1:80 tcp',
      'fallback-active true',
      'alert fallback-in 10.0.0.9:8080 (no real server is up)',
    ],
  },
  {
    name: 'all down and the fallback already in: nothing more',
    policy: WITH_FALLBACK,
    view: view('a:down b:down', true),
    want: [],
  },
  {
    name: 'the first one back: fallback out and stop command',
    policy: WITH_FALLBACK,
    view: view('a:down>up b:down', true),
    want: [
      'set a up',
      'alert real-up a',
      'remove-fallback 10.0.0.9:8080',
      'run /usr/local/bin/fb stop 192.0.2.1:80 tcp',
      'fallback-active false',
      'alert fallback-out 10.0.0.9:8080',
    ],
  },
  {
    name: 'first state after start (unknown → down): no alert; not settled: no fallback yet',
    policy: WITH_FALLBACK,
    view: view('a:unknown>down b:unknown>down', false, false),
    want: ['set a down', 'set b down'],
  },
  {
    name: "a check's first verdict after start (down → up, wanted.first): applied, not alerted",
    policy: BASE,
    view: {
      fallbackActive: false,
      settled: true,
      reals: [{ id: 'a', health: 'down', wanted: { health: 'up', reason: 'ok', first: true } }],
    },
    want: ['set a up'],
  },
  {
    name: 'unknown → up is a first state too: no alert',
    policy: BASE,
    view: view('a:unknown>up'),
    want: ['set a up'],
  },
  {
    name: 'fallback command without a fallback server (IPv6 VIP in brackets)',
    policy: { ...BASE, address: '2001:db8::1', fallbackCommand: ['/bin/fb', '-v'] },
    view: view('a:up>down'),
    want: [
      'set a down',
      'alert real-down a (refused)',
      'run /bin/fb -v start [2001:db8::1]:80 tcp',
      'fallback-active true',
      'alert fallback-in - (no real server is up)',
    ],
  },
  {
    name: 'no fallback configured: only the real changes',
    policy: BASE,
    view: view('a:up>down'),
    want: ['set a down', 'alert real-down a (refused)'],
  },
  {
    name: 'unchecked reals (unknown) count as up: no fallback',
    policy: WITH_FALLBACK,
    view: view('a:unknown b:up>down'),
    want: ['set b down', 'alert real-down b (refused)'],
  },
];

for (const c of cases) {
  test(`consequences: ${c.name}`, () => assert.deepEqual(render(decide(c.policy, c.view)), c.want));
}

test('consequences: fallbackOut (reload dropped the fallback) removes it and runs stop', () => {
  assert.deepEqual(render(fallbackOut(WITH_FALLBACK)), [
    'remove-fallback 10.0.0.9:8080',
    'run /usr/local/bin/fb stop 192.0.2.1:80 tcp',
    'fallback-active false',
    'alert fallback-out 10.0.0.9:8080',
  ]);
});
