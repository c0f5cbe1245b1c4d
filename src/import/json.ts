// Strict JSON parsing that keeps positions: parse errors and value paths map to line/column.
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { setOwn } from '../model/own';
import type { Diagnostic } from '../model/types';
import { diagnostic, lineLocator, sizeCheck } from './text';

export interface ParsedJson {
  /** undefined when the text is not valid JSON (see diagnostics). */
  value: unknown;
  /** What could be recovered from invalid JSON; enough to detect the format and report in its terms. */
  partial: unknown;
  /** Position of the value at a path; falls back to the nearest existing ancestor. */
  locate(path: readonly (string | number)[]): { line: number; column: number };
  diagnostics: Diagnostic[];
}

/** Build plain values from the syntax tree; `__proto__` becomes an own data property, never a prototype. */
const toValue = (node: Node): unknown => {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || !v) continue;
        setOwn(out, String(k.value), toValue(v));
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(toValue);
    default:
      return node.value;
  }
};

/** Positions come from a syntax tree built only when first asked for: valid files parse at JSON.parse speed. */
const treeLocator = (text: string, tree?: Node) => {
  let root: Node | undefined | null = tree ?? null;
  let loc: ReturnType<typeof lineLocator> | undefined;
  return (path: readonly (string | number)[]) => {
    if (root === null) root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
    loc ??= lineLocator(text);
    if (!root) return { line: 1, column: 1 };
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, path.slice(0, n) as (string | number)[]);
      if (node) {
        // Point at the property key when the value belongs to one: that is the line a user looks for.
        const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
        return loc(at);
      }
    }
    return loc(root.offset);
  };
};

export const parseJson = (name: string, text: string): ParsedJson => {
  const tooBig = sizeCheck(name, text);
  if (tooBig)
    return { value: undefined, partial: undefined, locate: () => ({ line: 1, column: 1 }), diagnostics: [tooBig] };
  // Fast path. JSON.parse defines `__proto__` as an own data property, never as the prototype.
  try {
    const value: unknown = JSON.parse(text);
    return { value, partial: value, locate: treeLocator(text), diagnostics: [] };
  } catch {
    // Invalid: parse again with the tolerant parser for positions and a partial value.
  }
  const loc = lineLocator(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const diagnostics = errors.map((e) =>
    diagnostic(
      name,
      loc(e.offset),
      `invalid JSON: ${printParseErrorCode(e.error)
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toLowerCase()}`,
    ),
  );
  if (errors.length === 0) diagnostics.push(diagnostic(name, { line: 1, column: 1 }, 'invalid JSON'));
  const value = root ? toValue(root) : undefined;
  return { value: undefined, partial: value, locate: treeLocator(text, root), diagnostics };
};
