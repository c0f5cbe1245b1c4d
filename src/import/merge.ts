// Merging the fragments of several files into one workspace; conflicts are reported, not guessed.

import { setOwn } from '../model/own';
import type { Diagnostic, Service, Workspace } from '../model/types';
import { diagnostic } from './text';
import type { Fragment } from './types';

export interface NamedFragment {
  file: string;
  format: string;
  fragment: Fragment;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const unionMemberships = (a: Service, b: Service): Service['memberships'] => {
  const out: Service['memberships'] = { ...a.memberships };
  for (const [level, ids] of Object.entries(b.memberships) as [keyof Service['memberships'], string[]][]) {
    const have = out[level] ?? [];
    out[level] = [...have, ...ids.filter((id) => !have.includes(id))];
  }
  return out;
};

/** Fold `b` into `a` (same id from two files): memberships union, other fields must agree. */
const mergeService = (a: Service, b: Service, file: string, diagnostics: Diagnostic[]): Service => {
  const out: Service = { ...a, memberships: unionMemberships(a, b) };
  for (const key of Object.keys(b) as (keyof Service)[]) {
    if (key === 'memberships' || key === 'source' || key === 'id') continue;
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
 * Merge fragments in file order. One native file alone keeps its exact key order so that
 * load → save is byte-stable.
 */
export const mergeFragments = (parts: NamedFragment[]): { workspace: Workspace; diagnostics: Diagnostic[] } => {
  const diagnostics: Diagnostic[] = [];
  const services = new Map<string, Service>();
  const segments = new Map<string, Workspace['segments'][number]>();
  const ws: Workspace = { segscope: 1, services: [], segments: [], calls: [], rules: [] };
  const callKeys = new Set<string>();
  const ruleIds = new Set<string>();
  let quotas: Record<string, number> | undefined;
  const top: Record<string, unknown> = {};
  for (const { file, fragment } of parts) {
    for (const [k, v] of Object.entries(fragment.top ?? {})) setOwn(top, k, v);
    for (const s of fragment.services) {
      const prev = services.get(s.id);
      services.set(s.id, prev ? mergeService(prev, s, file, diagnostics) : s);
    }
    for (const g of fragment.segments) {
      const prev = segments.get(g.id);
      if (!prev) segments.set(g.id, g);
      else if (prev.level !== g.level) {
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
      const key = `${c.from}\u0000${c.to}\u0000${c.port ?? ''}\u0000${c.protocol ?? ''}`;
      if (parts.length > 1 && callKeys.has(key)) continue;
      callKeys.add(key);
      ws.calls.push(c);
    }
    for (const r of fragment.rules) {
      if (ruleIds.has(r.id)) {
        const at = r.source ?? { file, line: 1, column: 1 };
        diagnostics.push(diagnostic(at.file, at, `duplicate rule id "${r.id}"; the later one is skipped`));
        continue;
      }
      ruleIds.add(r.id);
      ws.rules.push(r);
    }
    if (fragment.quotas) quotas = { ...(quotas ?? {}), ...fragment.quotas };
  }
  ws.services = [...services.values()];
  ws.segments = [...segments.values()];
  if (quotas) ws.quotas = quotas;
  // Rebuild in the native file's key order when there is one; new keys go at the end.
  const ordered: Record<string, unknown> = {};
  const own = (o: object, k: string) => Object.hasOwn(o, k);
  for (const k of Object.keys(top))
    setOwn(ordered, k, own(ws, k) ? (ws as unknown as Record<string, unknown>)[k] : top[k]);
  for (const [k, v] of Object.entries(ws)) if (!own(ordered, k)) ordered[k] = v;
  ordered.segscope = 1;
  if (!parts.every((p) => p.format === 'native'))
    ordered.sources = parts.map((p) => ({ name: p.file, format: p.format }));
  return { workspace: ordered as unknown as Workspace, diagnostics };
};
