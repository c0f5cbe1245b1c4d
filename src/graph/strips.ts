// What the one-line strips of the unfocused bands say, which band to focus, and what search + Enter picks.
import type { AnalysisSummary } from '../analysis/types';
import { LEVELS, type Level, type Workspace } from '../model/types';
import {
  type BandIndex,
  indexWorkspace,
  inScope,
  quotaBySegment,
  type Scope,
  unusedBuiltin,
  worstQuota,
} from './bandIndex';
import { chipOrder, deriveBases, derivePopulated, segmentLookup } from './strips-edit';

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

/** What a band's strip says before the analysis: counts that depend on the workspace and scope only. */
export interface BandBase {
  level: Level;
  segments: number;
  services: number;
  crossing: number;
  /** Chips without analysis marks (no quota, hub or broken), most services first. */
  chips: SegmentChip[];
}

const lastBases = new WeakMap<Workspace, { scope: unknown; result: BandBase[] }>();
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

/** Same-level ancestors of a segment, itself first. */
const chainOf = (idx: BandIndex, segId: string, level: Level): string[] => {
  const out: string[] = [];
  for (let s = idx.byId.get(segId); s && s.level === level; s = s.parent ? idx.byId.get(s.parent) : undefined)
    out.push(s.id);
  return out;
};

/**
 * Calls whose two ends are in different segments, per level (the first segment of each end). Each
 * service's first segment per level is numbered once, into one flat array (a row of levels per
 * service), so a call costs two lookups and six integer comparisons (15,000 calls at 5,000 services,
 * counted on the main thread at each load and edit).
 */
const crossingCounts = (
  ws: Workspace,
  rowOf: ReadonlyMap<string, number>,
  visible: (id: string) => boolean,
): Map<Level, number> => {
  const L = LEVELS.length;
  const numbers = new Map<string, number>();
  const first = new Int32Array(ws.services.length * L);
  const shown = new Uint8Array(ws.services.length);
  for (const [i, svc] of ws.services.entries()) {
    if (!visible(svc.id)) continue;
    shown[i] = 1;
    for (let l = 0; l < L; l++) {
      const id = svc.memberships[LEVELS[l] as Level]?.[0];
      if (id === undefined) continue;
      let n = numbers.get(id);
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(id, n);
      }
      first[i * L + l] = n;
    }
  }
  const counts = new Array<number>(L).fill(0);
  for (const call of ws.calls) {
    const a = rowOf.get(call.from);
    const b = rowOf.get(call.to);
    if (a === undefined || b === undefined || !shown[a] || !shown[b]) continue;
    for (let l = 0; l < L; l++) {
      const x = first[a * L + l] as number;
      const y = first[b * L + l] as number;
      if (x !== 0 && y !== 0 && x !== y) counts[l] = (counts[l] as number) + 1;
    }
  }
  return new Map(LEVELS.map((l, i) => [l, counts[i] as number]));
};

/** The workspace whose counts without a scope were asked for last: the next edit is counted from it. */
let latest: { ws: Workspace; bases: BandBase[] } | null = null;

/**
 * Segments, services, chips and crossing calls per band: one pass over services and one over calls.
 * Services are counted per level in a typed array of marks (a service in several segments of a level
 * counts once), not a set of ids. Kept per workspace; without a scope, a workspace edited from the
 * last one counted (a drop) is counted from that one's counts (strips-edit.ts).
 */
const bandBases = (ws: Workspace, scope: Scope | null | undefined, index: () => BandIndex): BandBase[] => {
  const last = lastBases.get(ws);
  let result = last && last.scope === scope ? last.result : undefined;
  if (!result) {
    result = (!scope && latest && deriveBases(latest.ws, latest.bases, ws)) || countBases(ws, scope, index());
    lastBases.set(ws, { scope, result });
  }
  if (!scope) latest = { ws, bases: result };
  return result;
};

/** bandBases counted from scratch. */
export const countBases = (ws: Workspace, scope: Scope | null | undefined, idx: BandIndex): BandBase[] => {
  const visible = inScope(idx, scope);
  const rowOf = new Map(ws.services.map((svc, i) => [svc.id, i]));
  const crossing = crossingCounts(ws, rowOf, visible);
  const seen = new Int32Array(ws.services.length);
  const compare = chipOrder(segmentLookup(ws.segments).order);
  return LEVELS.map((level, l) => {
    const chips = new Map<string, SegmentChip>();
    let services = 0;
    for (const seg of idx.levelSegments.get(level) ?? []) {
      const members = idx.members.get(seg.id) ?? [];
      const shown = scope ? members.filter(visible) : members;
      if (shown.length === 0) continue;
      for (const svc of shown) {
        const row = rowOf.get(svc);
        if (row === undefined || seen[row] === l + 1) continue;
        seen[row] = l + 1;
        services++;
      }
      // A member counts for its segment and every same-level ancestor.
      for (const id of chainOf(idx, seg.id, level)) {
        let chip = chips.get(id);
        if (!chip) {
          chip = { segmentId: id, name: idx.byId.get(id)?.name ?? id, services: 0, quota: null, hub: false, broken: 0 };
          chips.set(id, chip);
        }
        chip.services += shown.length;
      }
    }
    return {
      level,
      // Docker's empty host/none networks take no room in the band, so the strip does not count them either.
      segments: (idx.levelSegments.get(level) ?? []).filter((s) => !unusedBuiltin(s, idx.members.get(s.id))).length,
      services,
      crossing: crossing.get(level) ?? 0,
      chips: [...chips.values()].sort(compare),
    };
  });
};

/** What the strips and the pick of a band count per workspace, before any analysis or scope. */
export interface StripCounts {
  bases: BandBase[];
  /** Per level (LEVELS order), segments with a member (bestFocus). */
  populated: number[];
}

/**
 * The strips' counts of a workspace without a scope, computed where the workspace is read (the
 * engine worker, src/worker/core.ts) so the page's render of a new workspace does not count them.
 */
export const stripCounts = (ws: Workspace): StripCounts => ({
  bases: bandBases(ws, null, () => indexWorkspace(ws)),
  populated: populatedCounts(ws),
});

/** Counts stripCounts made for (a copy of) `ws` on another thread: the strips and bestFocus take them as their own. */
export const rememberStripCounts = (ws: Workspace, counts: StripCounts): void => {
  if (counts.bases.length === LEVELS.length) lastBases.set(ws, { scope: null, result: counts.bases });
  if (counts.populated.length === LEVELS.length) lastPopulated.set(ws, counts.populated);
};

/**
 * Each level's summary, for the strips (scope applied like the drawn band). The counts are kept per
 * workspace and scope; the analysis adds its marks from its hubs, quotas and broken calls only, so
 * its arrival costs little at thousands of services.
 */
export const bandSummaries = (
  ws: Workspace,
  analysis: AnalysisSummary | null | undefined,
  scope: Scope | null | undefined,
  given?: BandIndex,
): BandSummary[] => {
  let idx = given;
  const index = () => {
    idx ??= indexWorkspace(ws);
    return idx;
  };
  const bases = bandBases(ws, scope, index);
  // Before the analysis, the counts are the strip (its chips have no marks yet): no index of a new workspace.
  if (!analysis && !scope) return bases.map((base) => ({ ...base, broken: 0 }));
  const ix = index();
  const visible = inScope(ix, scope);
  const quotas = quotaBySegment(analysis);
  const hubs = (analysis?.hubs ?? []).map((h) => h.service).filter(visible);
  const broken = (analysis?.calls ?? [])
    .filter((c) => c.class === 'broken')
    .map((c) => ws.calls[c.index])
    .filter((c): c is Workspace['calls'][number] => !!c && visible(c.from) && visible(c.to));
  return bases.map((base) => {
    const { level } = base;
    const chips = new Map(
      base.chips.map((c) => {
        const q = worstQuota(quotas.get(c.segmentId));
        return [c.segmentId, { ...c, quota: q && q.state !== 'ok' ? q.state : null }];
      }),
    );
    const mark = (segId: string, f: (chip: SegmentChip) => void) => {
      for (const id of chainOf(ix, segId, level)) {
        const chip = chips.get(id);
        if (chip) f(chip);
      }
    };
    for (const svc of hubs) {
      for (const seg of ix.services.get(svc)?.memberships[level] ?? []) mark(seg, (chip) => (chip.hub = true));
    }
    let brokenCount = 0;
    for (const call of broken) {
      const a = ix.services.get(call.from)?.memberships[level]?.[0];
      const b = ix.services.get(call.to)?.memberships[level]?.[0];
      if (!a || !b || a === b) continue;
      brokenCount++;
      // A chip both ends count for (a common VPC of two subnets) counts the call once.
      const ids = new Set([...chainOf(ix, a, level), ...chainOf(ix, b, level)]);
      for (const id of ids) {
        const chip = chips.get(id);
        if (chip) chip.broken++;
      }
    }
    return { ...base, broken: brokenCount, chips: [...chips.values()] };
  });
};

/**
 * The band to show first: the one with the most populated segments (segments with a member);
 * ties go to the band with the most findings, then to the coarser band.
 */
const lastPopulated = new WeakMap<Workspace, number[]>();

/** The workspace whose populated segments were counted last: the next edit is counted from it. */
let latestPopulated: { ws: Workspace; counts: number[] } | null = null;

/** Per level (LEVELS order), the segments some service is a member of; kept per workspace, an edit's derived. */
const populatedCounts = (ws: Workspace): number[] => {
  let counts = lastPopulated.get(ws);
  if (!counts) {
    counts = (latestPopulated && derivePopulated(latestPopulated.ws, latestPopulated.counts, ws)) || countPopulated(ws);
    lastPopulated.set(ws, counts);
  }
  latestPopulated = { ws, counts };
  return counts;
};

/** populatedCounts counted from scratch. */
export const countPopulated = (ws: Workspace): number[] => {
  const populated = new Map<Level, Set<string>>(LEVELS.map((l) => [l, new Set()]));
  for (const svc of ws.services) {
    for (const [level, ids] of Object.entries(svc.memberships) as [Level, string[] | undefined][]) {
      for (const id of ids ?? []) populated.get(level)?.add(id);
    }
  }
  return LEVELS.map((l) => populated.get(l)?.size ?? 0);
};

export const bestFocus = (ws: Workspace, analysis?: AnalysisSummary | null): Level => {
  const populated = populatedCounts(ws);
  const findings = new Map<Level, number>();
  for (const f of analysis?.findings ?? []) if (f.level) findings.set(f.level, (findings.get(f.level) ?? 0) + 1);
  let best: Level = 'group';
  let bestKey = [-1, -1];
  for (const [i, level] of LEVELS.entries()) {
    const key = [populated[i] ?? 0, findings.get(level) ?? 0];
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
