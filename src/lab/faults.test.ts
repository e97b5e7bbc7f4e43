import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTarget } from './faults.ts';

describe('resolveTarget', () => {
  const cases: Array<{
    name: string | undefined;
    before: string[];
    last?: string;
    want: ReturnType<typeof resolveTarget>;
  }> = [
    { name: undefined, before: ['a'], want: {} },
    { name: 'r1', before: [], want: { target: 'r1' } },
    { name: 'active', before: ['a'], want: { target: 'a' } },
    { name: 'active', before: [], want: { error: 'no single active director (owners: none)' } },
    { name: 'active', before: ['a', 'b'], want: { error: 'no single active director (owners: a+b)' } },
    { name: 'last', before: ['a'], last: 'b', want: { target: 'b' } },
    { name: 'last', before: ['a'], want: { error: 'no previous target' } },
  ];
  for (const c of cases) {
    it(`${c.name} with owners [${c.before}] and last ${c.last}`, () => {
      assert.deepEqual(resolveTarget(c.name, c.before, c.last), c.want);
    });
  }
});
