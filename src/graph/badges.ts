// What a unit of the focused band carries, rolled up from its segments: hubs, quotas, broken calls, worst finding.
import type { AnalysisSummary, QuotaUse } from '../analysis/types';
import type { Severity, Workspace } from '../model/types';
import { quotaBadge, quotaBySegment, worstFindingBySegment, worstQuota } from './bandIndex';
import { textWidth } from './text';
import { allUnits, type BandData, type Unit } from './units';

export interface UnitStats {
  /** Hub services among its members. */
  hubs: number;
  /** Segments in it over a quota, and at ≥ 80 % of one. */
  over: number;
  near: number;
  /** Calls with an end among its members that some level denies (each call once). */
  broken: number;
  worst?: Severity;
  /** A segment's own worst quota use. */
  quota?: QuotaUse;
}

const RANK: Record<Severity, number> = { info: 1, warn: 2, error: 3 };

/** Stats of every unit of a band tree, keyed by unit id. */
export const unitStats = (
  ws: Workspace,
  d: BandData,
  tree: Unit,
  analysis: AnalysisSummary | null | undefined,
): Map<string, UnitStats> => {
  const units = allUnits(tree);
  const out = new Map<string, UnitStats>(units.map((u) => [u.id, { hubs: 0, over: 0, near: 0, broken: 0 }]));
  const hubs = new Set((analysis?.hubs ?? []).map((h) => h.service));
  const quotas = quotaBySegment(analysis);
  const worst = worstFindingBySegment(analysis, d.idx, d.level);
  // Own stats first, then each unit adds its children's (children come after parents in `units`).
  for (const u of units) {
    if (u.kind !== 'segment' || !u.segment) continue;
    const s = out.get(u.id) as UnitStats;
    for (const m of d.members.get(u.segment.id) ?? []) if (hubs.has(m)) s.hubs++;
    const q = worstQuota(quotas.get(u.segment.id));
    if (q) s.quota = q;
    if (q?.state === 'error') s.over++;
    if (q?.state === 'warn') s.near++;
    const w = worst.get(u.segment.id);
    if (w) s.worst = w;
  }
  for (let i = units.length - 1; i >= 0; i--) {
    const u = units[i] as Unit;
    const p = u.parent;
    if (!p) continue;
    const s = out.get(u.id) as UnitStats;
    const ps = out.get(p.id) as UnitStats;
    ps.hubs += s.hubs;
    ps.over += s.over;
    ps.near += s.near;
    if (s.worst && (!ps.worst || RANK[s.worst] > RANK[ps.worst])) ps.worst = s.worst;
  }
  countBroken(ws, d, units, out, analysis);
  return out;
};

/** Each broken call counts once for every unit holding one of its ends. */
const countBroken = (
  ws: Workspace,
  d: BandData,
  units: Unit[],
  out: Map<string, UnitStats>,
  analysis: AnalysisSummary | null | undefined,
) => {
  const bySegment = new Map(units.filter((u) => u.kind === 'segment').map((u) => [u.segment?.id, u]));
  const holders = (svc: string, into: Set<Unit>) => {
    for (const id of d.idx.services.get(svc)?.memberships[d.level] ?? []) {
      if (!d.members.get(id)?.includes(svc)) continue;
      for (let u = bySegment.get(id); u && u.kind !== 'band'; u = u.parent ?? undefined) into.add(u);
    }
  };
  for (const c of analysis?.calls ?? []) {
    if (c.class !== 'broken') continue;
    const call = ws.calls[c.index];
    if (!call) continue;
    const hit = new Set<Unit>();
    holders(call.from, hit);
    holders(call.to, hit);
    for (const u of hit) (out.get(u.id) as UnitStats).broken++;
  }
};

const n = (x: number) => x.toLocaleString('en-US');

/**
 * A unit's badge line, the longest form no wider than `width` at `font` (bold): "★ 3 hubs · ▲ 2
 * over quota · 52 broken", "★ 3 · ▲ 2 · 52 broken", "★ · ▲ · 52 broken", "★ ▲", nothing; for a
 * segment "★ · ▲ 4/3 rules · 2 broken" and shorter.
 */
export const badgeLine = (u: Unit, s: UnitStats | undefined, width = Number.POSITIVE_INFINITY, font = 1): string => {
  if (!s) return '';
  const leaf = u.kind === 'segment' && u.children.length === 0;
  const broken = s.broken ? `${n(s.broken)} broken` : '';
  const join = (parts: string[]) => parts.filter(Boolean).join(' · ');
  const quota = quotaBadge(s.quota);
  const forms = leaf
    ? [join([s.hubs ? '★' : '', quota, broken]), join([s.hubs ? '★' : '', quota.replace(' rules', ''), broken])]
    : [
        join([
          s.hubs ? `★ ${n(s.hubs)} hub${s.hubs === 1 ? '' : 's'}` : '',
          s.over ? `▲ ${n(s.over)} over quota` : s.near ? `△ ${n(s.near)} near quota` : '',
          broken,
        ]),
        join([s.hubs ? `★ ${n(s.hubs)}` : '', s.over ? `▲ ${n(s.over)}` : s.near ? `△ ${n(s.near)}` : '', broken]),
      ];
  const glyphs = [
    s.hubs ? '★' : '',
    s.over || s.quota?.state === 'error' ? '▲' : s.near || s.quota?.state === 'warn' ? '△' : '',
  ];
  forms.push(join([...glyphs, broken]), glyphs.filter(Boolean).join(' '), '');
  return forms.find((f) => textWidth(f, font, true) <= width) ?? '';
};
