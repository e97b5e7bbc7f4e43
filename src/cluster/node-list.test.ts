import assert from 'node:assert/strict';
import { test } from 'node:test';
import { message } from './message.ts';
import { nodeListReply, nodeListRequester } from './node-list.ts';

test('node-list: a reqnodes for us names its requester; anything else is not one', () => {
  const cases: [string, [string, string][], string | undefined][] = [
    [
      'for us',
      [
        ['t', 'reqnodes'],
        ['dest', 'wf'],
        ['src', 'hba'],
      ],
      'hba',
    ],
    [
      'dest case-insensitive',
      [
        ['t', 'reqnodes'],
        ['dest', 'WF'],
        ['src', 'hba'],
      ],
      'hba',
    ],
    [
      'for another node',
      [
        ['t', 'reqnodes'],
        ['dest', 'hbb'],
        ['src', 'hba'],
      ],
      undefined,
    ],
    [
      'no dest',
      [
        ['t', 'reqnodes'],
        ['src', 'hba'],
      ],
      undefined,
    ],
    [
      'no src',
      [
        ['t', 'reqnodes'],
        ['dest', 'wf'],
      ],
      undefined,
    ],
    [
      'another type',
      [
        ['t', 'status'],
        ['dest', 'wf'],
        ['src', 'hba'],
      ],
      undefined,
    ],
  ];
  for (const [name, fields, want] of cases)
    assert.equal(nodeListRequester(message(fields), 'wf'), want, name);
});

test('node-list: repnodes as heartbeat 3.0.6 sends it (dest, t, nodelist with trailing spaces, delnodelist " ")', () => {
  const m = nodeListReply('hbb', ['hba', 'hbb']);
  assert.deepEqual(
    m.fields.map((f) => `${f.name}=${f.value as string}`),
    ['dest=hbb', 't=repnodes', 'nodelist=hba hbb ', 'delnodelist= '],
  );
});
