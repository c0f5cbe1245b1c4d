// Finding inconsistent-levels: one level explicitly allows a call another denies; a segment's members span parents.
import { LEVELS, type Level, type Segment } from '../../model/types';
import { kindOf, membershipOf } from '../core';
import type { CallVerdict, Finding } from '../types';
import { type FindingContext, type FindingRule, namedLevel, segmentName, serviceName } from './context';

/** The segment a segment is supposed to sit in at a coarser level: its parent, or a group's VPC. */
export const expectedParent = (seg: Segment, segments: ReadonlyMap<string, Segment>): Segment | undefined => {
  const p = seg.parent !== undefined ? segments.get(seg.parent) : undefined;
  if (p && p.level !== seg.level) return p;
  const vpc = seg.attributes?.vpc;
  if (seg.level === 'group' && typeof vpc === 'string') return segments.get(vpc);
  return undefined;
};

const PAIR_RULES = new Set<string>([
  'sg-permission',
  'k8s-network-policy',
  'admin-network-policy',
  'calico-policy',
  'role-grant',
  'role-trust',
  'istio-authorization',
  'overlay-link',
]);

/**
 * The mismatch a broken call shows, if any: the finest level whose rule written for the pair allows it,
 * the first level that denies it, and the finding key grouping calls by those and the denying rule.
 * Peerings, transit gateways and account paths join whole networks, so they do not count here.
 */
export const callMismatch = (c: CallVerdict): { by: Level; denied: Level; key: string } | undefined => {
  if (c.class !== 'broken') return undefined;
  const by = [...LEVELS].reverse().find((l) => {
    const v = c.verdict.levels[l];
    return v.verdict === 'allow' && v.rule !== undefined && PAIR_RULES.has(v.rule.type);
  });
  const denied = c.deniedBy[0];
  if (!by || !denied) return undefined;
  return { by, denied, key: `inconsistent-levels:calls:${by}>${denied}:${c.verdict.levels[denied].rule?.id ?? '?'}` };
};

/**
 * Calls: a rule written for the pair allows at one level what another level denies. Grouped by the
 * two levels and the denying rule, so one mismatch shows once however many calls it breaks.
 */
export const mismatchFindings = (ctx: FindingContext): Finding[] => {
  const out: Finding[] = [];
  const groups = new Map<string, { by: Level; denied: Level; calls: CallVerdict[] }>();
  for (const c of ctx.calls) {
    const m = callMismatch(c);
    if (!m) continue;
    const { by, denied, key } = m;
    const g = groups.get(key) ?? { by, denied, calls: [] };
    g.calls.push(c);
    groups.set(key, g);
  }
  for (const [key, g] of groups) {
    const first = g.calls[0] as CallVerdict;
    const deny = namedLevel(ctx, first, g.denied);
    const allow = namedLevel(ctx, first, g.by);
    const examples = g.calls
      .slice(0, 3)
      .map((c) => `${serviceName(ctx, c.from)} → ${serviceName(ctx, c.to)}`)
      .join(', ');
    const f: Finding = {
      id: 'inconsistent-levels',
      key,
      severity: 'warn',
      level: g.denied,
      services: [...new Set(g.calls.flatMap((c) => [c.from, c.to]))],
      segments: [],
      message: `${g.calls.length} required call${g.calls.length === 1 ? ' is' : 's are'} allowed by explicit ${g.by} rules (e.g. ${allow.rule?.summary}) but denied at the ${g.denied} level${deny.rule ? ` by ${deny.rule.summary}` : ''}: ${examples}${g.calls.length > 3 ? ', …' : ''}.`,
      fix: `make the levels agree: ${deny.fix ?? `change the ${g.denied} rule`}, or drop the ${g.by} rules if the calls should not happen`,
      count: g.calls.length,
    };
    if (deny.rule) f.rule = deny.rule;
    out.push(f);
  }
  return out;
};

/**
 * Segments: members that sit outside the segment's parent at the parent's level, or a security group
 * spanning VPCs. Each finding reads one segment's members only, so a what-if re-runs the segments a
 * move touches (`segments`), and keeps the others' findings.
 */
export const parentFindings = (ctx: FindingContext, segments: Iterable<Segment>): Finding[] => {
  const { ix } = ctx;
  const out: Finding[] = [];
  // A member's segments at a level with their parents; memoised per service (what-if copies reuse it).
  const resolvedAt = Object.fromEntries(
    LEVELS.map((level) => [
      level,
      ix.memoFn(`inconsistent.resolved.${level}`, (i): Set<string> => {
        const set = new Set<string>();
        for (const id of membershipOf(ix.services[i] as never, level)) for (const a of ix.ancestors(id)) set.add(a.id);
        return set;
      }),
    ]),
  ) as Record<Level, (i: number) => Set<string>>;
  const resolved = (i: number, level: Level): Set<string> => resolvedAt[level](i);
  for (const seg of segments) {
    const members = ix.members.get(seg.id) ?? [];
    if (members.length === 0) continue;
    const parent = expectedParent(seg, ix.segments);
    if (parent) {
      const outside = members.filter((i) => {
        const set = resolved(i, parent.level);
        return set.size > 0 && !set.has(parent.id);
      });
      if (outside.length === 0) continue;
      const ids = outside.map((i) => (ix.services[i] as { id: string }).id);
      out.push({
        id: 'inconsistent-levels',
        key: `inconsistent-levels:parent:${seg.id}`,
        severity: 'warn',
        level: seg.level,
        services: ids,
        segments: [seg.id, parent.id],
        message: `${segmentName(ctx, seg.id)} belongs to ${segmentName(ctx, parent.id)}, but ${ids.length} of its members (${ids
          .slice(0, 3)
          .map((id) => serviceName(ctx, id))
          .join(', ')}${ids.length > 3 ? ', …' : ''}) sit elsewhere at the ${parent.level} level.`,
        fix: `move those members into ${segmentName(ctx, parent.id)} or out of ${segmentName(ctx, seg.id)}`,
      });
    } else if (seg.level === 'group' && kindOf(seg) !== undefined) {
      // A security group without a known VPC whose members sit in several VPCs cannot be one group.
      const vpcs = new Set<string>();
      for (const i of members) for (const u of ix.levels.network.units(i)) if (u.kind === 'vpc') vpcs.add(u.id);
      if (vpcs.size < 2) continue;
      const list = [...vpcs].sort();
      out.push({
        id: 'inconsistent-levels',
        key: `inconsistent-levels:span:${seg.id}`,
        severity: 'warn',
        level: 'group',
        services: members.map((i) => (ix.services[i] as { id: string }).id),
        segments: [seg.id, ...list],
        message: `Security group ${seg.name} has members in ${list.length} VPCs (${list.map((v) => segmentName(ctx, v)).join(', ')}); a group belongs to one VPC.`,
        fix: `use one group per VPC`,
      });
    }
  }
  return out;
};

export const inconsistentLevels: FindingRule = (ctx) => [
  ...mismatchFindings(ctx),
  ...parentFindings(ctx, ctx.ix.segments.values()),
];
