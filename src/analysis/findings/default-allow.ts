// Finding default-allow: flat defaults — an icc=true bridge, a namespace no policy selects, SG ingress from anywhere.

import type { Level } from '../../model/types';
import { kindOf } from '../core';
import { sgPortsText } from '../levels/group';
import { NS_PREFIX } from '../levels/policy-endpoint';
import { isAnyCidr } from '../net';
import type { Finding } from '../types';
import { type FindingContext, type FindingRule, segmentName } from './context';

/** Default bridges with icc=true (overlay memberships). */
export const bridgeFindings = (ctx: FindingContext): Finding[] => {
  const { ix } = ctx;
  const out: Finding[] = [];
  for (const s of ix.segments.values()) {
    if (kindOf(s) !== 'bridge' || s.attributes?.icc === false) continue;
    const members = ix.members.get(s.id) ?? [];
    if (members.length < 2) continue;
    out.push({
      id: 'default-allow',
      key: `default-allow:${s.id}`,
      severity: 'warn',
      level: 'overlay',
      services: members.map((i) => (ix.services[i] as { id: string }).id),
      segments: [s.id],
      message: `The default bridge ${s.name} runs with icc=true: its ${members.length} containers can all reach each other on every port.`,
      fix: 'use user-defined networks per tier, or run the daemon with icc=false and explicit links',
    });
  }
  return out;
};

/** Namespaces with pods that no policy selects, either direction (policy endpoints: policy and role memberships, labels). */
export const namespaceFindings = (ctx: FindingContext): Finding[] => {
  const { ix } = ctx;
  const out: Finding[] = [];
  const policy = ix.levels.policy;
  const pods = new Map<string, { ids: string[]; covered: boolean }>();
  ix.services.forEach((s, i) => {
    const ep = policy.endpoint(i);
    if (!ep.pod || ep.namespace === undefined) return;
    const e = pods.get(ep.namespace) ?? { ids: [], covered: false };
    e.ids.push(s.id);
    if (policy.applicable(i, 'ingress').length > 0 || policy.applicable(i, 'egress').length > 0) e.covered = true;
    pods.set(ep.namespace, e);
  });
  for (const [ns, e] of [...pods].sort()) {
    if (e.covered) continue;
    const segId = `${NS_PREFIX}${ns}`;
    out.push({
      id: 'default-allow',
      key: `default-allow:namespace:${ns}`,
      severity: 'warn',
      level: 'policy',
      services: e.ids,
      segments: ix.segments.has(segId) ? [segId] : [],
      message: `No network policy selects any of the ${e.ids.length} workload${e.ids.length === 1 ? '' : 's'} in namespace ${ns}: everything may reach them and they may reach everything.`,
      fix: `add a default-deny NetworkPolicy to namespace ${ns} and allow the calls that exist`,
    });
  }
  return out;
};

/** Security-group ingress from anywhere (group members). */
export const sgIngressFindings = (ctx: FindingContext): Finding[] => {
  const { ix } = ctx;
  const out: Finding[] = [];
  const group = ix.levels.group;
  for (const r of ix.rulesOf('sg-permission')) {
    if (r.direction !== 'ingress' || r.peer.kind !== 'cidr' || !isAnyCidr(r.peer.cidr)) continue;
    const g = group.resolveGroup(r.group);
    const members = ix.members.get(g) ?? [];
    const allTraffic = r.protocol === '-1' || r.protocol.toLowerCase() === 'all';
    const internal = members.filter((i) => ix.services[i]?.exposed !== true);
    const severity = allTraffic || internal.length > 0 ? 'warn' : 'info';
    const f: Finding = {
      id: 'default-allow',
      key: `default-allow:${r.id}`,
      severity,
      level: 'group',
      services: members.map((i) => (ix.services[i] as { id: string }).id),
      segments: [g],
      message: `${segmentName(ctx, g)} allows ingress ${sgPortsText(r)} from ${r.peer.cidr}${internal.length > 0 ? `, and ${internal.length} of its members are not meant to be exposed` : ''}.`,
      fix: allTraffic
        ? `limit the rule to the ports the exposed services serve, or to a known client range`
        : `allow ${r.peer.cidr} only on a load balancer's group and reference that group here`,
    };
    if (r.source)
      f.rule = {
        id: r.id,
        type: r.type,
        summary: `${segmentName(ctx, g)} ingress ${sgPortsText(r)} from ${r.peer.cidr}`,
        source: r.source,
      };
    else
      f.rule = {
        id: r.id,
        type: r.type,
        summary: `${segmentName(ctx, g)} ingress ${sgPortsText(r)} from ${r.peer.cidr}`,
      };
    out.push(f);
  }
  return out;
};

/** Each part reads one level's memberships, and its findings carry that level (a what-if re-runs the part of the moved level). */
export const DEFAULT_ALLOW_PARTS = [
  { level: 'overlay', reads: ['overlay'], run: bridgeFindings },
  { level: 'policy', reads: ['policy', 'role'], run: namespaceFindings },
  { level: 'group', reads: ['group'], run: sgIngressFindings },
] as const satisfies readonly { level: Level; reads: readonly Level[]; run: (ctx: FindingContext) => Finding[] }[];

export const defaultAllow: FindingRule = (ctx) => DEFAULT_ALLOW_PARTS.flatMap((p) => p.run(ctx));
