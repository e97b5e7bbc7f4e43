import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatIssue } from '../../src/config/issue.ts';

/**
 * Shared pieces of the fuzz tests (test/fuzz/*.test.ts).
 *
 * Size: WEBFARM_FUZZ_RUNS runs per property (default 200, CI-sized; `node scripts/fuzz.mjs` uses 20000).
 * Replay: a failure prints its seed and path; WEBFARM_FUZZ_SEED=N (and WEBFARM_FUZZ_PATH=P) replays it.
 */
export const RUNS = Number(process.env.WEBFARM_FUZZ_RUNS ?? 200);

const SEED = process.env.WEBFARM_FUZZ_SEED;
const PATH = process.env.WEBFARM_FUZZ_PATH;

/** fc.assert with the run count above; the thrown error starts with the seed to replay it. */
export function check<T>(property: fc.IProperty<T>, runs = RUNS): void {
  const params: fc.Parameters<T> = { numRuns: runs };
  if (SEED !== undefined) params.seed = Number(SEED);
  if (PATH !== undefined) params.path = PATH;
  const details = fc.check(property, params);
  if (!details.failed) return;
  const replay = `WEBFARM_FUZZ_SEED=${details.seed} WEBFARM_FUZZ_PATH=${details.counterexamplePath ?? ''}`;
  throw failure(replay, details);
}

/** Async variant for properties that do I/O. */
export async function checkAsync<T>(property: fc.IAsyncProperty<T>, runs = RUNS): Promise<void> {
  const params: fc.Parameters<T> = { numRuns: runs };
  if (SEED !== undefined) params.seed = Number(SEED);
  if (PATH !== undefined) params.path = PATH;
  const details = await fc.check(property, params);
  if (!details.failed) return;
  const replay = `WEBFARM_FUZZ_SEED=${details.seed} WEBFARM_FUZZ_PATH=${details.counterexamplePath ?? ''}`;
  throw failure(replay, details);
}

function failure<T>(replay: string, details: fc.RunDetails<T>): Error {
  const cause = details.errorInstance;
  const why = cause instanceof Error ? cause.message : String(cause);
  return new Error(`fuzz failure; replay with ${replay}\n${fc.defaultReportMessage(details)}\n${why}`);
}

// --- error shape ------------------------------------------------------------------------------------------

/**
 * A message an operator can read on one terminal line: non-empty, no line break, no other control
 * character (a quoted NUL or ESC from the input would be invisible or drive the terminal); tabs allowed.
 */
export function assertOneLine(message: string, what: string): void {
  assert.equal(typeof message, 'string', `${what}: message is not a string`);
  assert.ok(message.trim() !== '', `${what}: empty message`);
  assert.ok(!/[\n\r\u2028\u2029]/.test(message), `${what}: message spans lines: ${JSON.stringify(message)}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  const control = /[\u0000-\u0008\u000b-\u001f\u007f]/.exec(message);
  assert.ok(!control, `${what}: control character in the message: ${JSON.stringify(message)}`);
}

/**
 * A position that points into `text`: line 1..(number of lines), column 1..(length of that line + 1, the
 * end-of-line position for "missing value" errors). `wholeFile` allows line 0 (col 0): a problem of the
 * file as a whole (e.g. a required line missing), which has no better place.
 */
export function assertInside(
  text: string,
  at: { line: number; col?: number },
  what: string,
  wholeFile = false,
): void {
  const lines = text.split('\n');
  const show = `${what} at ${at.line}:${at.col ?? '-'} (input has ${lines.length} lines)`;
  assert.ok(Number.isInteger(at.line), `${show}: line is not an integer`);
  if (wholeFile && at.line === 0) {
    assert.ok(at.col === undefined || at.col === 0, show);
    return;
  }
  assert.ok(at.line >= 1 && at.line <= lines.length, `${show}: line outside the input`);
  if (at.col === undefined) return;
  const len = (lines[at.line - 1] as string).length;
  assert.ok(
    Number.isInteger(at.col) && at.col >= 1 && at.col <= len + 1,
    `${show}: column outside line ${at.line} (length ${len})`,
  );
}

/**
 * `{file, line, col, message}` issues (config, ldirectord.cf, ha.cf, haresources), as the CLI prints them
 * (formatIssue): each `FILE:LINE:COL: message` on one line, the position inside the input.
 */
export function assertIssues(
  text: string,
  file: string,
  issues: ReadonlyArray<{ file: string; line: number; col: number; message: string }>,
): void {
  assert.ok(issues.length > 0, 'a rejection with no issue');
  for (const i of issues) {
    assert.equal(i.file, file, `issue names another file: ${JSON.stringify(i)}`);
    const shown = formatIssue(i);
    const head = `${file}:${i.line}:${i.col}: `;
    assert.ok(shown.startsWith(head), `not FILE:LINE:COL: ${JSON.stringify(shown)}`);
    assertOneLine(shown.slice(head.length), shown);
    assertInside(text, i, JSON.stringify(i));
  }
}

// --- input generators -------------------------------------------------------------------------------------

/** Values that break parsers: wrong types, huge numbers, unicode, control characters, quoting. */
export const NASTY_VALUES: readonly string[] = [
  '',
  ' ',
  '0',
  '-1',
  '-0',
  '1.5',
  '1e400',
  '0x10',
  '99999999999999999999',
  '4294967296',
  '2147483648',
  '9007199254740993',
  'NaN',
  'Infinity',
  'true',
  'no',
  'null',
  '~',
  '[]',
  '{}',
  '[1, [2',
  '{a: }',
  '"',
  "'",
  '"unterminated',
  '\\',
  '#',
  ':',
  '=',
  '::',
  '*anchor',
  '&a',
  '!!binary x',
  '<<: *x',
  '%YAML 1.2',
  '---',
  '...',
  '\0',
  'a\0b',
  '\t',
  '\r',
  '\u00e9t\u00e9',
  '\u202e',
  '\ufeff',
  '\u{1f600}',
  '\ud800',
  '\u2028',
  'x'.repeat(5000),
  '1'.repeat(400),
  '256.256.256.256',
  '::ffff:1.2.3.4',
  '[::1]:80',
  '192.0.2.1:99999',
  '1.2.3.4/33',
  '10ms5h',
];

/** A word to put where a value or key goes: a nasty value, or any string (unicode included). */
export const wordArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_VALUES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** One way to damage a line-oriented document; `apply(text)` returns the damaged text. */
type Mutation = (text: string) => string;

const lineAt = (lines: string[], n: number) => n % Math.max(1, lines.length);

/** How keys and values are separated in the format: `: ` (YAML), `=` (ldirectord), blank (ha.cf…). */
export type Flavour = 'yaml' | 'equals' | 'words';

function mutationArb(flavour: Flavour): fc.Arbitrary<Mutation> {
  const onLines = (f: (lines: string[]) => void): Mutation => {
    return (text) => {
      const lines = text.split('\n');
      f(lines);
      return lines.join('\n');
    };
  };
  const sep =
    flavour === 'yaml'
      ? /^(\s*-?\s*)([^:\s]+)(\s*:\s*)(.*)$/
      : flavour === 'equals'
        ? /^(\s*)([^=\s]+)(\s*=\s*)(.*)$/
        : /^(\s*)(\S+)(\s+)(.*)$/;
  return fc.oneof(
    // a line deleted
    fc.nat().map((n) => onLines((l) => void l.splice(lineAt(l, n), 1))),
    // a line duplicated
    fc.nat().map((n) => onLines((l) => void l.splice(lineAt(l, n), 0, l[lineAt(l, n)] ?? ''))),
    // two lines swapped
    fc.tuple(fc.nat(), fc.nat()).map(([a, b]) =>
      onLines((l) => {
        const i = lineAt(l, a);
        const j = lineAt(l, b);
        [l[i], l[j]] = [l[j] ?? '', l[i] ?? ''];
      }),
    ),
    // a key renamed
    fc.tuple(fc.nat(), wordArb).map(([n, w]) =>
      onLines((l) => {
        const i = lineAt(l, n);
        l[i] = (l[i] ?? '').replace(sep, (_m, a, _k, s, v) => `${a}${w}${s}${v}`);
      }),
    ),
    // a key near-missed (one character changed)
    fc
      .tuple(fc.nat(), fc.nat(), fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }))
      .map(([n, at, c]) =>
        onLines((l) => {
          const i = lineAt(l, n);
          l[i] = (l[i] ?? '').replace(sep, (_m, a, k: string, s, v) => {
            const p = at % Math.max(1, k.length);
            return `${a}${k.slice(0, p)}${c}${k.slice(p + 1)}${s}${v}`;
          });
        }),
      ),
    // a value replaced (wrong type, huge number, unicode, NUL…): the likeliest real-world mistake
    {
      weight: 4,
      arbitrary: fc.tuple(fc.nat(), wordArb).map(([n, w]) =>
        onLines((l) => {
          const i = lineAt(l, n);
          l[i] = (l[i] ?? '').replace(sep, (_m, a, k, s) => `${a}${k}${s}${w}`);
        }),
      ),
    },
    // random indentation
    fc.tuple(fc.nat(), fc.stringMatching(/^[ \t]{0,9}$/)).map(([n, ws]) =>
      onLines((l) => {
        const i = lineAt(l, n);
        l[i] = ws + (l[i] ?? '').trimStart();
      }),
    ),
    // a random line inserted
    fc
      .tuple(fc.nat(), fc.oneof(wordArb, fc.string({ maxLength: 40, unit: 'grapheme' })))
      .map(([n, w]) => onLines((l) => void l.splice(lineAt(l, n), 0, w))),
    // a character inserted anywhere
    fc
      .tuple(
        fc.nat(),
        fc.constantFrom(
          '\0',
          '\r',
          '\t',
          '\n',
          ':',
          '=',
          '#',
          '"',
          '[',
          '{',
          '\\',
          '\u00ff',
          '\u{1f600}',
          '\ufeff',
          '&',
          '*',
          '|',
          '>',
          '-',
        ),
      )
      .map(([n, c]) => (text: string) => {
        const p = n % (text.length + 1);
        return text.slice(0, p) + c + text.slice(p);
      }),
    // truncated
    fc.nat().map((n) => (text: string) => text.slice(0, n % (text.length + 1))),
    // CRLF line ends
    fc.constant((text: string) => text.replace(/\n/g, '\r\n')),
  );
}

/** A valid document with one mutation (sometimes two or three). */
export function mutatedArb(valid: fc.Arbitrary<string>, flavour: Flavour): fc.Arbitrary<string> {
  return fc
    .tuple(
      valid,
      fc.oneof(
        { weight: 4, arbitrary: fc.array(mutationArb(flavour), { minLength: 1, maxLength: 1 }) },
        { weight: 1, arbitrary: fc.array(mutationArb(flavour), { minLength: 2, maxLength: 3 }) },
      ),
    )
    .map(([text, ms]) => ms.reduce((t, m) => m(t), text));
}

/** Arbitrary text: unicode strings, raw bytes decoded as latin1, and lines of random words. */
export const anyTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 300, unit: 'grapheme' }),
  fc.string({ maxLength: 300, unit: 'binary' }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  fc
    .array(
      fc.array(wordArb, { maxLength: 5 }).map((ws) => ws.join(' ')),
      { maxLength: 10 },
    )
    .map((ls) => ls.join('\n')),
);
