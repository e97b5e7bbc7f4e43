import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIssue } from './issue.ts';
import { parseConfig } from './load.ts';
import { toDirector } from './to-director.ts';

const cfg = (admin: string) => `admin:\n${admin}\nservices: []\n`;

test('admin.listen + admin.token_file map to the plan; either alone is an error with its position', () => {
  const ok = parseConfig(cfg('  listen: 127.0.0.1:9180\n  token_file: /etc/webfarm/token'), 'f.yaml');
  assert.ok(ok.ok);
  assert.deepEqual(toDirector(ok.config).admin.listen, {
    listen: '127.0.0.1:9180',
    tokenFile: '/etc/webfarm/token',
  });
  const none = parseConfig(cfg('  socket: /tmp/x.sock'), 'f.yaml');
  assert.ok(none.ok);
  assert.equal(toDirector(none.config).admin.listen, undefined);
  const alone = parseConfig(cfg('  listen: 127.0.0.1:9180'), 'f.yaml');
  assert.equal(alone.ok, false);
  if (!alone.ok)
    assert.match(
      formatIssue(alone.issues[0]!),
      /^f\.yaml:2:\d+: admin\.listen: listen and token_file go together/,
    );
  const bad = parseConfig(cfg('  listen: localhost:80\n  token_file: /t'), 'f.yaml');
  assert.equal(bad.ok, false);
  if (!bad.ok)
    assert.match(
      formatIssue(bad.issues[0]!),
      /^f\.yaml:2:11: admin\.listen: "localhost:80" is not ADDRESS:PORT/,
    );
});
