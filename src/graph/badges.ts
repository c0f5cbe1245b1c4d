// What a unit of the focused band carries, rolled up from its segments: hubs, quotas, broken calls, worst finding.
import type { AnalysisSummary, QuotaUse } from '../analysis/types';
import type { Severity, Workspace } from '../model/types';
import { quotaBadge, quotaBySegment, worstFindingBySegment, worstQuota } from './bandIndex';
import { countText, textWidth } from './text';
import { allUnits, type BandData, type Unit } from './units';

export interface UnitStats {
  /** Hub services among its members. */
  hubs: number;
  /** Internet-exposed services among its members. */
  exposed?: number;
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
    for (const m of d.members.get(u.segment.id) ?? []) {
      if (hubs.has(m)) s.hubs++;
      if (d.idx.services.get(m)?.exposed) s.exposed = (s.exposed ?? 0) + 1;
    }
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
    if (s.exposed) ps.exposed = (ps.exposed ?? 0) + s.exposed;
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

const n = countText;

/**
 * The marks of a unit, longest form first, the same on every kind of unit (a segment's title, a
 * summary cell, a VPC or account container): ★ hubs, ▲ over / △ near a quota (a segment's own use
 * as figures, a container's as how many segments), ⚑ exposed services, then broken calls. Forms:
 * "★ 3 hubs · ▲ 2 over quota · ⚑ 1 exposed · 52 broken", "★ 3 · ▲ 2 · ⚑ 1 · 52 broken",
 * "★ 3 · ▲ 2 · ⚑ · 52 broken", "★ · ▲ 2 · ⚑ · 52 broken", "★ · ▲ · ⚑ · 52 broken", "★ 3 · ▲ 2 · ⚑ 1",
 * "★ ▲ 2 ⚑", "★ ▲ ⚑", "" (a segment's own figures before the glyphs with broken calls).
 */
export const badgeForms = (s: UnitStats | undefined, own: boolean): string[] => {
  if (!s) return [''];
  const join = (parts: string[]) => parts.filter(Boolean).join(' · ');
  const broken = s.broken ? `${n(s.broken)} broken` : '';
  const exposed = s.exposed ?? 0;
  const quota = quotaBadge(s.quota);
  const glyph = s.over || s.quota?.state === 'error' ? '▲' : s.near || s.quota?.state === 'warn' ? '△' : '';
  const counted = (word: string) =>
    s.over ? `▲ ${n(s.over)}${word && ` over ${word}`}` : s.near ? `△ ${n(s.near)}${word && ` near ${word}`}` : '';
  const quotaWords = own ? quota : counted('quota');
  const quotaShort = own ? quota.replace(' rules', '') : counted('');
  const glyphs = [s.hubs ? '★' : '', glyph, exposed ? '⚑' : ''];
  const short = [s.hubs ? `★ ${n(s.hubs)}` : '', quotaShort, exposed ? `⚑ ${n(exposed)}` : ''];
  const words = [
    s.hubs ? `★ ${n(s.hubs)} hub${s.hubs === 1 ? '' : 's'}` : '',
    quotaWords,
    exposed ? `⚑ ${n(exposed)} exposed` : '',
  ];
  // Broken calls outlast the counts of hubs and exposed services (they are what is wrong now); a
  // segment's own quota figures outlast broken calls ("58/60" is what a reviewer acts on).
  const withFigures = [
    join([short[0] as string, short[1] as string, glyphs[2] as string, broken]),
    join([glyphs[0] as string, quotaShort, glyphs[2] as string, broken]),
    // Exposed services are the first to go where room is short.
    join([short[0] as string, short[1] as string, broken]),
  ];
  const lean = [join(short), [glyphs[0], quotaShort, glyphs[2]].filter(Boolean).join(' ')];
  const glyphsBroken = join([...glyphs, broken]);
  const forms = [
    join([...words, broken]),
    join([...short, broken]),
    ...withFigures,
    ...(own ? [...lean, glyphsBroken] : [glyphsBroken, ...lean]),
    glyphs.filter(Boolean).join(' '),
    '',
  ];
  return forms.filter((f, i) => f === '' || forms.indexOf(f) === i);
};

/** A unit's badge line: the longest of its forms no wider than `width` at `font` (bold). */
export const badgeLine = (u: Unit, s: UnitStats | undefined, width = Number.POSITIVE_INFINITY, font = 1): string =>
  badgeForms(s, u.kind === 'segment' && u.children.length === 0).find((f) => textWidth(f, font, true) <= width) ?? '';
