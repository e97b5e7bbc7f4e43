import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { NO_PORT_NAMES } from '../../src/admin/ipvsadm/address.ts';
import type { Command } from '../../src/admin/ipvsadm/command.ts';
import { formatSave } from '../../src/admin/ipvsadm/format.ts';
import { OPTIONS } from '../../src/admin/ipvsadm/options.ts';
import { parseIpvsadm } from '../../src/admin/ipvsadm/parse.ts';
import { restoreLines } from '../../src/admin/ipvsadm/restore-lines.ts';
import { Director } from '../../src/director/director.ts';
import type { ForwardMethod, RealServerSpec } from '../../src/director/real-server.ts';
import { snapshotDirector } from '../../src/director/snapshot.ts';
import { SERVICE_DEFAULTS, type ServiceSpec } from '../../src/director/virtual-service.ts';
import { normalizeAddress } from '../../src/model/endpoint.ts';
import { FakeClock } from '../../src/platform/fake-clock.ts';
import { SCHEDULER_NAMES, type SchedulerFlag } from '../../src/scheduler/scheduler.ts';
import { NASTY_VALUES, assertOneLine, check, wordArb } from './support.ts';

// ipvsadm arguments (src/admin/ipvsadm/parse.ts, restore-lines.ts): never throws; a refusal is ipvsadm's
// message on stderr (ending in a newline) with exit status 2 (bad argument) or 255 (option syntax);
// `-S` output read back by `-R` gives the same table.

const SWITCHES = OPTIONS.flatMap((o) => [
  ...(o.short === undefined ? [] : [`-${o.short}`]),
  ...(o.long === undefined ? [] : [`--${o.long}`]),
]);
const VALUES = [
  '192.0.2.1',
  '192.0.2.1:80',
  '192.0.2.1:http',
  '[2001:db8::1]:443',
  '2001:db8::1',
  '[2001:db8::1]',
  '10.0.0.1:0',
  '255.255.255.0',
  '24',
  '300',
  'rr',
  'wlc',
  'sh',
  'mh',
  'sh-port,sh-fallback',
  'flag-1,flag-3',
  'ipip',
  '65535',
  '65536',
  '--',
  '-',
  ...NASTY_VALUES,
];

/** Words an ipvsadm command line is made of: switches (also clustered or with =value), values, junk. */
const argArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SWITCHES) },
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...SWITCHES.filter((s) => s.startsWith('--'))), fc.constantFrom(...VALUES))
      .map(([s, v]) => `${s}=${v}`),
  },
  {
    weight: 1,
    arbitrary: fc.stringMatching(/^-[ACDELSZRadeghilmnprstuvwxy6o]{2,4}$/),
  },
  { weight: 1, arbitrary: wordArb },
);
const COMMAND_SWITCHES = [
  '-A',
  '-E',
  '-D',
  '-C',
  '-L',
  '-l',
  '-Z',
  '-a',
  '-e',
  '-d',
  '--set',
  '-S',
  '-R',
  '-h',
  '-v',
];
/** An option that takes a value, with a value: a known one or a number (in range or not). */
const WITH_VALUE = OPTIONS.filter((o) => o.arg !== 'none').flatMap((o) => [
  ...(o.short === undefined ? [] : [`-${o.short}`]),
  ...(o.long === undefined ? [] : [`--${o.long}`]),
]);
const pairArb = fc
  .tuple(
    fc.constantFrom(...WITH_VALUE),
    fc.oneof(fc.constantFrom(...VALUES), fc.integer({ min: -10, max: 70_000 }).map(String)),
  )
  .map(([o, v]) => [o, v]);

/** Mostly a command switch first (else nearly every line stops at "Try … -h"), then anything. */
const argvArb = fc.oneof(
  { weight: 1, arbitrary: fc.array(argArb, { maxLength: 10 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...COMMAND_SWITCHES),
        fc.array(
          fc.oneof(
            argArb.map((a) => [a]),
            pairArb,
          ),
          { maxLength: 8 },
        ),
      )
      .map(([c, rest]) => [c, ...rest.flat()]),
  },
);

function refusalChecked(argv: readonly string[]): void {
  const r = parseIpvsadm(argv);
  if (r.ok) return;
  assert.ok(r.exit === 2 || r.exit === 255, `exit ${r.exit} for ${JSON.stringify(argv)}`);
  assert.ok(r.stderr.endsWith('\n'), `stderr without its newline: ${JSON.stringify(r.stderr)}`);
  const text = r.stderr.replace(/\n+$/, '');
  // ipvsadm quotes the offending word as given (as ipvsadm does): only a word with a line break or another
  // control character in it may break the line; otherwise the message is one clean line.
  assert.ok(text.trim() !== '', `empty message for ${JSON.stringify(argv)}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  if (!argv.some((a) => /[\u0000-\u001f\u007f\u2028\u2029]/.test(a)))
    assertOneLine(text, JSON.stringify(argv));
}

test('fuzz ipvsadm: any argument list never throws; refusals are one ipvsadm line with exit 2 or 255', () => {
  check(fc.property(argvArb, refusalChecked));
});

test('fuzz ipvsadm -R: any input never throws; every line parses or is refused cleanly', () => {
  const inputArb = fc.oneof(
    fc.string({ maxLength: 300, unit: 'binary' }),
    fc
      .array(
        fc.tuple(argvArb, fc.constantFrom(' ', '\t', '  ')).map(([a, sep]) => a.join(sep)),
        { maxLength: 8 },
      )
      .map((ls) => ls.join('\n')),
  );
  check(
    fc.property(inputArb, (input) => {
      for (const line of restoreLines(input)) {
        assert.ok(line.length > 0 && line.every((w) => w !== '' && w !== 'ipvsadm' && !/[ \t\r\n]/.test(w)));
        refusalChecked(line);
      }
    }),
  );
});

// --- -S → -R round trip over a real director --------------------------------------------------------------

const octet = fc.integer({ min: 1, max: 254 });
const v4 = fc.tuple(octet, octet, octet).map(([a, b, c]) => `10.${a}.${b}.${c}`);
const v6 = fc
  .tuple(fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
  .map(([a, b]) => normalizeAddress(`2001:db8:${a.toString(16)}::${b.toString(16)}`));

const serviceArb = fc.boolean().chain((six) =>
  fc
    .record({
      protocol: fc.constantFrom('tcp' as const, 'udp' as const),
      address: six ? v6 : v4,
      port: fc.integer({ min: 0, max: 65535 }),
      scheduler: fc.constantFrom(...SCHEDULER_NAMES),
      flagBits: fc.subarray(['fallback', 'port']),
      persistence: fc.option(
        fc.record({
          timeoutS: fc.integer({ min: 1, max: 86400 * 31 }),
          prefix: fc.integer({ min: six ? 1 : 0, max: six ? 128 : 32 }),
        }),
        { nil: undefined },
      ),
      onePacket: fc.boolean(),
      reals: fc.uniqueArray(
        fc.record({
          address: six ? v6 : v4,
          port: fc.integer({ min: 1, max: 65535 }),
          forward: fc.constantFrom<ForwardMethod>('masq', 'route', 'tunnel'),
          weight: fc.integer({ min: 0, max: 65535 }),
          upperThreshold: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          lowerThreshold: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        { maxLength: 4, selector: (r) => r.address },
      ),
    })
    .map((g) => {
      const persistence =
        g.persistence ?? (g.port === 0 ? { timeoutS: 300, prefix: six ? 128 : 32 } : undefined);
      const flags = (
        g.scheduler === 'sh' || g.scheduler === 'mh' ? g.flagBits.map((b) => `${g.scheduler}-${b}`) : []
      ) as SchedulerFlag[];
      const spec: ServiceSpec = {
        protocol: g.protocol,
        address: g.address,
        port: g.port,
        scheduler: g.scheduler,
        flags,
        expireQuiescentTemplate: false,
        onePacket: g.protocol === 'udp' && g.onePacket,
        proxyProtocol: 'off',
        connect: SERVICE_DEFAULTS.connect,
        ...(persistence
          ? { persistence: { timeoutMs: persistence.timeoutS * 1000, prefix: persistence.prefix } }
          : {}),
      };
      // -g and -i deliver to the service's port (ipvsadm forces it); a port-0 service only masquerades.
      const reals: RealServerSpec[] = g.reals.map((r) => {
        const forward = g.port === 0 ? 'masq' : r.forward;
        const lowerThreshold = r.upperThreshold === 0 ? 0 : r.lowerThreshold % (r.upperThreshold + 1);
        return { ...r, forward, lowerThreshold, port: forward === 'masq' ? r.port : g.port };
      });
      return { spec, reals };
    }),
);

const tableArb = fc.uniqueArray(serviceArb, {
  maxLength: 5,
  selector: (s) => `${s.spec.protocol} ${s.spec.address} ${s.spec.port}`,
});

test('fuzz ipvsadm: -S output read back line by line (-R) gives the same table', () => {
  check(
    fc.property(tableArb, (table) => {
      const d = new Director(new FakeClock());
      for (const s of table) d.addService(s.spec, s.reals);
      const snap = snapshotDirector(d);
      const saved = formatSave(snap, true, NO_PORT_NAMES);
      const commands: Command[] = restoreLines(saved).map((argv) => {
        const r = parseIpvsadm(argv);
        assert.ok(r.ok, `${argv.join(' ')}: ${r.ok ? '' : r.stderr}`);
        return r.command;
      });
      const services = commands.filter(
        (c): c is Extract<Command, { kind: 'add-service' | 'edit-service' }> => c.kind === 'add-service',
      );
      const servers = commands.filter(
        (c): c is Extract<Command, { kind: 'add-server' | 'edit-server' }> => c.kind === 'add-server',
      );
      assert.equal(services.length + servers.length, commands.length, 'only -A and -a lines');
      assert.equal(services.length, snap.services.length);
      for (const s of snap.services) {
        const a = services.find(
          (c) =>
            c.service.address === s.address && c.service.port === s.port && c.service.protocol === s.protocol,
        );
        assert.ok(a, `no -A for ${s.id}`);
        assert.equal(a.settings.scheduler, s.scheduler);
        assert.deepEqual([...a.settings.flags].sort(), [...s.flags].sort());
        assert.equal(a.settings.onePacket, s.onePacket);
        assert.deepEqual(
          a.settings.persistence,
          s.persistence
            ? { timeoutS: s.persistence.timeoutMs / 1000, prefix: s.persistence.prefix }
            : undefined,
        );
        const mine = servers.filter(
          (c) =>
            c.service.address === s.address && c.service.port === s.port && c.service.protocol === s.protocol,
        );
        assert.equal(mine.length, s.reals.length);
        for (const r of s.reals) {
          const line = mine.find((c) => c.server.address === r.address && c.server.port === r.port);
          assert.ok(line, `no -a for ${r.id} in ${s.id}`);
          assert.deepEqual(line.settings, {
            forward: r.forward,
            weight: r.weight,
            upperThreshold: r.upperThreshold,
            lowerThreshold: r.lowerThreshold,
          });
        }
      }
    }),
  );
});
