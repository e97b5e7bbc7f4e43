// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${lab} and ${host} are the lab's own placeholders
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { brokenConfig, prepareDirectorConfig } from './director-config.ts';

const CONFIG = `services: []
admin: { socket: /run/webfarm.sock }
cluster:
  media:
    - { type: serial, device: /dev/ttyS0 }
  auth: { authkeys_file: /etc/ha.d/authkeys }
`;

interface Parsed {
  admin: { socket: string; state_file: string | false };
  cluster?: { media: Array<{ device: string }>; auth: { authkeys_file: string }; generation_file: string };
}

describe('prepareDirectorConfig', () => {
  const cases: Array<{
    name: string;
    source: string | Record<string, unknown>;
    sub: Record<string, string>;
    check: (c: Parsed) => void;
  }> = [
    {
      name: 'replaces text with ${lab} and ${host}',
      source: CONFIG,
      sub: { '/dev/ttyS0': '${lab}/tty-${host}', '/etc/ha.d/authkeys': '${lab}/authkeys' },
      check: (c) => {
        assert.equal(c.cluster?.media[0]?.device, '/tmp/L/tty-d1');
        assert.equal(c.cluster?.auth.authkeys_file, '/tmp/L/authkeys');
      },
    },
    {
      name: 'forces the socket, turns the state file off, places the generation file',
      source: CONFIG,
      sub: {},
      check: (c) => {
        assert.equal(c.admin.socket, '/tmp/L/d1.sock');
        assert.equal(c.admin.state_file, false);
        assert.equal(c.cluster?.generation_file, '/tmp/L/generation-d1');
      },
    },
    {
      name: 'keeps a state file that is set; no cluster, no generation file',
      source: { services: [], admin: { state_file: '/x/state' } },
      sub: {},
      check: (c) => {
        assert.equal(c.admin.state_file, '/x/state');
        assert.equal(c.cluster, undefined);
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = prepareDirectorConfig(c.source, c.sub, { dir: '/tmp/L', host: 'd1' });
      assert.equal(out.socket, '/tmp/L/d1.sock');
      c.check(parse(out.text));
    });
  }

  it('brokenConfig adds an unknown key', () => {
    assert.equal(parse(brokenConfig('services: []\n')).lab_injected_error, true);
  });
});
