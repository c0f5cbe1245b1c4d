// Finding shared-failure-domain: services meant to fail independently that one segment, host or rule can cut together.
import { LEVELS, type Service } from '../../model/types';
import { kindOf, membershipOf } from '../core';
import type { Finding } from '../types';
import { type FindingRule, segmentName, serviceName } from './context';

/** Network segments that are one failure domain: a subnet lives in one availability zone, a VLAN on one fabric. */
const DOMAIN_KINDS = new Set(['subnet', 'vlan']);

type Ctx = Parameters<FindingRule>[0];

/** A hub whose replicas all sit in one subnet (availability-zone bound) or on one host. */
const hubDomains = (ctx: Ctx, out: Finding[]) => {
  const { ix } = ctx;
  for (const h of ctx.hubs) {
    const i = ix.byId.get(h.service);
    const s = i === undefined ? undefined : ix.services[i];
    if (!s || (s.replicas ?? 1) < 2) continue;
    const net = membershipOf(s, 'network');
    const domain =
      net.length === 1 && DOMAIN_KINDS.has(kindOf(ix.segments.get(net[0] as string)) ?? '') ? net[0] : undefined;
    const host = s.placement?.host;
    if (!domain && host === undefined) continue;
    const where = domain ? `subnet ${segmentName(ctx, domain)}` : `host ${host}`;
    out.push({
      id: 'shared-failure-domain',
      key: `shared-failure-domain:hub:${s.id}`,
      severity: 'warn',
      level: domain ? 'network' : undefined,
      services: [s.id],
      segments: domain ? [domain] : [],
      message: `All ${s.replicas} replicas of hub ${s.name} sit in ${where}: losing it takes the hub and its ${h.callers} callers down.`,
      fix: `spread ${s.name}'s replicas over several ${domain ? 'subnets (availability zones)' : 'hosts'}`,
    });
  }
};

/** Critical services that depend on one subnet, one security group or one host alone. */
const criticalDomains = (ctx: Ctx, critical: readonly { s: Service; i: number }[], out: Finding[]) => {
  const { ix } = ctx;
  const groupsBy = new Map<string, string[]>();
  const add = (key: string, id: string) => groupsBy.set(key, [...(groupsBy.get(key) ?? []), id]);
  for (const { s, i } of critical) {
    const net = membershipOf(s, 'network');
    if (net.length === 1 && DOMAIN_KINDS.has(kindOf(ix.segments.get(net[0] as string)) ?? ''))
      add(`segment:${net[0]}`, s.id);
    const groups = ix.levels.group.groups(i);
    if (groups.length === 1) add(`segment:${groups[0]}`, s.id);
    if (s.placement?.host !== undefined) add(`host:${s.placement.host}`, s.id);
  }
  for (const [key, ids] of [...groupsBy].sort()) {
    if (ids.length < 2) continue;
    const seg = key.startsWith('segment:') ? key.slice('segment:'.length) : undefined;
    const where = seg
      ? `${ix.segments.get(seg)?.level === 'group' ? 'security group' : 'subnet'} ${segmentName(ctx, seg)}`
      : `host ${key.slice('host:'.length)}`;
    out.push({
      id: 'shared-failure-domain',
      key: `shared-failure-domain:${key}`,
      severity: 'warn',
      level: seg ? ix.segments.get(seg)?.level : undefined,
      services: ids,
      segments: seg ? [seg] : [],
      message: `Critical services ${ids.map((id) => serviceName(ctx, id)).join(', ')} all depend on ${where} alone: its loss or a mistake in it cuts them all.`,
      fix: 'place critical services in separate failure domains (subnets/zones, groups, hosts)',
    });
  }
};

/** One group or policy rule alone letting the required calls into several critical services. */
const soleRules = (ctx: Ctx, criticalIds: ReadonlySet<string>, out: Finding[]) => {
  const { ix } = ctx;
  const soleRule = new Map<string, { targets: Set<string>; level: string; summary: string }>();
  for (const c of ctx.calls) {
    if (c.class !== 'allowed' || !criticalIds.has(c.to)) continue;
    for (const level of LEVELS) {
      if (level !== 'group' && level !== 'policy') continue;
      const v = c.verdict.levels[level];
      if (v.verdict !== 'allow' || v.allowing?.length !== 1) continue;
      const id = v.allowing[0] as string;
      const entry = soleRule.get(id) ?? { targets: new Set<string>(), level, summary: v.rule?.summary ?? id };
      entry.targets.add(c.to);
      soleRule.set(id, entry);
    }
  }
  for (const [id, e] of [...soleRule].sort()) {
    if (e.targets.size < 2) continue;
    const targets = [...e.targets].sort();
    out.push({
      id: 'shared-failure-domain',
      key: `shared-failure-domain:rule:${id}`,
      severity: 'warn',
      level: e.level as Finding['level'],
      services: targets,
      segments: [],
      message: `One rule alone (${e.summary}) lets the required calls into critical services ${targets.map((t) => serviceName(ctx, t)).join(', ')}: a mistake in it cuts them all.`,
      fix: 'give each critical service its own allow rule (or policy) so one edit cannot cut them all',
      rule: { id, type: (ix.rulesById.get(id)?.type ?? 'membership') as never, summary: e.summary },
    });
  }
};

/**
 * Precisely:
 * 1. hub replicas — a hub with ≥ 2 replicas whose only network membership is one subnet/VLAN, or that
 *    runs on one host, has every replica in one failure domain;
 * 2. critical services — ≥ 2 services marked critical whose only membership at the network level
 *    is the same subnet/VLAN, or whose only security group is the same group (one mistaken rule or
 *    one deleted group cuts them all), or that share one host;
 * 3. one policy object — a single rule (security-group permission or network policy) is the only
 *    rule allowing the required calls into ≥ 2 different critical services.
 */
export const sharedFailureDomain: FindingRule = (ctx) => {
  const out: Finding[] = [];
  hubDomains(ctx, out);
  const critical = ctx.ix.services.map((s, i) => ({ s, i })).filter(({ s }) => s.critical === true);
  criticalDomains(ctx, critical, out);
  soleRules(ctx, new Set(critical.map(({ s }) => s.id)), out);
  return out.map((f) => {
    if (f.level === undefined) delete f.level;
    return f;
  });
};
