import type { MetricType } from './exposition.ts';

/**
 * A strict reader of the text exposition format, the inverse of exposition.ts: tests use it to prove the
 * output parses back to the numbers it was made from. Throws on anything a Prometheus server would reject
 * (sample before its TYPE, duplicate HELP/TYPE, bad escapes, unparsable value, duplicate series).
 */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface ParsedFamily {
  readonly name: string;
  help: string;
  type: MetricType;
  readonly samples: ParsedSample[];
}

export function parseExposition(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  const series = new Set<string>();
  const typed = new Set<string>();
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, i) => {
    const where = `line ${i + 1}`;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      const f = families.get(name) ?? { name, help: '', type: 'gauge' as MetricType, samples: [] };
      if (f.samples.length > 0) throw new Error(`${where}: ${kind} after samples of ${name}`);
      if (kind === 'HELP') {
        if (f.help !== '') throw new Error(`${where}: second HELP for ${name}`);
        f.help = unescapeText(rest, false, where);
      } else {
        if (typed.has(name)) throw new Error(`${where}: second TYPE for ${name}`);
        if (rest !== 'counter' && rest !== 'gauge') throw new Error(`${where}: unsupported type ${rest}`);
        f.type = rest;
        typed.add(name);
      }
      families.set(name, f);
      return;
    }
    if (line.startsWith('#') || line === '')
      throw new Error(`${where}: unexpected line ${JSON.stringify(line)}`);
    const s = parseSample(line, where);
    const f = families.get(s.name);
    if (!f || !typed.has(s.name)) throw new Error(`${where}: sample ${s.name} before its TYPE line`);
    const key = `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
    if (series.has(key)) throw new Error(`${where}: duplicate series ${key}`);
    series.add(key);
    f.samples.push(s);
  });
  return families;
}

function parseSample(line: string, where: string): ParsedSample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!m) throw new Error(`${where}: no metric name`);
  const name = m[1] as string;
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    while (line[pos] !== '}') {
      const lm = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(pos));
      if (!lm) throw new Error(`${where}: bad label at column ${pos + 1}`);
      pos += lm[0].length;
      let raw = '';
      while (line[pos] !== '"') {
        if (pos >= line.length) throw new Error(`${where}: unterminated label value`);
        if (line[pos] === '\\') {
          raw += line.slice(pos, pos + 2);
          pos += 2;
        } else raw += line[pos++];
      }
      pos++;
      const key = lm[1] as string;
      if (key in labels) throw new Error(`${where}: duplicate label ${key}`);
      labels[key] = unescapeText(raw, true, where);
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') throw new Error(`${where}: expected , or } at column ${pos + 1}`);
    }
    pos++;
  }
  const rest = line.slice(pos);
  const vm = /^ (\S+)$/.exec(rest);
  if (!vm) throw new Error(`${where}: expected one value after ${name}`);
  return { name, labels, value: parseValue(vm[1] as string, where) };
}

function parseValue(text: string, where: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const v = Number(text);
  if (text.trim() === '' || Number.isNaN(v)) throw new Error(`${where}: bad value ${text}`);
  return v;
}

function unescapeText(text: string, quotes: boolean, where: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && quotes) return '"';
    throw new Error(`${where}: bad escape \\${c}`);
  });
}
