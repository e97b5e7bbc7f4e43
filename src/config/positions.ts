import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { ConfigPath } from './issue.ts';

/** 1-based line and column in the source text. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * Where `path` (e.g. services[1].real_servers[0].weight) is in the document: the value node's start, or
 * with `atKey` the key's start. When the path leaves the document (a missing key, an index past the end,
 * a value that is not a container), the deepest node that exists stands in — for a missing key that is
 * the mapping that should hold it. An empty document is 1:1.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: ConfigPath,
  opts: { atKey?: boolean } = {},
): Position {
  const offset = offsetOf(doc, path, opts.atKey === true);
  const p = lineCounter.linePos(offset);
  return { line: p.line, col: p.col };
}

function offsetOf(doc: Document, path: ConfigPath, atKey: boolean): number {
  let node: unknown = doc.contents;
  let at = startOf(node) ?? 0;
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return at;
      const keyAt = startOf(pair.key) ?? at;
      if (last && atKey) return keyAt;
      node = pair.value;
      // `key:` with no value written: the key is the best place.
      at = isEmpty(node) ? keyAt : (startOf(node) ?? keyAt);
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      const start = startOf(node);
      if (start === undefined) return at;
      at = start;
    } else {
      return at;
    }
  }
  return at;
}

function isEmpty(node: unknown): boolean {
  const range = (node as Node | null | undefined)?.range;
  if (node === null) return true;
  return isScalar(node) && node.value === null && range != null && range[0] === range[1];
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
