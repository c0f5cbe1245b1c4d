// Finding sg-abuse: one security group holding most services (over-broad), or a hub's group near its rules limit.
import type { AnalysisIndex } from '../context';
import { kindOf } from '../core';
import { tallyOf } from '../tally';
import type { Finding, QuotaUse } from '../types';
import { type FindingRule, segmentName, serviceName } from './context';

/** A group is over-broad when it holds more than this share of the grouped services in its VPC… */
export const SG_BROAD_SHARE = 0.5;
/** …and there are at least this many such services (a 3-service system in one group is fine). */
export const SG_BROAD_MIN_SERVICES = 10;

/** A group's VPC: its own attribute, else the nearest VPC above it (segments alone decide it). */
const vpcOfGroup = (ix: AnalysisIndex, id: string): string | undefined => {
  const memo = ix.shared('sg-abuse.vpc-of-group', () => new Map<string, string | undefined>());
  if (memo.has(id)) return memo.get(id);
  const s = ix.segments.get(id);
  const v = s?.attributes?.vpc ?? (s?.parent !== undefined ? ix.nearest(s.parent, ['vpc'])?.id : undefined);
  const out = typeof v === 'string' ? v : undefined;
  memo.set(id, out);
  return out;
};

/**
 * Per grouped service (one with group data): `grouped`, one per VPC of its groups (`scope`, '' when
 * unknown) and one per group segment it is a member of (`member`). A what-if patches the moved one's.
 */
export const groupedServices = tallyOf('services', (ix, i) => {
  const gs = ix.levels.group.groups(i);
  if (gs.length === 0) return [];
  const out: [string, number][] = [['grouped', 1]];
  for (const v of new Set(gs.map((g) => vpcOfGroup(ix, g)))) out.push([`scope\u0000${v ?? ''}`, 1]);
  const s = ix.services[i];
  for (const id of new Set(Object.values(s?.memberships ?? {}).flat()))
    if (ix.segments.get(id as string)?.level === 'group') out.push([`member\u0000${id}`, 1]);
  return out;
});

export const sgAbuse: FindingRule = (ctx) => {
  const { ix } = ctx;
  const out: Finding[] = [];
  const group = ix.levels.group;
  // Scope: services with group data in the group's VPC (or all grouped services when the VPC is unknown).
  const { sum } = groupedServices.of(ix);
  const grouped = sum.get('grouped') ?? 0;
  for (const s of ix.segments.values()) {
    if (s.level !== 'group' || (kindOf(s) !== undefined && kindOf(s) !== 'security-group')) continue;
    const members = sum.get(`member\u0000${s.id}`) ?? 0;
    const vpc = vpcOfGroup(ix, s.id);
    const scope = vpc === undefined ? grouped : (sum.get(`scope\u0000${vpc}`) ?? 0);
    if (scope < SG_BROAD_MIN_SERVICES || members / scope <= SG_BROAD_SHARE) continue;
    out.push({
      id: 'sg-abuse',
      key: `sg-abuse:broad:${s.id}`,
      severity: 'warn',
      level: 'group',
      services: [],
      segments: [s.id],
      message: `Security group ${s.name} holds ${members} of ${scope} grouped services${vpc ? ` in ${segmentName(ctx, vpc)}` : ''} (${Math.round((100 * members) / scope)} %): a rule on it opens them all.`,
      fix: `split ${s.name} by role (one group per tier or service) and allow callers by group reference`,
    });
  }
  const hubsByGroup = new Map<string, string[]>();
  for (const h of ctx.hubs) {
    const i = ix.byId.get(h.service);
    if (i === undefined) continue;
    for (const g of group.groups(i)) hubsByGroup.set(g, [...(hubsByGroup.get(g) ?? []), h.service]);
  }
  const inbound = new Map<string, QuotaUse>();
  if (hubsByGroup.size > 0)
    for (const u of ctx.quotas)
      if (u.quota === 'aws.inbound-rules-per-group' && !inbound.has(u.subject.id)) inbound.set(u.subject.id, u);
  for (const [g, hubs] of [...hubsByGroup].sort()) {
    const use = inbound.get(g);
    if (!use || use.state === 'ok') continue;
    out.push({
      id: 'sg-abuse',
      key: `sg-abuse:hub-rules:${g}`,
      severity: use.state,
      level: 'group',
      services: hubs,
      segments: [g],
      message: `Security group ${segmentName(ctx, g)} of hub ${hubs.map((h) => serviceName(ctx, h)).join(', ')} carries ${use.used} / ${use.limit} inbound rules: every new caller costs a rule.`,
      fix: `allow the hub's callers through a few caller groups or a prefix list instead of one rule per caller`,
      figures: { used: use.used, limit: use.limit, quota: use.quota },
    });
  }
  return out;
};
