// The inputs reader fuzzing makes from valid seed files: text mutations, values replaced, values damaged.
//
// Each seed file is parsed and serialised once; an input changes one document of it, so only that
// document is serialised again (a multi-document manifest costs one document's YAML per input,
// not nine). For damage, the seed with the damaged entity removed is serialised once per entity.
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import type { FileInput } from '../types';

export interface FuzzTarget {
  /** The reader's id (the format). */
  id: string;
  seeds: FileInput[];
}

export type Path = (string | number)[];

export interface FuzzCase {
  kind: 'text' | 'replace' | 'damage';
  seed: number;
  file: FileInput;
  /** For damage: the seed with the damaged item replaced by null. */
  nulled?: FileInput;
  /** What was changed, for the report. */
  what?: string;
}

/** A seed file parsed once: its documents, their serialisations, and the paths to its values. */
export interface PreparedSeed {
  file: FileInput;
  /** A JSON file is one value; a YAML file a list of documents. */
  json: boolean;
  docs: unknown[];
  /** Each document as `serialise` writes it, so an input re-serialises only the document it changes. */
  docTexts: string[];
  /** Every path to a value (the first element is the document index). */
  paths: Path[];
}

const serialiseDoc = (json: boolean, doc: unknown): string => (json ? JSON.stringify(doc, null, 2) : stringify(doc));

/** Every path to a value in the documents (the first element is the document index), at most `max`. */
const pathsOf = (docs: unknown[], max = 4000): Path[] => {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path) => {
    if (out.length >= max) return;
    out.push(path);
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) walk(v[i], [...path, i]);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  for (let i = 0; i < docs.length; i++) walk(docs[i], [i]);
  return out.filter((p) => p.length > 1);
};

export const prepareSeed = (f: FileInput): PreparedSeed => {
  const t = f.text.trimStart();
  const json = t.startsWith('{') || t.startsWith('[');
  // Merge keys resolved: a damaged `<<` is a YAML error for the whole document, not damage to one entity.
  const docs = json ? [JSON.parse(f.text)] : parseAllDocuments(f.text, { merge: true }).map((d) => d.toJS());
  return { file: f, json, docs, docTexts: docs.map((d) => serialiseDoc(json, d)), paths: pathsOf(docs) };
};

/** The seed's text with its documents as given (all of them serialised, the slow reference). */
export const serialiseAll = (s: PreparedSeed, docs: unknown[]): string =>
  docs.map((d) => serialiseDoc(s.json, d)).join('---\n');

const getAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);

/** Removal: a list entry becomes null (indexes of its siblings stay), a map key goes. */
export const REMOVE = Symbol('remove');

/** A copy of one document with the value at `path` (inside it) replaced, or removed for REMOVE. */
const setInDoc = (doc: unknown, path: Path, value: unknown): unknown => {
  if (path.length === 0) return value === REMOVE ? null : value;
  const copy = structuredClone(doc);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path[path.length - 1] as string | number;
  if (value === REMOVE) {
    if (Array.isArray(parent)) parent[key as number] = null;
    else delete parent[key];
  } else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};

/**
 * The seed's text with the value at `path` (document index first) replaced: the other documents'
 * serialisations are reused. Equal to `serialiseAll` of the changed documents (fuzzCases.test.ts).
 */
export const textWith = (s: PreparedSeed, path: Path, value: unknown): string => {
  const d = path[0] as number;
  const texts = s.docTexts.slice();
  texts[d] = serialiseDoc(s.json, setInDoc(s.docs[d], path.slice(1), value));
  return texts.join('---\n');
};

/** The documents with the value at `path` replaced, every one copied (the slow reference for tests). */
export const docsWith = (s: PreparedSeed, path: Path, value: unknown): unknown[] =>
  s.docs.map((doc, i) => (i === path[0] ? setInDoc(doc, path.slice(1), value) : structuredClone(doc)));

/**
 * The entity a damage belongs to: the document of a multi-document file, else the first list
 * entry on the path (a service, a group, a resource), else the top-level field and its key.
 */
export const itemOf = (path: Path, docs: number): Path => {
  if (docs > 1) return path.slice(0, 1);
  const i = path.findIndex((k, j) => j >= 1 && typeof k === 'number');
  return i >= 0 ? path.slice(0, i + 1) : path.slice(0, 3);
};

/** Values of the wrong type for what is there; numbers no valid document uses. Never a valid alternative. */
const damageFor = (current: unknown): fc.Arbitrary<unknown> => {
  const common = [fc.constant(null), fc.constant(REMOVE), fc.constant({ ['__proto__']: { polluted: true } })];
  if (typeof current === 'string')
    return fc.oneof(...common, fc.constant(true), fc.constant([]), fc.constant({}), fc.integer());
  if (typeof current === 'number')
    return fc.oneof(
      ...common,
      fc.constantFrom('', 'abc', '-', 'NaN', '1e999', '0x'),
      fc.constantFrom(-1, -65535, 65536, 1e21, 1.5, Number.MAX_SAFE_INTEGER),
      fc.constant(false),
      fc.constant([]),
    );
  if (typeof current === 'boolean') return fc.oneof(...common, fc.constant('yes please'), fc.constant(2));
  if (Array.isArray(current)) return fc.oneof(...common, fc.constant({}), fc.constant('list'), fc.constant(7));
  if (current && typeof current === 'object')
    return fc.oneof(...common, fc.constant([]), fc.constant('object'), fc.constant(0));
  return fc.oneof(...common, fc.constant({}), fc.constant('x'));
};

const SYNTAX = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  "'",
  '-',
  '\n',
  '  ',
  '&a ',
  '*a',
  '<<: ',
  '#',
  '!!binary ',
  '\t',
  '\u0000',
  '\uFEFF',
  'ü',
  '__proto__',
];

/** Cut, duplicate or insert at random places of the text. */
const textMutation = (text: string): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(
        fc.constantFrom('cut', 'dup', 'insert', 'truncate'),
        fc.nat(Math.max(0, text.length - 1)),
        fc.nat(40),
        fc.constantFrom(...SYNTAX),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((ops) => {
      let t = text;
      for (const [op, at, len, token] of ops) {
        const i = Math.min(at, t.length);
        if (op === 'cut') t = t.slice(0, i) + t.slice(i + len);
        else if (op === 'dup') t = t.slice(0, i + len) + t.slice(i, i + len) + t.slice(i + len);
        else if (op === 'insert') t = t.slice(0, i) + token + t.slice(i);
        else t = t.slice(0, i);
      }
      return t;
    });

/** Inputs for one target: a third each of text mutations, replacements by any JSON value, damages. */
export const fuzzCases = (target: FuzzTarget): fc.Arbitrary<FuzzCase> => {
  const seeds = target.seeds.map(prepareSeed);
  // Few distinct entities per seed: each nulled text is serialised once.
  const nulledTexts = new Map<string, string>();
  const nulledText = (si: number, s: PreparedSeed, item: Path): string => {
    const key = `${si}\u0000${JSON.stringify(item)}`;
    let text = nulledTexts.get(key);
    if (text === undefined) {
      text = textWith(s, item, REMOVE);
      nulledTexts.set(key, text);
    }
    return text;
  };
  return fc.nat(seeds.length - 1).chain((si) => {
    const s = seeds[si] as PreparedSeed;
    const name = s.file.name;
    const text = textMutation(s.file.text).map((t): FuzzCase => ({ kind: 'text', seed: si, file: { name, text: t } }));
    const pick = fc.nat(s.paths.length - 1).map((i) => s.paths[i] as Path);
    const replace = fc
      .tuple(pick, fc.jsonValue({ maxDepth: 3 }))
      .map(([path, v]): FuzzCase => ({ kind: 'replace', seed: si, file: { name, text: textWith(s, path, v) } }));
    const damage = pick.chain((path) =>
      damageFor(getAt(s.docs, path)).map(
        (v): FuzzCase => ({
          kind: 'damage',
          seed: si,
          file: { name, text: textWith(s, path, v) },
          nulled: { name, text: nulledText(si, s, itemOf(path, s.docs.length)) },
          what: `${JSON.stringify(path)} := ${v === REMOVE ? '(removed)' : JSON.stringify(v)}`,
        }),
      ),
    );
    return fc.oneof(text, replace, damage);
  });
};
