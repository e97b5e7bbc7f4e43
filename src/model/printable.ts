/**
 * A message safe to print on one terminal line: line breaks, other control characters and U+2028/2029
 * that a message may quote from the input are written as escapes (`\r`, `\u0000`). Tabs stay.
 */
export function printable(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes
  return message.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
