import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssue } from '../config/issue.ts';
import { parseScenario } from './scenario-parse.ts';

const BASE = `name: t
vip: 192.0.2.240
serial: [dira, dirb]
hosts:
  - { name: dira, role: director, address: 192.0.2.4, config: dira.yaml }
  - { name: dirb, role: director, address: 192.0.2.5, config: dirb.yaml }
  - { name: r1, role: real, address: 192.0.2.2 }
  - { name: c, role: client, address: 192.0.2.10, target: "http://192.0.2.240/" }
timeline:
  - at: 5s
    name: kill -9 active
    fault: { do: signal, host: active, signal: SIGKILL }
    expect: { owner: other, within: 3s }
`;

function errors(text: string): string[] {
  const r = parseScenario(text, 's.yaml');
  return r.ok ? [] : r.issues.map(formatIssue);
}

describe('parseScenario', () => {
  it('accepts a scenario and fills defaults', () => {
    const r = parseScenario(BASE, 's.yaml');
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    assert.equal(r.scenario.settle, 5000);
    assert.equal(r.scenario.timeline[0]?.at, 5000);
    assert.equal(r.scenario.timeline[0]?.expect.within, 3000);
    const real = r.scenario.hosts[2];
    assert.deepEqual(real?.role === 'real' && real.http, [{ port: 80, bind: '0.0.0.0' }]);
    const client = r.scenario.hosts[3];
    assert.equal(client?.role === 'client' && client.rate, 20);
  });

  const cases: Array<{ name: string; from: string; to: string; want: string }> = [
    {
      name: 'address outside 192.0.2.0/24',
      from: 'address: 192.0.2.2 ',
      to: 'address: 10.0.0.2 ',
      want: 's.yaml:7:38: hosts[2].address: 10.0.0.2 is outside 192.0.2.0/24',
    },
    { name: 'unknown role', from: 'role: real', to: 'role: realz', want: 's.yaml:7:23: hosts[2].role:' },
    {
      name: 'unknown key',
      from: 'name: t\n',
      to: 'name: t\nsetle: 1s\n',
      want: 's.yaml:2:1: setle: unknown key',
    },
    {
      name: 'fault target not a host',
      from: 'host: active',
      to: 'host: dirc',
      want: 's.yaml:12:32: timeline[0].fault.host: "dirc" is not a host',
    },
    {
      name: 'fault target wrong role',
      from: 'host: active',
      to: 'host: r1',
      want: '"r1" is a real, not a director',
    },
    {
      name: 'bad owner word',
      from: 'owner: other',
      to: 'owner: another',
      want: 'timeline[0].expect.owner: "another" is not a director',
    },
    { name: 'bad duration', from: 'within: 3s', to: 'within: 3 parsecs', want: 'timeline[0].expect.within:' },
    {
      name: 'client target outside',
      from: 'http://192.0.2.240/',
      to: 'http://198.51.100.1/',
      want: 'hosts[3].target: 198.51.100.1 is outside',
    },
    {
      name: 'serial end not a director',
      from: 'serial: [dira, dirb]',
      to: 'serial: [dira, r1]',
      want: 's.yaml:3:16: serial[1]: "r1" is not a director',
    },
    {
      name: 'duplicate host',
      from: 'name: dirb,',
      to: 'name: dira,',
      want: 'hosts[1].name: "dira" is already a host',
    },
    { name: 'unknown fault', from: 'do: signal', to: 'do: explode', want: 'timeline[0].fault.do:' },
    {
      name: 'reload_rejected on a non-reload step',
      from: 'within: 3s',
      to: 'within: 3s, reload_rejected: true',
      want: 'only for a reload step',
    },
    { name: 'YAML syntax', from: 'hosts:\n', to: 'hosts: [\n', want: 's.yaml:' },
  ];
  for (const c of cases) {
    it(`rejects: ${c.name}`, () => {
      assert.ok(BASE.includes(c.from), c.from);
      const got = errors(BASE.replace(c.from, c.to));
      assert.ok(
        got.some((g) => g.includes(c.want)),
        `want ${c.want}\ngot ${got.join('\n')}`,
      );
    });
  }

  it('checks the hosts of faults in also', () => {
    const text = BASE.replace(
      'signal: SIGKILL }',
      'signal: SIGKILL }\n    also: [{ do: loss, host: r1, percent: 10 }, { do: web, host: dira, state: kill }]',
    );
    assert.deepEqual(errors(text), [
      's.yaml:13:66: timeline[0].also[1].host: "dira" is a director, not a real',
    ]);
  });

  it('rejects a list at the top level at 1:1', () => {
    assert.deepEqual(errors('- a\n'), ['s.yaml:1:1: expected a mapping (name, vip, hosts, timeline)']);
  });
});
