// Merging the fragments of several files into one workspace; conflicts are reported, not guessed.

import { setOwn } from '../model/own';
import type { Diagnostic, Rule, Service, ServicePort, Workspace } from '../model/types';
import { mergeSegmentFacts } from './segments';
import { diagnostic } from './text';
import type { Fragment } from './types';

export interface NamedFragment {
  file: string;
  format: string;
  fragment: Fragment;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Equal apart from where they were written. */
const sameRule = (a: Rule | undefined, b: Rule): boolean => {
  if (!a) return false;
  const { source: _a, ...ra } = a;
  const { source: _b, ...rb } = b;
  return sameJson(ra, rb);
};

const unionMemberships = (a: Service, b: Service): Service['memberships'] => {
  const out: Service['memberships'] = { ...a.memberships };
  for (const [level, ids] of Object.entries(b.memberships) as [keyof Service['memberships'], string[]][]) {
    const have = out[level] ?? [];
    out[level] = [...have, ...ids.filter((id) => !have.includes(id))];
  }
  return out;
};

const unionBy = <T>(a: T[] | undefined, b: T[] | undefined, key: (x: T) => string): T[] | undefined => {
  if (!a || !b) return a ?? b;
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((x) => !seen.has(key(x)))];
};

/** Fold `b` into `a` (same id from two files): memberships union, other fields must agree. */
const mergeService = (a: Service, b: Service, file: string, diagnostics: Diagnostic[]): Service => {
  const out: Service = { ...a, memberships: unionMemberships(a, b) };
  for (const key of Object.keys(b) as (keyof Service)[]) {
    if (key === 'memberships' || key === 'source' || key === 'id') continue;
    // Addresses seen by two files (declared in Compose, assigned at runtime) are all the service's.
    if (key === 'addresses') {
      const all = unionBy(a.addresses, b.addresses, (x) => x);
      if (all) out.addresses = all;
      continue;
    }
    // `service` is what a reader says when nothing tells the kind (`docker network inspect` names no
    // image): a file that tells more wins, without a conflict.
    if (key === 'kind' && (b.kind === 'service' || out.kind === 'service')) {
      if (b.kind !== 'service') out.kind = b.kind;
      continue;
    }
    if (out[key] === undefined) (out as unknown as Record<string, unknown>)[key] = b[key];
    else if (!sameJson(out[key], b[key])) {
      const at = b.source?.[0] ?? { file, line: 1, column: 1 };
      diagnostics.push(
        diagnostic(
          at.file,
          at,
          `service "${a.id}": ${key} differs between files (kept ${JSON.stringify(out[key])}, ignored ${JSON.stringify(b[key])})`,
          'warn',
        ),
      );
    }
  }
  if (b.source) out.source = [...(a.source ?? []), ...b.source];
  return out;
};

/**
 * Fold `b` into `a`: the same service described by two formats (a Compose service and the K8s
 * workload of the same name). Unlike `mergeService`, fields legitimately differ between formats,
 * so they are combined rather than compared: `a` wins where both have a value.
 */
const absorbService = (a: Service, b: Service): Service => {
  const out: Service = { ...b, ...a, memberships: unionMemberships(a, b) };
  const labels = { ...(b.labels ?? {}) };
  for (const [k, v] of Object.entries(a.labels ?? {})) setOwn(labels, k, v);
  if (a.labels || b.labels) out.labels = labels;
  const portKey = (p: ServicePort) => `${p.port}/${p.protocol ?? 'TCP'}`;
  // The same port from both: `a` wins, `b` fills in what `a` lacks (a K8s port name that policies use).
  const ports = unionBy(a.ports, b.ports, portKey)?.map((p) => {
    const other = b.ports?.find((q) => portKey(q) === portKey(p));
    if (!other || other === p) return p;
    const filled: ServicePort = { ...other, ...p };
    if (other.published || p.published) filled.published = true;
    return filled;
  });
  if (ports) out.ports = ports;
  const addresses = unionBy(a.addresses, b.addresses, (x) => x);
  if (addresses) out.addresses = addresses;
  if (a.exposed || b.exposed) out.exposed = true;
  if (a.critical || b.critical) out.critical = true;
  // A format that knows better than the default guess wins (K8s has no datastore hint, Compose does).
  if (a.kind === 'service' && (b.kind === 'datastore' || b.kind === 'gateway')) out.kind = b.kind;
  if (a.source || b.source) out.source = [...(a.source ?? []), ...(b.source ?? [])];
  const extra: Record<string, unknown> = { ...(a.extra ?? {}) };
  const mergedIds = Array.isArray(extra.mergedIds) ? (extra.mergedIds as string[]) : [];
  extra.mergedIds = [...mergedIds, b.id];
  if (b.extra) {
    const kept = { ...((extra.mergedExtra as Record<string, unknown> | undefined) ?? {}) };
    setOwn(kept, b.id, b.extra);
    extra.mergedExtra = kept;
  }
  out.extra = extra;
  return out;
};

const aliasesOf = (s: Service): string[] =>
  Array.isArray(s.extra?.aliases)
    ? (s.extra.aliases as unknown[]).filter((a): a is string => typeof a === 'string')
    : [];

/**
 * Unify services of the same plain name (or K8s Service alias) that come from different formats.
 * A name with several candidates in one format is ambiguous: reported, nothing merged.
 * Returns absorbed id → kept id.
 */
const mergeIdentities = (
  services: Map<string, Service>,
  origin: Map<string, { file: string; format: string }>,
  diagnostics: Diagnostic[],
): Map<string, string> => {
  const absorbed = new Map<string, string>();
  const byName = new Map<string, string[]>();
  for (const s of services.values()) {
    for (const name of new Set([s.name, ...aliasesOf(s)])) {
      const ids = byName.get(name) ?? [];
      ids.push(s.id);
      byName.set(name, ids);
    }
  }
  const where = (id: string) => {
    const s = services.get(id);
    const file = origin.get(id)?.file ?? '(workspace)';
    return s?.source?.[0] ?? { file, line: 1, column: 1 };
  };
  for (const [name, ids] of byName) {
    const live = [...new Set(ids.filter((id) => !absorbed.has(id)))];
    const byFormat = new Map<string, string[]>();
    for (const id of live) {
      const f = origin.get(id)?.format ?? '';
      byFormat.set(f, [...(byFormat.get(f) ?? []), id]);
    }
    if (byFormat.size < 2) continue;
    const first = live[0] as string;
    if ([...byFormat.values()].some((g) => g.length > 1)) {
      const list = live.map((id) => `${id} (${origin.get(id)?.file ?? '?'})`).join(', ');
      const at = where(first);
      diagnostics.push(
        diagnostic(
          at.file,
          at,
          `service name "${name}" matches several services: ${list}; not merged, because which one is meant is ambiguous`,
          'warn',
        ),
      );
      continue;
    }
    for (const id of live.slice(1)) {
      const at = where(id);
      services.set(first, absorbService(services.get(first) as Service, services.get(id) as Service));
      services.delete(id);
      absorbed.set(id, first);
      diagnostics.push(
        diagnostic(
          at.file,
          at,
          `${id} and ${first} are both named "${name}": merged into one service, ${first}`,
          'info',
        ),
      );
    }
  }
  return absorbed;
};

/** Workspace-level extra keys of several files meet: one level of objects is merged, not replaced. */
const mergeTop = (top: Record<string, unknown>, add: Record<string, unknown>) => {
  for (const [k, v] of Object.entries(add)) {
    const prev = top[k];
    const isRecord = (x: unknown): x is Record<string, unknown> =>
      typeof x === 'object' && x !== null && !Array.isArray(x);
    if (k !== 'extra' || !isRecord(prev) || !isRecord(v) || !Object.hasOwn(top, k)) {
      setOwn(top, k, v);
      continue;
    }
    const out: Record<string, unknown> = { ...prev };
    for (const [kk, vv] of Object.entries(v)) {
      const pv = out[kk];
      setOwn(out, kk, isRecord(pv) && isRecord(vv) && Object.hasOwn(out, kk) ? { ...pv, ...vv } : vv);
    }
    setOwn(top, k, out);
  }
};

const callKey = (c: Workspace['calls'][number]) =>
  `${c.from}\u0000${c.to}\u0000${c.port ?? ''}\u0000${c.protocol ?? ''}`;

/** What merging accumulates across fragments. */
interface Merging {
  ws: Workspace;
  diagnostics: Diagnostic[];
  services: Map<string, Service>;
  segments: Map<string, Workspace['segments'][number]>;
  callKeys: Set<string>;
  rulesById: Map<string, Rule>;
  origin: Map<string, { file: string; format: string }>;
  top: Record<string, unknown>;
  quotas?: Record<string, number>;
}

/** One fragment into the merge: services merged by id, segments by id and level, calls and rules deduplicated. */
const mergeFragment = (m: Merging, { file, format, fragment }: NamedFragment, several: boolean) => {
  const { services, segments, diagnostics, ws } = m;
  mergeTop(m.top, fragment.top ?? {});
  for (const s of fragment.services) {
    const prev = services.get(s.id);
    if (!prev) m.origin.set(s.id, { file, format });
    services.set(s.id, prev ? mergeService(prev, s, file, diagnostics) : s);
  }
  for (const g of fragment.segments) {
    const prev = segments.get(g.id);
    if (!prev) segments.set(g.id, g);
    else if (prev.level === g.level) segments.set(g.id, mergeSegmentFacts(prev, g));
    else {
      const at = g.source?.[0] ?? { file, line: 1, column: 1 };
      diagnostics.push(
        diagnostic(
          at.file,
          at,
          `segment id "${g.id}" is ${prev.level} in one file and ${g.level} in another; the second is skipped`,
        ),
      );
    }
  }
  for (const c of fragment.calls) {
    const key = callKey(c);
    if (several && m.callKeys.has(key)) continue;
    m.callKeys.add(key);
    ws.calls.push(c);
  }
  for (const r of fragment.rules) {
    if (m.rulesById.has(r.id)) {
      // The same rule exported twice (a peering seen from both accounts) is one rule.
      if (sameRule(m.rulesById.get(r.id), r)) continue;
      const at = r.source ?? { file, line: 1, column: 1 };
      diagnostics.push(diagnostic(at.file, at, `duplicate rule id "${r.id}"; the later one is skipped`));
      continue;
    }
    m.rulesById.set(r.id, r);
    ws.rules.push(r);
  }
  if (fragment.quotas) m.quotas = { ...(m.quotas ?? {}), ...fragment.quotas };
};

/** Calls and rules renamed to the services that absorbed others (calls between two descriptions of one dropped). */
const renameAbsorbed = (ws: Workspace, absorbed: ReadonlyMap<string, string>) => {
  const to = (id: string) => absorbed.get(id) ?? id;
  const seen = new Set<string>();
  ws.calls = ws.calls.flatMap((c) => {
    const call = { ...c, from: to(c.from), to: to(c.to) };
    const key = callKey(call);
    // Calls between two descriptions of one service are not calls.
    if (call.from === call.to || seen.has(key)) return [];
    seen.add(key);
    return [call];
  });
  ws.rules = ws.rules.map((r) => {
    const ends = r as unknown as Record<string, unknown>;
    const fields = ['from', 'to', 'target'].filter(
      (f) => typeof ends[f] === 'string' && absorbed.has(ends[f] as string),
    );
    if (fields.length === 0) return r;
    const copy = { ...ends };
    for (const f of fields) copy[f] = to(ends[f] as string);
    return copy as unknown as typeof r;
  });
};

/** The workspace in the native file's key order when there is one (new keys at the end), with its sources. */
const inFileKeyOrder = (ws: Workspace, top: Record<string, unknown>, parts: readonly NamedFragment[]): Workspace => {
  const ordered: Record<string, unknown> = {};
  const own = (o: object, k: string) => Object.hasOwn(o, k);
  if (!parts.some((p) => p.format === 'native')) for (const [k, v] of Object.entries(ws)) ordered[k] = v;
  for (const k of Object.keys(top))
    setOwn(ordered, k, own(ws, k) ? (ws as unknown as Record<string, unknown>)[k] : top[k]);
  for (const [k, v] of Object.entries(ws)) if (!own(ordered, k)) ordered[k] = v;
  ordered.segscope = 1;
  if (!parts.every((p) => p.format === 'native'))
    ordered.sources = parts.map((p) => ({ name: p.file, format: p.format }));
  return ordered as unknown as Workspace;
};

/**
 * Merge fragments in file order. One native file alone keeps its exact key order so that
 * load → save is byte-stable.
 */
export const mergeFragments = (parts: NamedFragment[]): { workspace: Workspace; diagnostics: Diagnostic[] } => {
  const m: Merging = {
    ws: { segscope: 1, services: [], segments: [], calls: [], rules: [] },
    diagnostics: [],
    services: new Map(),
    segments: new Map(),
    callKeys: new Set(),
    rulesById: new Map(),
    origin: new Map(),
    top: {},
  };
  for (const part of parts) mergeFragment(m, part, parts.length > 1);
  const { ws, diagnostics } = m;
  if (new Set(parts.map((p) => p.format)).size > 1) {
    const absorbed = mergeIdentities(m.services, m.origin, diagnostics);
    if (absorbed.size > 0) renameAbsorbed(ws, absorbed);
  }
  ws.services = [...m.services.values()];
  ws.segments = [...m.segments.values()];
  if (m.quotas) ws.quotas = m.quotas;
  return { workspace: inFileKeyOrder(ws, m.top, parts), diagnostics };
};
