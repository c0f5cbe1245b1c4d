// The alias limits measured on the composed document: the slow reference yamlLimits.test.ts holds documentProblem to.
// This was the import's own check before the limits moved to the syntax tree (composing a bomb costs as
// much as parsing it); it walks the library's nodes, so it counts them as the composer made them.
import { type Document, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { type Refusal, YAML_LIMITS, type YamlLimits } from '../yamlLimits';

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

type Node = unknown;

/**
 * Measure a document's aliases before its values are built: too many, nested too deep, or
 * expanding to too many nodes is a refusal at the alias that crossed the line.
 */
export const composedAliasProblem = (doc: Document.Parsed, limits: YamlLimits = YAML_LIMITS): Refusal | undefined => {
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
      if (!inAlias && ++aliases > limits.aliases) {
        problem = { offset: at(n), message: `more than ${thousands(limits.aliases)} aliases` };
        return [0, 0];
      }
      const target = anchors.get(n.source);
      if (!target) return [1, 1];
      const known = expanded.get(target);
      const [size, d] = known === undefined ? measure(target, true) : [known, depth.get(target) ?? 0];
      if (d + 1 > limits.aliasDepth && !problem)
        problem = { offset: at(n), message: `aliases nested more than ${limits.aliasDepth} deep` };
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
        const limit = Math.max(limits.expandedNodes, limits.expansionFactor * own);
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

/** A YAML document with anchors and aliases in every place the syntax allows, from a seed. */
export const yamlWithAliases = (seed: number): string => {
  let s = seed >>> 0 || 1;
  const rand = (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
  const anchors: string[] = [];
  let next = 0;
  /** Maybe an anchor for the node about to be written; `done` makes it aliasable once the node is written. */
  const anchor = () => {
    if (rand(3) !== 0) return { text: '', done: () => {} };
    const a = `a${next++}`;
    return { text: `&${a} `, done: () => anchors.push(a) };
  };
  const anchored = (write: (a: string) => string) => {
    const a = anchor();
    const out = write(a.text);
    a.done();
    return out;
  };
  const alias = () => (anchors.length > 0 && rand(2) === 0 ? `*${anchors[rand(anchors.length)]}` : undefined);
  /** A flow node: scalar, alias, flow map or flow sequence (with pairs), some empty. */
  const flow = (depth: number): string => {
    const al = alias();
    if (al) return al;
    const r = depth > 2 ? 0 : rand(4);
    if (r === 0) return anchored((a) => `${a}v${rand(9)}`);
    if (r === 1)
      return anchored((a) => {
        const items = Array.from({ length: rand(4) }, (_, i) => {
          const key = rand(5) === 0 ? anchored((k) => `${k}k${i}`) : `k${i}`;
          return `${key}: ${flow(depth + 1)}`;
        });
        return `${a}{${items.join(', ')}}`;
      });
    return anchored((a) => {
      const items = Array.from({ length: rand(4) }, (_, i) =>
        rand(4) === 0 ? `p${i}: ${flow(depth + 1)}` : flow(depth + 1),
      );
      return `${a}[${items.join(', ')}]`;
    });
  };
  /** A block node at an indentation: map or sequence, their values block or flow or empty. */
  const block = (indent: string, depth: number, lines: string[]) => {
    const seq = rand(2) === 0;
    const n = 1 + rand(4);
    for (let i = 0; i < n; i++) {
      const head = seq ? `${indent}- ` : `${indent}${rand(6) === 0 ? anchored((k) => `${k}k${i}`) : `k${i}`}:`;
      const gap = seq ? '' : ' ';
      const r = depth > 2 ? rand(3) : rand(4);
      if (r === 0) lines.push(`${head}${gap}${flow(depth + 1)}`);
      // An empty value, maybe anchored.
      else if (r === 1) lines.push(`${head}${rand(2) === 0 ? anchored((a) => `${gap}${a}`.trimEnd()) : ''}`);
      else if (r === 2) lines.push(`${head}${gap}${alias() ?? anchored((a) => `${a}x`)}`);
      else {
        const a = anchor();
        lines.push(`${head}${a.text ? `${gap}${a.text.trimEnd()}` : ''}`);
        block(`${indent}  `, depth + 1, lines);
        a.done();
      }
    }
  };
  const lines: string[] = [];
  block('', 0, lines);
  return `${lines.join('\n')}\n`;
};
