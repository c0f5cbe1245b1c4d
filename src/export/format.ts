// What every exporter shares: the result shape, YAML and JSON writing, per-format ids and extras of merged services.
import { stringify } from 'yaml';
import { guessKind } from '../formats/kinds';
import type { Service } from '../model/types';

export interface ExportedFile {
  name: string;
  text: string;
}

/** Files in the target format, and what the format could not express (said, never silently dropped). */
export interface ExportResult {
  files: ExportedFile[];
  notes: string[];
}

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own-property write, so a `__proto__` key kept from an input file stays data. */
export const put = (o: Obj, key: string, value: unknown): void => {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
};

/**
 * YAML as both YAML 1.1 (kubectl, PyYAML) and 1.2 (docker compose) parsers read it: strings such
 * as `yes`, `on` or `1:30` are quoted. No folding, no anchors, keys in insertion order.
 */
export const yamlText = (value: unknown): string =>
  stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });

/** A multi-document YAML stream, one document per object. */
export const yamlDocuments = (docs: unknown[]): string => docs.map(yamlText).join('---\n');

export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** How many examples a grouped note names before it says how many there are in all. */
const EXAMPLES = 5;

/** A few items of a list for a note: `a, b, c, d, e, … (12 in all)`. */
export const examples = (items: string[]): string =>
  `${items.slice(0, EXAMPLES).join(', ')}${items.length > EXAMPLES ? `, … (${items.length} in all)` : ''}`;

/** The environment variable a writer puts a call's address in, when nothing the format has names the callee. */
export const callEnvName = (callee: string): string =>
  `SEGSCOPE_CALL_${callee.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;

/**
 * Notes once each, in the order they first came up. `item` groups one kind of note ("overlay
 * memberships read back differently") over many services into one line with a few examples.
 */
export class Notes {
  private readonly entries: ({ note: string } | { topic: string; items: string[] })[] = [];
  private readonly seen = new Set<string>();
  private readonly topics = new Map<string, string[]>();

  add(note: string): void {
    if (this.seen.has(note)) return;
    this.seen.add(note);
    this.entries.push({ note });
  }

  item(topic: string, item: string): void {
    let items = this.topics.get(topic);
    if (!items) {
      items = [];
      this.topics.set(topic, items);
      this.entries.push({ topic, items });
    }
    if (!items.includes(item)) items.push(item);
  }

  get list(): string[] {
    return this.entries.map((e) =>
      'note' in e
        ? e.note
        : `${e.topic}: ${e.items.slice(0, EXAMPLES).join('; ')}${e.items.length > EXAMPLES ? `; … (${e.items.length} in all)` : ''}`,
    );
  }
}

/**
 * The id a service has in one format: its own id, or — when the import merged descriptions of one
 * service from several formats — the absorbed id of that format (`extra.mergedIds`).
 */
export const formatId = (svc: Service, prefix: string): string | undefined => {
  if (svc.id.startsWith(prefix)) return svc.id;
  const merged = svc.extra?.mergedIds;
  return Array.isArray(merged)
    ? merged.find((id): id is string => typeof id === 'string' && id.startsWith(prefix))
    : undefined;
};

/** What the reader of one format kept in `extra` for this service (merge bookkeeping removed). */
export const formatExtra = (svc: Service, prefix: string): Obj => {
  const id = formatId(svc, prefix);
  if (id === undefined) return {};
  if (id === svc.id) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(svc.extra ?? {})) if (k !== 'mergedIds' && k !== 'mergedExtra') put(out, k, v);
    return out;
  }
  const absorbed = svc.extra?.mergedExtra;
  const kept = isObj(absorbed) && Object.hasOwn(absorbed, id) ? absorbed[id] : undefined;
  return isObj(kept) ? { ...kept } : {};
};

/** A stable hexadecimal digest (FNV-1a, 64 bits) for made-up but deterministic ids. */
export const hexDigest = (text: string, length: number): string => {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  let out = '';
  while (out.length < length) {
    out += h.toString(16).padStart(16, '0');
    h = (h * 0x100000001b3n + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  }
  return out.slice(0, length);
};

/** Same members, any order. */
export const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && new Set(a).size === new Set([...a, ...b]).size;

/**
 * Placeholder image for a service whose image the workspace does not know. Readers guess a
 * datastore from the image name, so the name is chosen to make that guess agree with the kind.
 */
export const placeholderImage = (name: string, kind: Service['kind']): string => {
  const base = `segscope.invalid/${name.toLowerCase()}`;
  const guessed = guessKind(name, base, false);
  if (kind === 'datastore') return guessed === 'datastore' ? base : `${base}-db`;
  return guessed === 'datastore' ? `${base}-service` : base;
};
