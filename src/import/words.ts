/**
 * Splitting a directive's value into words, as the legacy config files write them: runs of non-blank
 * characters, or `"…"` quoted strings (no escapes; the quotes are not part of the word). Columns are
 * 1-based positions in the source line so errors can point at the word. Pure.
 */
export interface Word {
  readonly text: string;
  /** 1-based column of the word's first character (its opening quote when quoted). */
  readonly col: number;
  readonly quoted: boolean;
}

export type WordsResult = { ok: true; words: Word[] } | { ok: false; col: number; message: string };

/** `text` starts at column `col0` (1-based) of its line. */
export function splitWords(text: string, col0 = 1): WordsResult {
  const words: Word[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return { ok: false, col: col0 + i, message: 'unterminated quoted string' };
      words.push({ text: text.slice(i + 1, end), col: col0 + i, quoted: true });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
    words.push({ text: text.slice(i, j), col: col0 + i, quoted: false });
    i = j;
  }
  return { ok: true, words };
}

/** A single value: `"quoted text"` without its quotes, else the text itself (trimmed). */
export function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** Legacy booleans (ldirectord yes/no; heartbeat also on/off, true/false, y/n, 1/0). */
export function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (['yes', 'y', 'on', 'true', '1'].includes(v)) return true;
  if (['no', 'n', 'off', 'false', '0'].includes(v)) return false;
  return undefined;
}
