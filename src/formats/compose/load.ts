// YAML of a Compose file with key positions and partial recovery around syntax errors.
import { isMap, isScalar } from 'yaml';
import type { ParsedFile } from '../../import/parse';
import { diagnostic, sizeCheck } from '../../import/text';
import type { FileInput } from '../../import/types';
import type { Diagnostic } from '../../model/types';
import type { Path } from './context';

type Pos = { line: number; column: number };

export interface Loaded {
  value: unknown;
  /** Position of the value at a path (nearest existing ancestor when absent). */
  valueAt(path: Path): Pos;
  /** Position of the key of the entry at a path (the line a person looks for). */
  keyAt(path: Path): Pos;
}

interface NodeLike {
  range?: [number, number, number] | null;
}

/**
 * parseYaml reports syntax errors and refuses alias bombs; a document with syntax errors is then
 * read again tolerantly so that the valid rest of a Compose file still loads.
 */
export const loadYaml = (file: FileInput, parsed: ParsedFile, diagnostics: Diagnostic[]): Loaded | undefined => {
  const strict = parsed.yaml();
  diagnostics.push(...strict.diagnostics);
  if (sizeCheck(file.name, file.text)) return undefined;
  const list = strict.raw;
  const pos = strict.pos;
  for (const [index, doc] of list.entries()) {
    const contents = doc.contents as NodeLike | null;
    if (!contents) continue;
    let value: unknown;
    const strictDoc = strict.docs.find((d) => d.index === index);
    if (strictDoc) value = strictDoc.value;
    else if (doc.errors.length > 0 && !strict.refused.has(index)) {
      // Read around syntax errors: a document over the YAML limits was emptied before it was composed.
      try {
        value = doc.toJS({ maxAliasCount: 1000 });
      } catch {
        continue;
      }
      const at = pos(contents.range?.[0] ?? 0);
      diagnostics.push(
        diagnostic(file.name, at, 'the YAML has syntax errors; what could be read around them is loaded', 'warn'),
      );
    } else continue; // refused by parseYaml (alias bomb), which said why
    if (value === null || value === undefined) continue;
    const rest = list.slice(index + 1).find((d) => d.contents);
    if (rest) {
      const at = pos((rest.contents as NodeLike).range?.[0] ?? 0);
      diagnostics.push(diagnostic(file.name, at, 'only the first YAML document of a Compose file is read', 'warn'));
    }
    const nodeAt = (path: Path): NodeLike | null | undefined =>
      (path.length === 0 ? doc.contents : doc.getIn(path, true)) as NodeLike | null | undefined;
    const valueAt = (path: Path): Pos => {
      for (let n = path.length; n >= 0; n--) {
        const node = nodeAt(path.slice(0, n));
        if (node?.range) return pos(node.range[0]);
      }
      return { line: 1, column: 1 };
    };
    const keyAt = (path: Path): Pos => {
      const parent = path.length > 0 ? nodeAt(path.slice(0, -1)) : undefined;
      const key = path.at(-1);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        const range = (pair?.key as NodeLike | undefined)?.range;
        if (range) return pos(range[0]);
      }
      return valueAt(path);
    };
    return { value, valueAt, keyAt };
  }
  return undefined;
};
