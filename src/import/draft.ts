import { Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { ConfigPath } from '../config/issue.ts';
import { locate } from '../config/positions.ts';

/**
 * A native config being built by an importer: the plain data, comments to attach to it, and for each
 * output path the source place it came from (so problems found in the output can be reported at the
 * legacy file's line). Rendered with the `yaml` Document API so the comments land next to their keys.
 */
export interface SourcePlace {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

interface Note {
  readonly path: ConfigPath;
  readonly text: string;
  /** `before`: comment lines above the key or list item; `after`: at the end of the value's line. */
  readonly where: 'before' | 'after';
}

export class Draft {
  readonly data: Record<string, unknown> = {};
  readonly header: string[] = [];
  readonly #notes: Note[] = [];
  readonly #origins: Array<{ path: ConfigPath; place: SourcePlace }> = [];

  /** A comment line above `path` (a key or a list item); `[]` puts it in the header. */
  note(path: ConfigPath, text: string): void {
    if (path.length === 0) this.header.push(text);
    else this.#notes.push({ path, text, where: 'before' });
  }

  /** A comment at the end of `path`'s line (a scalar value). */
  trail(path: ConfigPath, text: string): void {
    this.#notes.push({ path, text, where: 'after' });
  }

  from(path: ConfigPath, place: SourcePlace): void {
    this.#origins.push({ path, place });
  }

  get origins(): ReadonlyArray<{ path: ConfigPath; place: SourcePlace }> {
    return this.#origins;
  }

  render(): string {
    const doc = new Document(this.data);
    if (this.header.length > 0) doc.commentBefore = this.header.map((l) => ` ${l}`).join('\n');
    for (const n of this.#notes) attach(doc, n);
    return doc.toString({ lineWidth: 0 });
  }
}

function attach(doc: Document, n: Note): void {
  const text = ` ${n.text}`;
  if (n.where === 'after') {
    const node = doc.getIn(n.path, true) as Node | undefined;
    if (node && isScalar(node)) node.comment = node.comment ? `${node.comment};${text}` : text;
    return;
  }
  const target = beforeTarget(doc, n.path);
  if (target) target.commentBefore = target.commentBefore ? `${target.commentBefore}\n${text}` : text;
}

/** The node whose commentBefore prints above `path`: a list item itself, else the key of its pair. */
function beforeTarget(doc: Document, path: ConfigPath): Node | undefined {
  const last = path[path.length - 1];
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (isSeq(parent) && typeof last === 'number') return parent.items[last] as Node | undefined;
  if (!isMap(parent)) return undefined;
  const index = parent.items.findIndex(
    (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last),
  );
  const pair = parent.items[index];
  if (!pair) return undefined;
  // The first key of a list item's mapping would print after the dash: comment the mapping instead.
  const grand = path.length >= 2 ? doc.getIn(path.slice(0, -2), true) : undefined;
  if (index === 0 && isSeq(grand)) return parent;
  return pair.key as Node;
}

/**
 * For a problem at line `line` of the rendered text, the source place of the nearest output path at or
 * above it (the field itself, else its enclosing entry). Undefined when nothing came from a file.
 */
export function placeFinder(
  rendered: string,
  origins: Draft['origins'],
): (line: number) => SourcePlace | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(rendered, { lineCounter: lc });
  const byLine = origins
    .map((o) => ({ line: locate(doc, lc, o.path).line, depth: o.path.length, place: o.place }))
    .sort((a, b) => a.line - b.line || a.depth - b.depth);
  return (line) => {
    let best: SourcePlace | undefined;
    for (const o of byLine) if (o.line <= line) best = o.place;
    return best;
  };
}
