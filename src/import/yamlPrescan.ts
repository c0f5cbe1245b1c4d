// A line-by-line look for alias bombs in plain block YAML, before the yaml library parses the text at all.
//
// The exact measure (documentProblem in yamlLimits.ts) walks the library's syntax tree, and building
// that tree is most of what refusing a bomb costs: in a fresh worker the library's lexer and parser
// still run unoptimised, ~150 ms of CPU for a 45 KB bomb (~40 ms once warm). This pass reads lines
// with a few regular expressions instead. It knows a small, common subset of YAML — one document of
// block mappings and sequences with plain keys and plain scalars, anchors, aliases, block scalars
// and comments — and gives no verdict on anything else (quotes, flow collections, tags, several
// documents, tabs…), which the exact measure then decides. Within that subset it counts at most the
// nodes each alias stands for and at least the document's own nodes, so it refuses only documents
// the exact measure refuses too, or that do not parse (held by a property test).
import type { YamlLimits } from './yamlLimits';

/** An alias where the expansion certainly passes the limit: the offset of its `*` and the limit passed. */
export interface QuickRefusal {
  offset: number;
  limit: number;
}

/** A plain key (or `<<`, the merge key) followed by `:` and a space or the end of the line. */
const KEY = /^([A-Za-z0-9_][\w./-]*|<<):(?: +(.*))?$/;
/** A plain scalar of one line that is nothing else: no indicator first, no quotes, brackets or `: `. */
const PLAIN = /^(?![-?:](?:\s|$))[^\s,[\]{}#&*!|>'"%@`][^'"[\]{}]*$/;
const ANCHOR = /^&([^\s,[\]{}]+)$/;
const ANCHORED_PLAIN = /^&([^\s,[\]{}]+) +(.+)$/;
const ALIAS = /^\*([^\s,[\]{}]+)$/;
/** A block scalar's header without an indentation indicator (`|`, `>-`, `|+`). */
const BLOCK = /^[|>][+-]?$/;
/** What gives this pass no verdict on a text: tabs, document markers (several documents), directives. */
const OUTSIDE = /\t|^(?:---|\.\.\.)(?:\s|$)|^%/m;

const plainScalar = (value: string) => PLAIN.test(value) && !/:(?:\s|$)/.test(value);

/** A line's value in the subset: on the lines below, an anchor for them, an alias, a scalar, or outside. */
type Value = { kind: 'below' | 'scalar' | 'outside' } | { kind: 'anchor' | 'alias' | 'anchored'; name: string };

const classify = (value: string): Value => {
  if (value === '') return { kind: 'below' };
  const anchor = ANCHOR.exec(value);
  if (anchor) return { kind: 'anchor', name: anchor[1] as string };
  const alias = ALIAS.exec(value);
  if (alias) return { kind: 'alias', name: alias[1] as string };
  const anchored = ANCHORED_PLAIN.exec(value);
  if (anchored)
    return plainScalar(anchored[2] as string) ? { kind: 'anchored', name: anchored[1] as string } : { kind: 'outside' };
  return BLOCK.test(value) || plainScalar(value) ? { kind: 'scalar' } : { kind: 'outside' };
};

interface OpenAnchor {
  name: string;
  /** Lines indented more than this belong to the anchored node. */
  within: number;
  /** Nodes of the anchored node counted so far (a lower bound). */
  size: number;
}

/** One line's structure in the subset: where its node's owner starts and what its value is. */
interface Line {
  /** Column of the key, else of the last `- `, else -1: the lines of its value are indented more. */
  owner: number;
  hasKey: boolean;
  value: string;
  /** Offset of the value within the line. */
  at: number;
}

const splitLine = (line: string, indent: number): Line | undefined => {
  let col = indent;
  let owner = -1;
  let rest = line.slice(indent);
  for (let m = /^-(?: +|$)/.exec(rest); m; m = /^-(?: +|$)/.exec(rest)) {
    owner = col;
    col += m[0].length;
    rest = rest.slice(m[0].length);
  }
  // A comment starts at a # after a space (no quotes in the subset, so never inside a string).
  const hash = rest.search(/(?:^|\s)#/);
  if (hash >= 0) rest = rest.slice(0, hash);
  rest = rest.trimEnd();
  const pair = KEY.exec(rest);
  if (pair) return { owner: col, hasKey: true, value: pair[2] ?? '', at: col + rest.length - (pair[2] ?? '').length };
  // A line of a scalar alone (no key, no dash) is not in the subset.
  if (owner < 0 && rest !== '') return undefined;
  return { owner, hasKey: false, value: rest, at: col };
};

/**
 * Whether plain block YAML certainly expands past `limits` through its aliases, and at which alias;
 * undefined when it does not or when the text is outside the subset this pass reads.
 */
export const quickAliasRefusal = (text: string, limits: YamlLimits): QuickRefusal | undefined => {
  // One document only: a refusal empties the whole text, and the other documents of a file must load.
  if (!text.includes('*') || OUTSIDE.test(text)) return undefined;
  const closed = new Map<string, number>();
  const open: OpenAnchor[] = [];
  /** Lines indented more than this continue a scalar (block or plain) and hold no nodes. */
  let scalarWithin: number | null = null;
  let total = 0;
  let own = 1;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    const lineStart = start;
    start = end + 1;
    const indent = line.search(/\S/);
    if (indent < 0) continue;
    // At most a few nodes a line in the subset (a sequence, a map, a pair, its key and value, and a
    // sequence per dash): an upper bound of the document's own nodes, content lines included.
    own += 5 + 2 * (line.match(/-(?:\s|$)/g)?.length ?? 0);
    if (scalarWithin !== null && indent > scalarWithin) continue;
    scalarWithin = null;
    if (line[indent] === '#') continue;
    for (let a = open.at(-1); a && indent <= a.within; a = open.at(-1)) {
      open.pop();
      closed.set(a.name, a.size);
    }
    const parts = splitLine(line, indent);
    if (!parts) return undefined;
    const { owner, hasKey, value } = parts;
    let nodes = hasKey ? 1 : 0;
    let anchorHere: OpenAnchor | undefined;
    const v = classify(value);
    if (v.kind === 'outside') return undefined;
    if (v.kind === 'anchor') anchorHere = { name: v.name, within: owner, size: 1 };
    else if (v.kind === 'alias') {
      scalarWithin = owner;
      // An alias inside its own anchor is recursive (the exact measure refuses it); no count here.
      if (!open.some((a) => a.name === v.name)) {
        total += closed.get(v.name) ?? 0;
        const limit = Math.max(limits.expandedNodes, limits.expansionFactor * own);
        if (total > limit) return { offset: lineStart + parts.at, limit };
      }
    } else if (v.kind !== 'below') {
      if (v.kind === 'anchored') closed.set(v.name, 1);
      nodes++;
      scalarWithin = owner;
    }
    for (const a of open) a.size += nodes;
    if (anchorHere) {
      open.push(anchorHere);
      closed.delete(anchorHere.name);
    }
  }
  return undefined;
};
