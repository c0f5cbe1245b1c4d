// Finding sg-abuse: one security group holding most services (over-broad), or a hub's group near its rules limit.
import { kindOf } from '../core';
import type { Finding } from '../types';
import { type FindingRule, segmentName, serviceName } from './context';

/** A group is over-broad when it holds more than this share of the grouped services in its VPC… */
export const SG_BROAD_SHARE = 0.5;
/** …and there are at least this many such services (a 3-service system in one group is fine). */
export const SG_BROAD_MIN_SERVICES = 10;

export const sgAbuse: FindingRule = (ctx) => {
  const { ix } = ctx;
  const out: Finding[] = [];
  const group = ix.levels.group;
  // Scope: services with group data in the group's VPC (or all grouped services when the VPC is unknown).
  const vpcOfGroup = (id: string): string | undefined => {
    const s = ix.segments.get(id);
    const v = s?.attributes?.vpc ?? (s?.parent !== undefined ? ix.nearest(s.parent, ['vpc'])?.id : undefined);
    return typeof v === 'string' ? v : undefined;
  };
  const scopeCount = new Map<string, number>();
  const grouped = new Set<number>();
  ix.services.forEach((_s, i) => {
    const gs = group.groups(i);
    if (gs.length === 0) return;
    grouped.add(i);
    for (const v of new Set(gs.map(vpcOfGroup))) {
      const k = v ?? '';
      scopeCount.set(k, (scopeCount.get(k) ?? 0) + 1);
    }
  });
  for (const s of ix.segments.values()) {
    if (s.level !== 'group' || (kindOf(s) !== undefined && kindOf(s) !== 'security-group')) continue;
    const members = (ix.members.get(s.id) ?? []).filter((i) => grouped.has(i));
    const vpc = vpcOfGroup(s.id);
    const scope = vpc === undefined ? grouped.size : (scopeCount.get(vpc) ?? 0);
    if (scope < SG_BROAD_MIN_SERVICES || members.length / scope <= SG_BROAD_SHARE) continue;
    out.push({
      id: 'sg-abuse',
      key: `sg-abuse:broad:${s.id}`,
      severity: 'warn',
      level: 'group',
      services: [],
      segments: [s.id],
      message: `Security group ${s.name} holds ${members.length} of ${scope} grouped services${vpc ? ` in ${segmentName(ctx, vpc)}` : ''} (${Math.round((100 * members.length) / scope)} %): a rule on it opens them all.`,
      fix: `split ${s.name} by role (one group per tier or service) and allow callers by group reference`,
    });
  }
  const hubsByGroup = new Map<string, string[]>();
  for (const h of ctx.hubs) {
    const i = ix.byId.get(h.service);
    if (i === undefined) continue;
    for (const g of group.groups(i)) hubsByGroup.set(g, [...(hubsByGroup.get(g) ?? []), h.service]);
  }
  for (const [g, hubs] of [...hubsByGroup].sort()) {
    const use = ctx.quotas.find((u) => u.quota === 'aws.inbound-rules-per-group' && u.subject.id === g);
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
