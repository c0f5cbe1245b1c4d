// What the one-line strips of the unfocused bands say, which band to focus, and what search + Enter picks.
import type { AnalysisSummary } from '../analysis/types';
import { LEVELS, type Level, type Workspace } from '../model/types';
import { type BandIndex, indexWorkspace, inScope, quotaBySegment, type Scope, worstQuota } from './bandIndex';

export interface SegmentChip {
  segmentId: string;
  name: string;
  /** Services in the segment and its sub-segments. */
  services: number;
  quota: 'warn' | 'error' | null;
  hub: boolean;
  /**
   * Broken calls between two segments of this level with an end among its members (or its
   * sub-segments'): each call once, also when both ends are inside it (an account holding both VPCs).
   */
  broken: number;
}

export interface BandSummary {
  level: Level;
  segments: number;
  services: number;
  /** Calls whose two ends are in different segments of this level. */
  crossing: number;
  /** Broken calls (any level denies) crossing segments of this level. */
  broken: number;
  /** Segments with members, most services first. */
  chips: SegmentChip[];
}

const lastSummaries = new WeakMap<Workspace, { analysis: unknown; scope: unknown; result: BandSummary[] }>();

/** bandSummaries, remembered for the last analysis and scope of each workspace (the strips share it). */
export const cachedBandSummaries = (
  ws: Workspace,
  analysis: AnalysisSummary | null | undefined,
  scope: Scope | null | undefined,
): BandSummary[] => {
  const last = lastSummaries.get(ws);
  if (last && last.analysis === analysis && last.scope === scope) return last.result;
  const result = bandSummaries(ws, analysis, scope);
  lastSummaries.set(ws, { analysis, scope, result });
  return result;
};

/** Each level's summary, for the strips (scope applied like the drawn band). */
export const bandSummaries = (
  ws: Workspace,
  analysis: AnalysisSummary | null | undefined,
  scope: Scope | null | undefined,
  idx: BandIndex = indexWorkspace(ws),
): BandSummary[] => {
  const visible = inScope(idx, scope);
  const hubs = new Set((analysis?.hubs ?? []).map((h) => h.service));
  const quotas = quotaBySegment(analysis);
  const brokenCalls = new Set((analysis?.calls ?? []).filter((c) => c.class === 'broken').map((c) => c.index));
  return LEVELS.map((level) => {
    const chips = new Map<string, SegmentChip>();
    const services = new Set<string>();
    // The chips a segment counts for: its own and every same-level ancestor's (computed once each).
    const chains = new Map<string, SegmentChip[]>();
    const chipsOf = (segId: string): SegmentChip[] => {
      const known = chains.get(segId);
      if (known) return known;
      const out: SegmentChip[] = [];
      for (let s = idx.byId.get(segId); s && s.level === level; s = s.parent ? idx.byId.get(s.parent) : undefined) {
        let chip = chips.get(s.id);
        if (!chip) {
          const q = worstQuota(quotas.get(s.id));
          chip = {
            segmentId: s.id,
            name: s.name,
            services: 0,
            quota: q && q.state !== 'ok' ? q.state : null,
            hub: false,
            broken: 0,
          };
          chips.set(s.id, chip);
        }
        out.push(chip);
      }
      chains.set(segId, out);
      return out;
    };
    for (const seg of idx.levelSegments.get(level) ?? []) {
      const chain = chipsOf(seg.id);
      for (const svc of idx.members.get(seg.id) ?? []) {
        if (!visible(svc)) continue;
        services.add(svc);
        const hub = hubs.has(svc);
        for (const chip of chain) {
          chip.services++;
          if (hub) chip.hub = true;
        }
      }
    }
    let crossing = 0;
    let broken = 0;
    ws.calls.forEach((call, index) => {
      if (!visible(call.from) || !visible(call.to)) return;
      const a = idx.services.get(call.from)?.memberships[level]?.[0];
      const b = idx.services.get(call.to)?.memberships[level]?.[0];
      if (!a || !b || a === b) return;
      crossing++;
      if (!brokenCalls.has(index)) return;
      broken++;
      for (const chip of new Set([...chipsOf(a), ...chipsOf(b)])) chip.broken++;
    });
    return {
      level,
      segments: (idx.levelSegments.get(level) ?? []).length,
      services: services.size,
      crossing,
      broken,
      chips: [...chips.values()].sort((x, y) => y.services - x.services || x.name.localeCompare(y.name)),
    };
  });
};

/**
 * The band to show first: the one with the most populated segments (segments with a member);
 * ties go to the band with the most findings, then to the coarser band.
 */
export const bestFocus = (ws: Workspace, analysis?: AnalysisSummary | null): Level => {
  const populated = new Map<Level, Set<string>>(LEVELS.map((l) => [l, new Set()]));
  for (const svc of ws.services) {
    for (const [level, ids] of Object.entries(svc.memberships) as [Level, string[] | undefined][]) {
      for (const id of ids ?? []) populated.get(level)?.add(id);
    }
  }
  const findings = new Map<Level, number>();
  for (const f of analysis?.findings ?? []) if (f.level) findings.set(f.level, (findings.get(f.level) ?? 0) + 1);
  let best: Level = 'group';
  let bestKey = [-1, -1];
  for (const level of LEVELS) {
    const key = [populated.get(level)?.size ?? 0, findings.get(level) ?? 0];
    if (
      (key[0] as number) > (bestKey[0] as number) ||
      (key[0] === bestKey[0] && (key[1] as number) > (bestKey[1] as number))
    ) {
      best = level;
      bestKey = key;
    }
  }
  return best;
};

export type SearchHit = { kind: 'service'; id: string } | { kind: 'segment'; id: string; level: Level };

/** What search + Enter picks: an exact name, then a name starting with the text, then containing it. */
export const bestMatch = (ws: Workspace, text: string): SearchHit | null => {
  const q = text.trim().toLowerCase();
  if (!q) return null;
  const score = (name: string, id: string): number => {
    const n = name.toLowerCase();
    if (n === q || id.toLowerCase() === q) return 3;
    if (n.startsWith(q)) return 2;
    if (n.includes(q) || id.toLowerCase().includes(q)) return 1;
    return 0;
  };
  let best: { hit: SearchHit; score: number } | null = null;
  for (const s of ws.services) {
    const labels = Object.entries(s.labels ?? {}).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(q));
    const sc = Math.max(score(s.name, s.id), labels ? 1 : 0);
    if (sc > (best?.score ?? 0)) best = { hit: { kind: 'service', id: s.id }, score: sc };
    if (sc === 3) return best?.hit ?? null;
  }
  for (const s of ws.segments) {
    // A segment wins only over a weaker service match.
    const sc = score(s.name, s.id) - 0.5;
    if (sc > (best?.score ?? 0)) best = { hit: { kind: 'segment', id: s.id, level: s.level }, score: sc };
  }
  return best?.hit ?? null;
};
