// Bounds on what a YAML file may cost: long flow strings and alias expansion are refused per document.
//
// The yaml library shares one object for every alias of an anchor, so expansion costs nothing
// until a reader walks the value: 45 KB of anchors aliased a few hundred times make 800,000
// nodes to read (seconds). Its own guard (maxAliasCount) counts in a way that lets that through.
// So each document is measured before it is turned into values: its aliases, how deeply they
// nest, and how many nodes they expand to. A double-quoted or plain string of megabytes costs
// seconds and a gigabyte in the library's scalar folding; such a document is refused before that.
import {
  Composer,
  type CST,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  Parser,
} from 'yaml';

/** Aliases in one document. */
export const MAX_ALIASES = 10_000;
/** An alias inside the anchor of an alias inside… at most this deep. */
export const MAX_ALIAS_DEPTH = 10;
/** Nodes a document may expand to through aliases: this many, or 10× its own nodes if more. */
export const MAX_EXPANDED_NODES = 200_000;
/** A plain or quoted (not block) string longer than this refuses its document. */
export const MAX_FLOW_STRING = 1 << 20;

export interface Refusal {
  /** Character offset the message is about. */
  offset: number;
  message: string;
}

const FLOW_SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar']);

/** The first over-long flow string in a syntax token, depth first. */
const longString = (root: CST.Token | undefined): CST.FlowScalar | undefined => {
  const stack: (CST.Token | undefined)[] = [root];
  while (stack.length > 0) {
    const t = stack.pop();
    if (!t) continue;
    if (FLOW_SCALARS.has(t.type) && (t as CST.FlowScalar).source.length > MAX_FLOW_STRING) return t as CST.FlowScalar;
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      const items = (t as CST.BlockMap).items as { key?: CST.Token | null; value?: CST.Token }[];
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]?.value, items[i]?.key ?? undefined);
    }
  }
  return undefined;
};

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
/** 200000 → "200,000" (without loading locale data for one message). */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

/**
 * Parse every document of a YAML text. A document holding an over-long flow string is emptied
 * before it is composed and its refusal returned under its index.
 */
export const parseDocuments = (
  text: string,
  lineCounter: LineCounter,
  options: { merge: boolean; uniqueKeys: boolean },
): { docs: Document.Parsed[]; refused: Map<number, Refusal> } => {
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const refused = new Map<number, Refusal>();
  let index = 0;
  for (const t of tokens) {
    if (t.type !== 'document') continue;
    const long = longString(t.value);
    if (long) {
      refused.set(index, {
        offset: long.offset,
        message: `a ${mib(long.source.length)} string (strings over ${mib(MAX_FLOW_STRING)} are read only as block scalars, | or >)`,
      });
      t.value = undefined;
    }
    index++;
  }
  const docs = Array.from(new Composer({ ...options, prettyErrors: false }).compose(tokens));
  return { docs, refused };
};

type Node = unknown;

/**
 * Measure a document's aliases before its values are built: too many, nested too deep, or
 * expanding to too many nodes is a refusal at the alias that crossed the line.
 */
export const aliasProblem = (doc: Document.Parsed): Refusal | undefined => {
  // The library's Alias.resolve walks the whole document each time: anchors are kept here instead,
  // in document order (an alias names the nearest preceding anchor of that name).
  const anchors = new Map<string, Node>();
  const expanded = new Map<Node, number>();
  const depth = new Map<Node, number>();
  let aliases = 0;
  let own = 0;
  let total = 0;
  let problem: Refusal | undefined;
  const at = (n: Node) => (n as { range?: [number, number, number] }).range?.[0] ?? 0;
  /** Nodes `n` stands for once expanded, and how deep its aliases nest; memoised per node. */
  const measure = (n: Node, inAlias: boolean): [number, number] => {
    if (problem || n === null || n === undefined) return [0, 0];
    if (isAlias(n)) {
      if (!inAlias && ++aliases > MAX_ALIASES) {
        problem = { offset: at(n), message: `more than ${thousands(MAX_ALIASES)} aliases` };
        return [0, 0];
      }
      const target = anchors.get(n.source);
      if (!target) return [1, 1];
      const known = expanded.get(target);
      const [size, d] = known === undefined ? measure(target, true) : [known, depth.get(target) ?? 0];
      if (d + 1 > MAX_ALIAS_DEPTH && !problem)
        problem = { offset: at(n), message: `aliases nested more than ${MAX_ALIAS_DEPTH} deep` };
      return [size, d + 1];
    }
    if (!inAlias) own++;
    const anchor = (n as { anchor?: string }).anchor;
    if (anchor && !inAlias) anchors.set(anchor, n);
    let size = 1;
    let d = 0;
    const children: Node[] = isMap(n) || isSeq(n) ? n.items : isPair(n) ? [n.key, n.value] : [];
    if (isPair(n)) size = 0;
    for (const c of children) {
      const [s, cd] = measure(c, inAlias);
      size += s;
      if (cd > d) d = cd;
      if (!inAlias && isAlias(c)) {
        total += s;
        const limit = Math.max(MAX_EXPANDED_NODES, 10 * own);
        if (total > limit && !problem)
          problem = {
            offset: at(c),
            message: `aliases expand the document to more than ${thousands(limit)} nodes`,
          };
      }
    }
    if (isScalar(n)) size = 1;
    expanded.set(n, size);
    depth.set(n, d);
    return [size, d];
  };
  try {
    measure(doc.contents, false);
  } catch (e) {
    // A nesting so deep that measuring it overflows the stack would overflow the readers too.
    return { offset: 0, message: `too deeply nested (${(e as Error).message})` };
  }
  return problem;
};
