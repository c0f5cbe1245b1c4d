// Kubernetes-style manifests (K8s, Calico): documents and lists flattened to objects that know their positions.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { Diagnostic, SourceLocation } from '../model/types';
import { looksLikeJson, type ParsedFile, parseFile } from './parse';
import { diagnostic, lineLocator } from './text';
import type { FileInput } from './types';

export type Path = readonly (string | number)[];
export interface Pos {
  line: number;
  column: number;
}

/** One API object (a document, or an item of a List) with position lookups relative to itself. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  value: Record<string, unknown>;
  /** 0-based document index in the file. */
  doc: number;
  /** Path of the object inside its document (`[]`, or `['items', 3]` inside a List). */
  path: Path;
  /** Position of the value at a sub-path of this object (nearest existing ancestor when absent). */
  at(sub?: Path): Pos;
  /** Position of character `offset` inside the string value at `sub` (falls back to the value's start). */
  atChar(sub: Path, offset: number): Pos;
  /** The object's start as a model SourceLocation. */
  source(sub?: Path): SourceLocation;
}

export interface LoadedManifests {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `List`, `PodList`, `NamespaceList`, … with an `items` array. */
export const isListObject = (v: unknown): v is Record<string, unknown> & { kind: string; items: unknown[] } =>
  isRecord(v) && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);

/**
 * What a list says of its items. The API server answers a list request with a typed list (`PodList`,
 * `DeploymentList`, `NetworkPolicyList`, …) whose items carry no `kind` or `apiVersion`: the list's kind
 * names them (https://kubernetes.io/docs/reference/using-api/api-concepts/#collections). A plain `List`
 * (what `kubectl get -o yaml` writes) says nothing: each item carries its own.
 */
export const listItems = (list: { kind: string; apiVersion?: unknown }): { kind?: string; apiVersion?: string } =>
  list.kind === 'List' || list.kind.length <= 4
    ? {}
    : { kind: list.kind.slice(0, -4), ...(typeof list.apiVersion === 'string' ? { apiVersion: list.apiVersion } : {}) };

/** An item as its list describes it: its own kind and apiVersion first, else the typed list's. */
const asItem = (item: unknown, of: { kind?: string; apiVersion?: string }): unknown => {
  if (!isRecord(item) || (of.kind === undefined && of.apiVersion === undefined)) return item;
  if (typeof item.kind === 'string' && typeof item.apiVersion === 'string') return item;
  return {
    ...item,
    ...(typeof item.kind !== 'string' && of.kind ? { kind: of.kind } : {}),
    ...(typeof item.apiVersion !== 'string' && of.apiVersion ? { apiVersion: of.apiVersion } : {}),
  };
};

/** Every API object (apiVersion/kind maps) inside a parsed value: documents, Lists, typed lists, arrays of objects. */
export const flattenObjects = (value: unknown, depth = 0): Record<string, unknown>[] => {
  if (depth > 8) return [];
  if (Array.isArray(value)) return value.flatMap((v) => flattenObjects(v, depth + 1));
  if (isListObject(value)) {
    const of = listItems(value);
    return value.items.flatMap((v) => flattenObjects(asItem(v, of), depth + 1));
  }
  if (isRecord(value) && typeof value.kind === 'string') return [value];
  return [];
};

interface RawDoc {
  index: number;
  value: unknown;
  locate(path: Path): Pos;
  /** Offset in the file text of the value at a path (start of the scalar, quote included). */
  offsetOf(path: Path): number | undefined;
}

const loadDocs = (file: FileInput, parsed: ParsedFile): { docs: RawDoc[]; diagnostics: Diagnostic[]; text: string } => {
  const text = file.text;
  let jsonDiagnostics: Diagnostic[] | undefined;
  if (looksLikeJson(text)) {
    const j = parsed.json();
    if (j.value !== undefined) {
      let tree: ReturnType<typeof parseTree> | null = null;
      const offsetOf = (path: Path): number | undefined => {
        tree ??= parseTree(text) ?? null;
        if (!tree) return undefined;
        return findNodeAtLocation(tree, path as (string | number)[])?.offset;
      };
      return { docs: [{ index: 0, value: j.value, locate: j.locate, offsetOf }], diagnostics: j.diagnostics, text };
    }
    jsonDiagnostics = j.diagnostics;
  }
  // YAML (also reads JSON that is not strict: trailing commas and the like).
  const y = parsed.yaml();
  if (jsonDiagnostics && y.docs.length === 0) return { docs: [], diagnostics: jsonDiagnostics, text };
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const offsetAt = (p: Pos): number => (starts[p.line - 1] ?? 0) + p.column - 1;
  return {
    docs: y.docs.map((d) => ({
      index: d.index,
      value: d.value,
      locate: d.locate,
      offsetOf: (path: Path) => offsetAt(d.locate(path)),
    })),
    diagnostics: y.diagnostics,
    text,
  };
};

/** Parse a file into API objects. Documents that are not objects with a `kind` are reported, not dropped silently. */
export const loadManifests = (file: FileInput, parsed: ParsedFile = parseFile(file)): LoadedManifests => {
  const { docs, diagnostics: found, text } = loadDocs(file, parsed);
  // The parse is shared with detection: report into a list of this read's own.
  const diagnostics = [...found];
  const loc = lineLocator(text);
  const manifests: Manifest[] = [];
  const where = (doc: RawDoc, path: Path, list: string | undefined) =>
    list ? `${list} item ${path.at(-1)}` : `document ${doc.index + 1}${path.length ? ` item ${path.join('.')}` : ''}`;
  /** `list` names the list an item is in (its kind), so an error says which item of which list. */
  const visit = (doc: RawDoc, value: unknown, path: Path, depth: number, list?: string) => {
    if (Array.isArray(value) && depth === 0) {
      value.forEach((v, i) => {
        visit(doc, v, [...path, i], depth + 1);
      });
      return;
    }
    if (!isRecord(value)) {
      diagnostics.push(
        diagnostic(file.name, doc.locate(path), `${where(doc, path, list)} is not a Kubernetes object; skipped`),
      );
      return;
    }
    if (typeof value.kind !== 'string' || value.kind === '') {
      diagnostics.push(
        diagnostic(
          file.name,
          doc.locate(path),
          `${where(doc, path, list)} has no kind${list === 'List' ? ' (the items of a List carry their own)' : ''}; skipped`,
        ),
      );
      return;
    }
    if (isListObject(value) && depth < 8) {
      const of = listItems(value);
      value.items.forEach((v, i) => {
        visit(doc, asItem(v, of), [...path, 'items', i], depth + 1, value.kind);
      });
      return;
    }
    const at = (sub: Path = []) => doc.locate([...path, ...sub]);
    const atChar = (sub: Path, offset: number): Pos => {
      const full = [...path, ...sub];
      let v: unknown = doc.value;
      for (const k of full)
        v = isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[k as string] : undefined;
      const start = doc.offsetOf(full);
      if (typeof v !== 'string' || start === undefined) return doc.locate(full);
      const q = text[start] === '"' || text[start] === "'" ? 1 : 0;
      // Exact only when the source spells the value verbatim up to the offset (no escapes, no folding).
      if (text.slice(start + q, start + q + offset) === v.slice(0, offset)) return loc(start + q + offset);
      return doc.locate(full);
    };
    manifests.push({
      apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '',
      kind: value.kind,
      value,
      doc: doc.index,
      path,
      at,
      atChar,
      source: (sub: Path = []) => ({ file: file.name, ...at(sub) }),
    });
  };
  for (const doc of docs) visit(doc, doc.value, [], 0);
  return { manifests, diagnostics };
};

// ---------------------------------------------------------------------------------------------
// Small typed accessors: manifests are untrusted input, so every read checks its type.

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const rec = (v: unknown): Record<string, unknown> | undefined => (isRecord(v) ? v : undefined);
export const arr = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
/** An optional list field: undefined when absent; set but not a list, `notList` reports it and undefined. */
export const optionalList = (v: unknown, notList: () => void): unknown[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) notList();
  return arr(v);
};
export const get = (v: unknown, ...path: (string | number)[]): unknown => {
  let cur = v;
  for (const k of path) {
    if (Array.isArray(cur) && typeof k === 'number') cur = cur[k];
    else if (isRecord(cur) && typeof k === 'string' && Object.hasOwn(cur, k)) cur = cur[k];
    else return undefined;
  }
  return cur;
};

/** Own-property write that stays a plain data property even for `__proto__` (keys come from files). */
export const put = <T>(o: Record<string, T>, key: string, value: T): void => {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
};

/** metadata.name / namespace / labels of an object. */
export const meta = (m: Manifest) => {
  const md = rec(m.value.metadata) ?? {};
  return {
    name: str(md.name),
    namespace: str(md.namespace),
    labels: rec(md.labels),
    annotations: rec(md.annotations),
  };
};
