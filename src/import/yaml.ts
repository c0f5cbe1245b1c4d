// YAML parsing that keeps positions: multi-document, anchors and merge keys, alias-bomb safe.
import { type Document, LineCounter } from 'yaml';
import type { Diagnostic } from '../model/types';
import { diagnostic, sizeCheck } from './text';
import { parseDocuments, type Refusal } from './yamlLimits';

export interface YamlDoc {
  /** 0-based index of the document in the file. */
  index: number;
  value: unknown;
  /** Position of the node at a path; falls back to the nearest existing ancestor. */
  locate(path: readonly (string | number)[]): { line: number; column: number };
}

export interface ParsedYaml {
  docs: YamlDoc[];
  diagnostics: Diagnostic[];
  /** Every document as the parser built it, errors included: readers that recover around syntax errors use them. */
  raw: Document.Parsed[];
  /** Indexes of documents refused by the limits (their values must not be built). */
  refused: ReadonlySet<number>;
  /** 1-based line and column of a character offset. */
  pos(offset: number): { line: number; column: number };
}

/** More alias expansions than this is treated as a "billion laughs" attack. */
const MAX_ALIAS_COUNT = 1000;

interface NodeLike {
  range?: [number, number, number] | null;
}

export const parseYaml = (name: string, text: string): ParsedYaml => {
  const lineCounter = new LineCounter();
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const tooBig = sizeCheck(name, text);
  if (tooBig) return { docs: [], diagnostics: [tooBig], raw: [], refused: new Set(), pos };
  const diagnostics: Diagnostic[] = [];
  let parsed: ReturnType<typeof parseDocuments>['docs'];
  let refused: Map<number, Refusal>;
  try {
    ({ docs: parsed, refused } = parseDocuments(text, lineCounter, { merge: true, uniqueKeys: true }));
  } catch (e) {
    return {
      docs: [],
      diagnostics: [diagnostic(name, { line: 1, column: 1 }, `invalid YAML: ${(e as Error).message}`)],
      raw: [],
      refused: new Set(),
      pos,
    };
  }
  const list = parsed;
  const docs: YamlDoc[] = [];
  // A document refused before the library parsed the text (yamlPrescan.ts) has no Document to walk.
  if (list.length === 0)
    for (const [index, r] of refused)
      diagnostics.push(diagnostic(name, pos(r.offset), `YAML document ${index + 1} not loaded: ${r.message}`));
  list.forEach((doc, index) => {
    for (const err of doc.errors) {
      diagnostics.push(diagnostic(name, pos(err.pos[0]), `invalid YAML: ${err.message.split('\n')[0]}`));
    }
    for (const warn of doc.warnings) {
      diagnostics.push(diagnostic(name, pos(warn.pos[0]), warn.message.split('\n')[0] as string, 'warn'));
    }
    const refusal = refused.get(index);
    if (refusal) {
      diagnostics.push(
        diagnostic(name, pos(refusal.offset), `YAML document ${index + 1} not loaded: ${refusal.message}`),
      );
      return;
    }
    if (doc.errors.length > 0) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const start = (doc.contents as NodeLike | null)?.range?.[0] ?? 0;
      diagnostics.push(diagnostic(name, pos(start), `YAML document ${index + 1} not loaded: ${(e as Error).message}`));
      return;
    }
    if (value === null || value === undefined) return; // empty document (e.g. trailing ---)
    const locate = (path: readonly (string | number)[]) => {
      for (let n = path.length; n >= 0; n--) {
        const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as NodeLike | null | undefined;
        if (node?.range) {
          // For a map value, point at its key: find the pair holding it.
          return pos(node.range[0]);
        }
      }
      return { line: 1, column: 1 };
    };
    docs.push({ index, value, locate });
  });
  return { docs, diagnostics, raw: list, refused: new Set(refused.keys()), pos };
};
