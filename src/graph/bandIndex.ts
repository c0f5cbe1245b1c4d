// Lookups over a workspace that every band view needs: segments by level, members, children, scope.
import type { AnalysisSummary, QuotaUse } from '../analysis/types';
import { LEVELS, type Level, type Segment, type Service, type Severity, type Workspace } from '../model/types';

export type Scope = { kind: 'account'; segment: string } | { kind: 'namespace'; namespace: string };

export interface BandIndex {
  byId: Map<string, Segment>;
  services: Map<string, Service>;
  /** segment id → member service ids, in workspace order. */
  members: Map<string, string[]>;
  levelSegments: Map<Level, Segment[]>;
  /** segment id → child segments of the same level. */
  children: Map<string, Segment[]>;
}

/**
 * Docker's own `host` and `none` networks, which every `docker network inspect` lists: with no
 * container on them they hold nothing to see or to move to (a container joins them by its network
 * mode, not by a drag), so they take no room in the band.
 */
export const unusedBuiltin = (s: Segment, members: readonly string[] | undefined): boolean => {
  const kind = s.attributes?.kind;
  return s.level === 'overlay' && (kind === 'host' || kind === 'none') && (members?.length ?? 0) === 0;
};

const indexes = new WeakMap<Workspace, BandIndex>();

/** The index of a workspace, built once per workspace (workspaces are immutable: an edit makes a new one). */
export const indexWorkspace = (ws: Workspace): BandIndex => {
  let idx = indexes.get(ws);
  if (!idx) {
    idx = buildIndex(ws);
    indexes.set(ws, idx);
  }
  return idx;
};

const buildIndex = (ws: Workspace): BandIndex => {
  const byId = new Map(ws.segments.map((s) => [s.id, s]));
  const members = new Map<string, string[]>();
  for (const svc of ws.services) {
    for (const ids of Object.values(svc.memberships)) {
      for (const id of ids ?? []) {
        const list = members.get(id);
        if (list) list.push(svc.id);
        else members.set(id, [svc.id]);
      }
    }
  }
  const levelSegments = new Map<Level, Segment[]>(LEVELS.map((l) => [l, []]));
  const children = new Map<string, Segment[]>();
  for (const s of ws.segments) {
    levelSegments.get(s.level)?.push(s);
    const p = s.parent === undefined ? undefined : byId.get(s.parent);
    if (p && p.level === s.level) {
      const list = children.get(p.id);
      if (list) list.push(s);
      else children.set(p.id, [s]);
    }
  }
  return { byId, services: new Map(ws.services.map((s) => [s.id, s])), members, levelSegments, children };
};

/** Whether a service is shown under a scope (one account or one namespace). */
export const inScope =
  (idx: BandIndex, scope: Scope | null | undefined) =>
  (serviceId: string): boolean => {
    if (!scope) return true;
    const svc = idx.services.get(serviceId);
    return scope.kind === 'namespace'
      ? svc?.namespace === scope.namespace
      : (svc?.memberships.account?.includes(scope.segment) ?? false);
  };

/** Segments holding a visible service, and their ancestors: the rest is hidden while a scope is set. */
export const scopedSegments = (idx: BandIndex, visible: (id: string) => boolean): Set<string> => {
  const keep = new Set<string>();
  for (const [segId, members] of idx.members) {
    if (!members.some(visible)) continue;
    for (
      let s = idx.byId.get(segId);
      s && !keep.has(s.id);
      s = s.parent === undefined ? undefined : idx.byId.get(s.parent)
    )
      keep.add(s.id);
  }
  return keep;
};

/** The worst quota use per segment, for classes and the badge; all uses per segment for the tooltip. */
export const quotaBySegment = (analysis: AnalysisSummary | null | undefined): Map<string, QuotaUse[]> => {
  const out = new Map<string, QuotaUse[]>();
  for (const q of analysis?.quotas ?? []) {
    if (q.subject.kind !== 'segment') continue;
    const list = out.get(q.subject.id);
    if (list) list.push(q);
    else out.set(q.subject.id, [q]);
  }
  return out;
};

export const worstQuota = (uses: QuotaUse[] | undefined): QuotaUse | undefined =>
  uses?.reduce<QuotaUse | undefined>((w, q) => (!w || q.used / q.limit > w.used / w.limit ? q : w), undefined);

/** "▲ 4/3 rules" (over) or "△ 58/60 rules" (≥ 80 %); empty when within quota. */
export const quotaBadge = (q: QuotaUse | undefined): string => {
  if (!q || q.state === 'ok') return '';
  const unit = q.label.toLowerCase().includes('rule') ? ' rules' : '';
  return `${q.state === 'error' ? '▲' : '△'} ${q.used}/${q.limit}${unit}`;
};

const RANK: Record<Severity, number> = { info: 1, warn: 2, error: 3 };

/** The most severe finding per segment: its own findings and those of the services it holds. */
export const worstFindingBySegment = (
  analysis: AnalysisSummary | null | undefined,
  idx: BandIndex,
  level: Level,
): Map<string, Severity> => {
  const out = new Map<string, Severity>();
  const raise = (seg: string, sev: Severity) => {
    const was = out.get(seg);
    if (!was || (RANK[sev] ?? 0) > (RANK[was] ?? 0)) out.set(seg, sev);
  };
  for (const f of analysis?.findings ?? []) {
    if (f.severity === 'info') continue;
    for (const seg of f.segments) if (idx.byId.get(seg)?.level === level) raise(seg, f.severity);
    if (f.level !== undefined && f.level !== level) continue;
    for (const svc of f.services) {
      for (const seg of idx.services.get(svc)?.memberships[level] ?? []) raise(seg, f.severity);
    }
  }
  return out;
};
