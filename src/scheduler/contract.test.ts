import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isWebfarmError } from '../model/errors.ts';
import { allSchedulers, createScheduler } from './registry.ts';
import { SCHEDULER_FLAGS, SCHEDULER_NAMES, type SchedulerName } from './scheduler.ts';
import { dest, dests, flow, manyFlow, type TestDest } from './testing.ts';

/**
 * The contract every scheduler keeps, run for each registered one. Documented skips (hono-style): a case a
 * scheduler does not meet because the kernel rule says otherwise names the scheduler and the reason.
 */
const SKIP: Partial<Record<string, Partial<Record<SchedulerName, string>>>> = {
  'an OVERLOAD-flagged server is never picked, even after it was cached': {
    lblc: 'ip_vs_lblc.c uses a cached server without testing the OVERLOAD flag (only its own "overloaded" rule)',
  },
};

/** Schedulers whose choice is a function of the flow's addresses (for equal counters). */
const HASHING: readonly SchedulerName[] = ['sh', 'dh', 'mh', 'lblc', 'lblcr'];
const FLOWS = 300;

function contract(name: string, fn: (s: SchedulerName) => void): void {
  for (const f of allSchedulers()) {
    const reason = SKIP[name]?.[f.name];
    test(`${f.name}: ${name}`, reason ? { skip: reason } : {}, () => fn(f.name));
  }
}

/** Pick FLOWS distinct flows; record the chosen ids (or '-' for none). */
function pickAll(name: SchedulerName, list: TestDest[], nowMs = 0): string[] {
  const s = createScheduler(name);
  s.update(list);
  return Array.from({ length: FLOWS }, (_, i) => s.pick(list, manyFlow(i, nowMs))?.id ?? '-');
}

describe('scheduler contract', () => {
  test('every name in SCHEDULER_NAMES is registered', () => {
    assert.deepEqual(
      allSchedulers()
        .map((f) => f.name)
        .sort(),
      [...SCHEDULER_NAMES].sort(),
    );
  });

  contract('an empty list gives no server', (name) => {
    const s = createScheduler(name);
    s.update([]);
    assert.equal(s.pick([], flow()), undefined);
  });

  contract('a single eligible server is picked, and it is the passed object', (name) => {
    const list = [dest('A', 3)];
    const s = createScheduler(name);
    s.update(list);
    for (let i = 0; i < 50; i++) assert.equal(s.pick(list, manyFlow(i)), list[0]);
  });

  contract('a weight-0 server is never picked', (name) => {
    const picks = pickAll(name, dests({ Q: 0, A: 2, R: 0, B: 1, S: 0 }));
    assert.ok(!picks.some((id) => 'QRS'.includes(id)), picks.join(''));
    assert.ok(picks.includes('A') || picks.includes('B') || HASHING.includes(name));
    assert.deepEqual(new Set(pickAll(name, dests({ Q: 0, R: 0 }))), new Set(['-']));
  });

  contract('an unavailable server is never picked', (name) => {
    const list = dests({ A: 1, B: 2, C: 1 });
    (list[1] as TestDest).available = false;
    assert.ok(!pickAll(name, list).includes('B'));
    for (const d of list) d.available = false;
    assert.deepEqual(new Set(pickAll(name, list)), new Set(['-']));
  });

  contract('an OVERLOAD-flagged server is never picked, even after it was cached', (name) => {
    const list = dests({ A: 1, B: 2, C: 1 });
    const s = createScheduler(name);
    s.update(list);
    for (let i = 0; i < FLOWS; i++) s.pick(list, manyFlow(i));
    (list[1] as TestDest).overloaded = true;
    for (let i = 0; i < FLOWS; i++) assert.notEqual(s.pick(list, manyFlow(i))?.id, 'B');
    s.update(list);
    for (let i = 0; i < FLOWS; i++) assert.notEqual(s.pick(list, manyFlow(i))?.id, 'B');
  });

  contract(
    'a server that already failed this connection (available=false view, no update) is skipped',
    (name) => {
      const list = dests({ A: 1, B: 1, C: 1 });
      const s = createScheduler(name);
      s.update(list);
      for (let i = 0; i < FLOWS; i++) {
        const first = s.pick(list, manyFlow(i));
        if (!first) continue;
        const view = list.map((d) => (d.id === first.id ? { ...d, available: false } : d));
        assert.notEqual(s.pick(view, manyFlow(i))?.id, first.id);
      }
    },
  );

  contract('a removed server is never picked after update', (name) => {
    const list = dests({ C: 1, B: 1, A: 1 });
    const s = createScheduler(name);
    s.update(list);
    for (let i = 0; i < FLOWS; i++) s.pick(list, manyFlow(i));
    const after = list.filter((d) => d.id !== 'B');
    s.update(after);
    for (let i = 0; i < FLOWS; i++) assert.notEqual(s.pick(after, manyFlow(i))?.id, 'B');
  });

  contract('flags it does not accept are refused with WF_ERR_SCHEDULER_FLAG', (name) => {
    const accepted = allSchedulers().find((f) => f.name === name)?.flags ?? [];
    for (const flag of SCHEDULER_FLAGS) {
      if (accepted.includes(flag)) assert.doesNotThrow(() => createScheduler(name, [flag]));
      else
        assert.throws(
          () => createScheduler(name, [flag]),
          (e) => isWebfarmError(e) && e.code === 'WF_ERR_SCHEDULER_FLAG',
        );
    }
  });

  contract('deterministic: two instances fed the same calls pick the same sequence', (name) => {
    const run = () => {
      const list = dests({ D: 1, C: 3, B: 2, A: 5 });
      const s = createScheduler(name);
      s.update(list);
      const seq: string[] = [];
      for (let i = 0; i < FLOWS; i++) {
        const d = s.pick(list, manyFlow(i % 37, i * 1000)) as TestDest | undefined;
        seq.push(d?.id ?? '-');
        if (d) d.activeConns++;
        const done = list[i % list.length] as TestDest;
        if (i % 3 === 0 && done.activeConns > 0) done.activeConns--;
      }
      return seq;
    };
    assert.deepEqual(run(), run());
  });

  for (const name of HASHING) {
    test(`${name}: the same flow gets the same server`, () => {
      const list = dests({ D: 1, C: 1, B: 1, A: 1 });
      const s = createScheduler(name);
      s.update(list);
      for (let i = 0; i < FLOWS; i++) {
        const first = s.pick(list, manyFlow(i))?.id;
        assert.ok(first);
        assert.equal(s.pick(list, manyFlow(i))?.id, first);
        assert.equal(s.pick(list, manyFlow(i))?.id, first);
      }
    });
  }
});
