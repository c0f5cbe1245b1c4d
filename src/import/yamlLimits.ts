// Bounds on what a YAML file may cost: deep nesting, long flow strings and alias expansion are refused per document.
//
// The yaml library shares one object for every alias of an anchor, so expansion costs nothing
// until a reader walks the value: 45 KB of anchors aliased a few hundred times make 800,000
// nodes to read (seconds). Its own guard (maxAliasCount) counts in a way that lets that through.
// So each document is measured on the syntax tree, before the library composes it (composing a
// bomb costs as much as parsing it): its aliases, how deeply they nest, and how many nodes they
// expand to. A double-quoted or plain string of megabytes costs seconds and a gigabyte in the
// library's scalar folding; collections nested hundreds deep exhaust the stack of the composer
// (in V8, sometimes fatally for the whole process). Such documents are refused before that.
import { Composer, type CST, type Document, type LineCounter, Parser } from 'yaml';
import { quickAliasRefusal } from './yamlPrescan';

/** Aliases in one document. */
export const MAX_ALIASES = 10_000;
/** An alias inside the anchor of an alias inside… at most this deep. */
export const MAX_ALIAS_DEPTH = 10;
/** Nodes a document may expand to through aliases: this many, or 10× its own nodes if more. */
export const MAX_EXPANDED_NODES = 200_000;
/** A plain or quoted (not block) string longer than this refuses its document. */
export const MAX_FLOW_STRING = 1 << 20;
/** Collections inside collections: at most this deep (manifests nest about 20; the stack gives out near 800). */
export const MAX_NESTING = 100;

export interface Refusal {
  /** Character offset the message is about. */
  offset: number;
  message: string;
}

const FLOW_SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar']);

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
/** 200000 → "200,000" (without loading locale data for one message). */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

/** The limits a document is held to (tests pass small ones). */
export interface YamlLimits {
  aliases: number;
  aliasDepth: number;
  expandedNodes: number;
  /** A document may expand to this many times its own nodes when that is more than expandedNodes. */
  expansionFactor: number;
  flowString: number;
  nesting: number;
}

export const YAML_LIMITS: YamlLimits = {
  aliases: MAX_ALIASES,
  aliasDepth: MAX_ALIAS_DEPTH,
  expandedNodes: MAX_EXPANDED_NODES,
  expansionFactor: 10,
  flowString: MAX_FLOW_STRING,
  nesting: MAX_NESTING,
};

/** A node of the syntax tree as the composer will build it: a token, or an empty scalar (`k:` with nothing). */
type Slot = CST.Token | typeof EMPTY;
const EMPTY = Symbol('empty');

/** The anchor among a node's properties (the last one, as the composer keeps it). */
const anchorIn = (props: readonly CST.SourceToken[] | undefined): string | undefined => {
  let anchor: string | undefined;
  for (const t of props ?? []) if (t.type === 'anchor') anchor = t.source.slice(1);
  return anchor;
};
const has = (props: readonly CST.SourceToken[] | undefined, type: CST.SourceToken['type']) =>
  (props ?? []).some((t) => t.type === type);

/** A child of a collection: a node, or a pair of key and value (null when absent), with their anchors. */
type Child =
  | { pair: false; node: Slot; anchor?: string | undefined }
  | {
      pair: true;
      /** A pair in a flow sequence (`[a: 1]`) is wrapped in a map of its own. */
      wrapped: boolean;
      key: Slot;
      keyAnchor?: string | undefined;
      value: Slot | null;
      valueAnchor?: string | undefined;
    };

/** The children the composer makes of a collection token (resolve-block-map, -block-seq, -flow-collection). */
const childrenOf = (t: CST.BlockMap | CST.BlockSequence | CST.FlowCollection): Child[] => {
  const out: Child[] = [];
  const flowMap = t.type === 'flow-collection' && t.start.source === '{';
  for (const item of t.items as CST.CollectionItem[]) {
    const { start, key, sep, value } = item;
    const keyAnchor = anchorIn(start);
    const explicit = has(start, 'explicit-key-ind');
    if (t.type === 'block-seq' || (t.type === 'flow-collection' && !flowMap && !sep && !explicit)) {
      if (
        !value &&
        keyAnchor === undefined &&
        !has(start, 'tag') &&
        !(t.type === 'block-seq' && has(start, 'seq-item-ind'))
      )
        continue;
      out.push({ pair: false, node: value ?? EMPTY, anchor: keyAnchor });
      continue;
    }
    if (!explicit && keyAnchor === undefined && !has(start, 'tag') && !sep && !(flowMap && value)) continue;
    const hasValue = has(sep, 'map-value-ind') || (t.type === 'flow-collection' && value !== undefined);
    out.push({
      pair: true,
      wrapped: t.type === 'flow-collection' && !flowMap,
      key: key ?? EMPTY,
      keyAnchor,
      value: value ?? (hasValue ? EMPTY : null),
      valueAnchor: anchorIn(sep),
    });
  }
  return out;
};

/**
 * Measure one document's syntax tree before the library composes it: collections nested too deep,
 * a flow string over the limit, more aliases than the limit, aliases nested too deep, or aliases
 * expanding it to too many nodes, as a refusal at the token that crossed the line. Nodes are
 * counted as the composer makes them (a pair and its key and value each); an alias stands for the
 * nodes of its anchor. Anchors are met before their aliases, so each is measured once.
 */
export const documentProblem = (doc: CST.Document, limits: YamlLimits = YAML_LIMITS): Refusal | undefined => {
  const anchors = new Map<string, object>();
  const expanded = new Map<object, [number, number]>();
  const open = new Set<object>();
  let aliases = 0;
  let own = 0;
  let total = 0;
  let problem: Refusal | undefined;
  const refuse = (offset: number, message: string) => {
    problem ??= { offset, message };
  };

  const alias = (n: CST.FlowScalar): [number, number] => {
    if (++aliases > limits.aliases) {
      refuse(n.offset, `more than ${thousands(limits.aliases)} aliases`);
      return [0, 0];
    }
    const target = anchors.get(n.source.slice(1));
    if (!target) return [1, 1];
    if (open.has(target)) {
      refuse(n.offset, 'an alias inside the node its anchor names (a recursive document)');
      return [0, 0];
    }
    const [size, d] = expanded.get(target) ?? [1, 0];
    if (d + 1 > limits.aliasDepth) refuse(n.offset, `aliases nested more than ${limits.aliasDepth} deep`);
    return [size, d + 1];
  };

  /** Nodes `n` stands for once expanded and how deep its aliases nest; `level`: collections around it. */
  const measure = (n: Slot | null, anchor: string | undefined, level: number): [number, number] => {
    if (problem || n === null) return [0, 0];
    if (n !== EMPTY && n.type === 'alias') return alias(n);
    own++;
    const id = n === EMPTY ? {} : n;
    if (anchor !== undefined) anchors.set(anchor, id);
    if (n === EMPTY || (n.type !== 'block-map' && n.type !== 'block-seq' && n.type !== 'flow-collection')) {
      if (n !== EMPTY && FLOW_SCALARS.has(n.type) && (n as CST.FlowScalar).source.length > limits.flowString)
        refuse(n.offset, longMessage((n as CST.FlowScalar).source.length, limits.flowString));
      expanded.set(id, [1, 0]);
      return [1, 0];
    }
    // Deeper than this, the composer and every reader walking the value would exhaust the stack.
    if (level >= limits.nesting) {
      refuse(n.offset, `collections nested more than ${limits.nesting} deep`);
      return [0, 0];
    }
    open.add(id);
    let size = 1;
    let depth = 0;
    const add = (c: Slot | null, a: string | undefined) => {
      const [s, d] = measure(c, a, level + 1);
      size += s;
      if (d > depth) depth = d;
      if (c !== null && c !== EMPTY && c.type === 'alias') {
        total += s;
        const limit = Math.max(limits.expandedNodes, limits.expansionFactor * own);
        if (total > limit) refuse(c.offset, expansionMessage(limit));
      }
    };
    for (const c of childrenOf(n)) {
      if (!c.pair) add(c.node, c.anchor);
      else {
        // The pair (and the map wrapping a flow sequence's pair) are nodes of the document too.
        own += c.wrapped ? 2 : 1;
        if (c.wrapped) size += 1;
        add(c.key, c.keyAnchor);
        add(c.value, c.valueAnchor);
      }
    }
    open.delete(id);
    expanded.set(id, [size, depth]);
    return [size, depth];
  };
  measure(doc.value ?? EMPTY, anchorIn(doc.start), 0);
  return problem;
};

const expansionMessage = (limit: number) => `aliases expand the document to more than ${thousands(limit)} nodes`;

const longMessage = (length: number, limit: number) =>
  `a ${mib(length)} string (strings over ${mib(limit)} are read only as block scalars, | or >)`;

/**
 * Parse every document of a YAML text. A document over a limit (documentProblem) is emptied
 * before it is composed, so nothing of it is built, and its refusal returned under its index.
 */
export const parseDocuments = (
  text: string,
  lineCounter: LineCounter,
  options: { merge: boolean; uniqueKeys: boolean },
): { docs: Document.Parsed[]; refused: Map<number, Refusal> } => {
  // Plain block YAML is looked at line by line first: a bomb in it is refused before any tree is built.
  const quick = quickAliasRefusal(text, YAML_LIMITS);
  if (quick) {
    lineCounter.addNewLine(0);
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lineCounter.addNewLine(nl + 1);
    return { docs: [], refused: new Map([[0, { offset: quick.offset, message: expansionMessage(quick.limit) }]]) };
  }
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const refused = new Map<number, Refusal>();
  let index = 0;
  for (const t of tokens) {
    if (t.type !== 'document') continue;
    const problem = documentProblem(t);
    if (problem) {
      refused.set(index, problem);
      t.value = undefined;
    }
    index++;
  }
  const docs = Array.from(new Composer({ ...options, prettyErrors: false }).compose(tokens));
  return { docs, refused };
};
