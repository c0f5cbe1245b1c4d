// A line-by-line look for alias bombs in plain YAML, before the yaml library parses the text at all.
//
// The exact measure (documentProblem in yamlLimits.ts) walks the library's syntax tree, and building
// that tree is most of what refusing a bomb costs: in a fresh worker the library's lexer and parser
// still run unoptimised, ~150 ms of CPU for a 45 KB bomb (~40 ms once warm). This pass reads lines
// with a few regular expressions instead. It knows a small, common subset of YAML — one document of
// block mappings and sequences with plain keys, plain or simply quoted scalars, flow collections
// closed on their own line (`[*a, *a]`, `{k: v}`), anchors, aliases, block scalars and comments —
// and gives no verdict on anything else (escapes, multi-line flow or quoted scalars, tags, several
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
/** A quoted scalar of one line without escapes (`''` in single quotes is one; so is `\` in double). */
const QUOTED = /^(?:"[^"\\]*"|'[^']*')$/;
const ANCHOR = /^&([^\s,[\]{}]+)$/;
const ANCHORED_SCALAR = /^&([^\s,[\]{}]+) +(.+)$/;
const ALIAS = /^\*([^\s,[\]{}]+)$/;
/** A block scalar's header without an indentation indicator (`|`, `>-`, `|+`). */
const BLOCK = /^[|>][+-]?$/;
/** What gives this pass no verdict on a text: tabs, document markers (several documents), directives. */
const OUTSIDE = /\t|^(?:---|\.\.\.)(?:\s|$)|^%/m;

const plainScalar = (value: string) => PLAIN.test(value) && !/:(?:\s|$)/.test(value);
const scalar = (value: string) => plainScalar(value) || QUOTED.test(value);

/** A line's value in the subset: on the lines below, an anchor for them, an alias, a scalar, a flow collection, or outside. */
type Value =
  | { kind: 'below' | 'scalar' | 'outside' }
  | { kind: 'anchor' | 'alias' | 'anchored'; name: string }
  | { kind: 'flow'; anchor?: string | undefined; at: number };

const classify = (value: string): Value => {
  if (value === '') return { kind: 'below' };
  const anchor = ANCHOR.exec(value);
  if (anchor) return { kind: 'anchor', name: anchor[1] as string };
  const alias = ALIAS.exec(value);
  if (alias) return { kind: 'alias', name: alias[1] as string };
  if (value[0] === '[' || value[0] === '{') return { kind: 'flow', at: 0 };
  const anchored = ANCHORED_SCALAR.exec(value);
  if (anchored) {
    const rest = anchored[2] as string;
    const at = value.length - rest.length;
    if (rest[0] === '[' || rest[0] === '{') return { kind: 'flow', anchor: anchored[1], at };
    return scalar(rest) ? { kind: 'anchored', name: anchored[1] as string } : { kind: 'outside' };
  }
  return BLOCK.test(value) || scalar(value) ? { kind: 'scalar' } : { kind: 'outside' };
};

/** What a document's aliases add up to so far, and how the next alias is counted. */
interface Tally {
  /** Nodes of each anchor met and closed (a lower bound). */
  closed: Map<string, number>;
  /** Whether an anchor is still open around the current place (an alias of it is recursive). */
  isOpen(name: string): boolean;
  /** Count one alias at `offset`: the nodes it stands for, or a refusal once the total passes the limit. */
  alias(name: string, offset: number): number | QuickRefusal;
}

/** A plain scalar inside a flow collection: no indicator first, no `,[]{}:#`, single spaces between words. */
const FLOW_PLAIN = /[A-Za-z0-9_./][\w./+=-]*(?: [\w./+=-]+)*/y;
const FLOW_QUOTED = /"[^"\\]*"|'[^']*'(?!')/y;
const FLOW_ANCHOR = /&([^\s,[\]{}]+) +/y;
const FLOW_ALIAS = /\*([^\s,[\]{}]+)/y;

interface FlowFrame {
  close: ']' | '}';
  anchor: string | undefined;
  size: number;
}

/**
 * A flow collection that closes on its line (`value` from `from`; `offset` is the line's place in
 * the text): the nodes it stands for with its aliases expanded (a lower bound), a refusal, or
 * undefined when it is outside the subset (a scalar this pass does not read, a pair after a pair,
 * an unclosed collection, anything after it).
 */
const readFlow = (
  value: string,
  from: number,
  anchor: string | undefined,
  offset: number,
  tally: Tally,
  limits: YamlLimits,
): number | QuickRefusal | undefined => {
  const stack: FlowFrame[] = [];
  const sticky = (re: RegExp, at: number) => {
    re.lastIndex = at;
    return re.exec(value);
  };
  let i = from;
  let pending = anchor;
  /** Expecting an item (true), or what follows one: `,`, `:` or the close (false). */
  let item = true;
  let keyed = false;
  const add = (n: number) => {
    const top = stack.at(-1);
    if (top) top.size += n;
  };
  while (i < value.length) {
    const c = value[i] as string;
    if (c === ' ') i++;
    else if (item && (c === '[' || c === '{')) {
      if (stack.length >= limits.nesting) return undefined;
      if (pending !== undefined) tally.closed.delete(pending);
      stack.push({ close: c === '[' ? ']' : '}', anchor: pending, size: 1 });
      pending = undefined;
      keyed = false;
      i++;
    } else if (c === ']' || c === '}') {
      const top = stack.pop();
      if (!top || top.close !== c || pending !== undefined) return undefined;
      if (top.anchor !== undefined) tally.closed.set(top.anchor, top.size);
      if (stack.length === 0) return value.slice(i + 1).trim() === '' ? top.size : undefined;
      add(top.size);
      item = false;
      i++;
    } else if (!item && c === ',') {
      item = true;
      keyed = false;
      i++;
    } else if (!item && c === ':' && !keyed && /^(?:[\s,\]}]|$)/.test(value.slice(i + 1, i + 2))) {
      item = true;
      keyed = true;
      i++;
    } else if (item && c === ',' && keyed) {
      // `{k: , …}`: an empty value.
      item = true;
      keyed = false;
      i++;
    } else if (item && c === '&' && pending === undefined) {
      const m = sticky(FLOW_ANCHOR, i);
      if (!m) return undefined;
      pending = m[1];
      i += m[0].length;
    } else if (item && c === '*' && pending === undefined) {
      const m = sticky(FLOW_ALIAS, i);
      if (!m) return undefined;
      const got = tally.isOpen(m[1] as string) ? 0 : tally.alias(m[1] as string, offset + i);
      if (typeof got !== 'number') return got;
      add(got);
      item = false;
      i += m[0].length;
    } else if (item) {
      const m = sticky(FLOW_QUOTED, i) ?? sticky(FLOW_PLAIN, i);
      if (!m || stack.length === 0) return undefined;
      if (pending !== undefined) tally.closed.set(pending, 1);
      pending = undefined;
      add(1);
      item = false;
      i += m[0].length;
    } else return undefined;
  }
  return undefined;
};

/** An upper bound of the nodes a flow collection's text makes: 5 a collection, 4 an item (a pair in a sequence is map, pair, key and value). */
const flowNodes = (value: string) => {
  let n = 0;
  for (const c of value)
    if (c === '[' || c === '{') n += 5;
    else if (c === ',') n += 4;
  return n;
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
  // A comment starts at a # after a space (quotes holding one are cut and so leave the subset).
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
 * Whether plain YAML certainly expands past `limits` through its aliases, and at which alias;
 * undefined when it does not or when the text is outside the subset this pass reads.
 */
export const quickAliasRefusal = (text: string, limits: YamlLimits): QuickRefusal | undefined => {
  // One document only: a refusal empties the whole text, and the other documents of a file must load.
  if (!text.includes('*') || OUTSIDE.test(text)) return undefined;
  const open: OpenAnchor[] = [];
  let total = 0;
  let own = 1;
  const tally: Tally = {
    closed: new Map(),
    isOpen: (name) => open.some((a) => a.name === name),
    alias: (name, offset) => {
      const size = tally.closed.get(name) ?? 0;
      total += size;
      const limit = Math.max(limits.expandedNodes, limits.expansionFactor * own);
      return total > limit ? { offset, limit } : size;
    },
  };
  /** Lines indented more than this continue a scalar (block or plain) and hold no nodes. */
  let scalarWithin: number | null = null;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    const lineStart = start;
    start = end + 1;
    const indent = line.search(/\S/);
    if (indent < 0) continue;
    // At most a few nodes a line in the subset (a sequence, a map, a pair, its key and value, and a
    // sequence per dash), and those of a flow collection on it: an upper bound of the document's
    // own nodes, content lines included, counted before any alias of the line.
    own += 5 + 2 * (line.match(/-(?:\s|$)/g)?.length ?? 0) + flowNodes(line);
    if (scalarWithin !== null && indent > scalarWithin) continue;
    scalarWithin = null;
    if (line[indent] === '#') continue;
    for (let a = open.at(-1); a && indent <= a.within; a = open.at(-1)) {
      open.pop();
      tally.closed.set(a.name, a.size);
    }
    const parts = splitLine(line, indent);
    if (!parts) return undefined;
    const { owner, hasKey, value } = parts;
    let nodes = hasKey ? 1 : 0;
    let anchorHere: OpenAnchor | undefined;
    const v = classify(value);
    if (v.kind === 'outside') return undefined;
    if (v.kind === 'anchor') anchorHere = { name: v.name, within: owner, size: 1 };
    else if (v.kind === 'alias' || v.kind === 'flow') {
      scalarWithin = owner;
      const got =
        v.kind === 'flow'
          ? readFlow(value, v.at, v.anchor, lineStart + parts.at, tally, limits)
          : // An alias inside its own anchor is recursive (the exact measure refuses it); no count here.
            tally.isOpen(v.name)
            ? 0
            : tally.alias(v.name, lineStart + parts.at);
      if (got === undefined) return undefined;
      if (typeof got !== 'number') return got;
      nodes += got;
    } else if (v.kind !== 'below') {
      if (v.kind === 'anchored') tally.closed.set(v.name, 1);
      nodes++;
      scalarWithin = owner;
    }
    for (const a of open) a.size += nodes;
    if (anchorHere) {
      open.push(anchorHere);
      tally.closed.delete(anchorHere.name);
    }
  }
  return undefined;
};
