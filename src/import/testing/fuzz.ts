// Fuzzing the readers: generated and mutated inputs per format, and the four properties every reader keeps.
//
// From small valid seed files of each format, three kinds of input are made: the text mutated
// (bytes cut, duplicated, syntax characters inserted), one value replaced by any JSON value, and
// one value damaged (a wrong type, a hostile number, a key removed). For every input:
// 1. importing never throws; 2. every diagnostic names the file, a line and a column.
// For damage only, compared with the same seed whose damaged item (the innermost list entry
// around the damage, else the top-level entry) is replaced by null:
// 3. the valid rest still loads: every service, segment, rule and call of the nulled document is
//    there; 4. no value is widened: a rule read from the damaged document, kept under its id,
//    allows no connection (per pair of services and port) the undamaged rule does not.
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { isEmpty, subtract } from '../../analysis/connset';
import { buildIndex } from '../../analysis/context';
import { levelResult } from '../../analysis/reach';

import { LEVELS, type Workspace } from '../../model/types';
import { importFiles } from '../index';
import type { FileInput } from '../types';

export interface FuzzTarget {
  /** The reader's id (the format). */
  id: string;
  seeds: FileInput[];
}

type Path = (string | number)[];

interface Parsed {
  /** A JSON file is one value; a YAML file a list of documents. */
  json: boolean;
  docs: unknown[];
}

export interface FuzzCase {
  kind: 'text' | 'replace' | 'damage';
  seed: number;
  file: FileInput;
  /** For damage: the seed with the damaged item replaced by null. */
  nulled?: FileInput;
  /** What was changed, for the report. */
  what?: string;
}

const parseSeed = (f: FileInput): Parsed => {
  const t = f.text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return { json: true, docs: [JSON.parse(f.text)] };
  // Merge keys resolved: a damaged `<<` is a YAML error for the whole document, not damage to one entity.
  return { json: false, docs: parseAllDocuments(f.text, { merge: true }).map((d) => d.toJS()) };
};

const serialise = (p: Parsed, docs: unknown[]): string =>
  p.json ? JSON.stringify(docs[0], null, 2) : docs.map((d) => stringify(d)).join('---\n');

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

const getAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);

/** A copy of the documents with the value at `path` replaced (or removed when `value` is REMOVE). */
const REMOVE = Symbol('remove');
const setAt = (docs: unknown[], path: Path, value: unknown): unknown[] => {
  const copy = structuredClone(docs);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path[path.length - 1] as string | number;
  if (value === REMOVE) {
    if (Array.isArray(parent)) parent[key as number] = null;
    else delete parent[key];
  } else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};

/**
 * The entity a damage belongs to: the document of a multi-document file, else the first list
 * entry on the path (a service, a group, a resource), else the top-level field and its key.
 */
const itemOf = (path: Path, docs: number): Path => {
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
  const seeds = target.seeds.map((f) => {
    const parsed = parseSeed(f);
    return { file: f, parsed, paths: pathsOf(parsed.docs) };
  });
  return fc.nat(seeds.length - 1).chain((si) => {
    const s = seeds[si] as (typeof seeds)[number];
    const name = s.file.name;
    const text = textMutation(s.file.text).map((t): FuzzCase => ({ kind: 'text', seed: si, file: { name, text: t } }));
    const pick = fc.nat(s.paths.length - 1).map((i) => s.paths[i] as Path);
    const replace = fc.tuple(pick, fc.jsonValue({ maxDepth: 3 })).map(
      ([path, v]): FuzzCase => ({
        kind: 'replace',
        seed: si,
        file: { name, text: serialise(s.parsed, setAt(s.parsed.docs, path, v)) },
      }),
    );
    const damage = pick.chain((path) =>
      damageFor(getAt(s.parsed.docs, path)).map(
        (v): FuzzCase => ({
          kind: 'damage',
          seed: si,
          file: { name, text: serialise(s.parsed, setAt(s.parsed.docs, path, v)) },
          nulled: { name, text: serialise(s.parsed, setAt(s.parsed.docs, itemOf(path, s.parsed.docs.length), REMOVE)) },
          what: `${JSON.stringify(path)} := ${v === REMOVE ? '(removed)' : JSON.stringify(v)}`,
        }),
      ),
    );
    return fc.oneof(text, replace, damage);
  });
};

const ids = (ws: Workspace): Set<string> =>
  new Set([
    ...ws.services.map((s) => `service ${s.id}`),
    ...ws.segments.map((s) => `segment ${s.id}`),
    ...ws.rules.map((r) => `rule ${r.id}`),
    // A call's port may be read differently when the entity giving it is damaged; the call must stay.
    ...ws.calls.map((c) => `call ${c.from} → ${c.to}`),
  ]);

const withoutSource = (r: unknown) => {
  const { source: _s, ...rest } = r as { source?: unknown };
  return JSON.stringify(rest);
};

/** A rule of `damaged` that allows more than the rule of the same id in `original`, or undefined. */
const widenedRule = (original: Workspace, damaged: Workspace): string | undefined => {
  const before = new Map(original.rules.map((r) => [r.id, r]));
  for (const r of damaged.rules) {
    const o = before.get(r.id);
    if (!o || o.level !== r.level || withoutSource(o) === withoutSource(r)) continue;
    const swapped: Workspace = { ...original, rules: original.rules.map((x) => (x.id === r.id ? r : x)) };
    const a = buildIndex(original);
    const b = buildIndex(swapped);
    const li = LEVELS.indexOf(r.level);
    const n = original.services.length;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const more = subtract(levelResult(b, li, i, j).conns, levelResult(a, li, i, j).conns);
        if (!isEmpty(more))
          return `rule ${r.id} widened for ${original.services[i]?.id} → ${original.services[j]?.id}: ${withoutSource(o)} became ${withoutSource(r)}`;
      }
  }
  return undefined;
};

const originals = new Map<string, Workspace>();
/** Imports of nulled seeds, by text: few distinct ones per seed, each read once. */
const nulledImports = new Map<string, Set<string>>();
const nulledIds = (f: FileInput): Set<string> => {
  let got = nulledImports.get(f.text);
  if (!got) {
    got = ids(importFiles([f]).workspace);
    if (nulledImports.size > 5000) nulledImports.clear();
    nulledImports.set(f.text, got);
  }
  return got;
};

/** The first property the case breaks, or undefined. */
export const checkCase = (target: FuzzTarget, c: FuzzCase): string | undefined => {
  let result: ReturnType<typeof importFiles>;
  try {
    result = importFiles([c.file]);
  } catch (e) {
    return `threw: ${(e as Error).stack ?? String(e)}`;
  }
  if (({} as Record<string, unknown>).polluted !== undefined) return 'Object.prototype was polluted';
  const lines = c.file.text.split('\n').length + 1;
  for (const d of [...result.report.files.flatMap((f) => f.diagnostics), ...result.report.diagnostics]) {
    const placed =
      d.file === c.file.name &&
      Number.isInteger(d.line) &&
      Number.isInteger(d.column) &&
      d.line >= 1 &&
      d.line <= lines &&
      d.column >= 1 &&
      typeof d.message === 'string' &&
      d.message.length > 0;
    if (!placed) return `diagnostic not placed: ${JSON.stringify(d)}`;
  }
  if (c.kind !== 'damage' || !c.nulled) return undefined;
  const got = ids(result.workspace);
  const lost = [...nulledIds(c.nulled)].filter((id) => !got.has(id));
  if (lost.length > 0) return `the valid rest did not load: lost ${lost.slice(0, 5).join(', ')}`;
  const key = `${target.id}#${c.seed}`;
  let original = originals.get(key);
  if (!original) {
    original = importFiles([target.seeds[c.seed] as FileInput]).workspace;
    originals.set(key, original);
  }
  return widenedRule(original, result.workspace);
};

export interface FuzzReport {
  reader: string;
  inputs: number;
  ms: number;
  failures: { input: FileInput; kind: string; message: string }[];
}

/** Run `runs` inputs for a target from a fixed seed; failures are collected, not thrown. */
export const runFuzz = (target: FuzzTarget, runs: number, seed: number): FuzzReport => {
  const failures: FuzzReport['failures'] = [];
  const t0 = performance.now();
  let inputs = 0;
  fc.check(
    fc.property(fuzzCases(target), (c) => {
      inputs++;
      const message = checkCase(target, c);
      if (message && failures.length < 20)
        failures.push({ input: c.file, kind: c.kind, message: c.what ? `${c.what}: ${message}` : message });
      return true;
    }),
    { numRuns: runs, seed },
  );
  return { reader: target.id, inputs, ms: Math.round(performance.now() - t0), failures };
};
