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

/** Pods (service indices, in order) per namespace, as the policy level's endpoints place them. */
export const podsByNamespace = (ix: FindingContext['ix']): Map<string, number[]> => {
  const pods = new Map<string, number[]>();
  const policy = ix.levels.policy;
  for (let i = 0; i < ix.services.length; i++) {
    const ep = policy.endpoint(i);
    if (!ep.pod || ep.namespace === undefined) continue;
    const list = pods.get(ep.namespace);
    if (list) list.push(i);
    else pods.set(ep.namespace, [i]);
  }
  return pods;
};

/** A namespace's finding from its pods, unless a policy selects one of them (either direction). */
export const namespaceFinding = (ctx: FindingContext, ns: string, pods: readonly number[]): Finding | undefined => {
  const { ix } = ctx;
  const policy = ix.levels.policy;
  if (pods.length === 0) return undefined;
  if (pods.some((i) => policy.applicable(i, 'ingress').length > 0 || policy.applicable(i, 'egress').length > 0))
    return undefined;
  const ids = pods.map((i) => (ix.services[i] as { id: string }).id);
  const segId = `${NS_PREFIX}${ns}`;
  return {
    id: 'default-allow',
    key: `default-allow:namespace:${ns}`,
    severity: 'warn',
    level: 'policy',
    services: ids,
    segments: ix.segments.has(segId) ? [segId] : [],
    message: `No network policy selects any of the ${ids.length} workload${ids.length === 1 ? '' : 's'} in namespace ${ns}: everything may reach them and they may reach everything.`,
    fix: `add a default-deny NetworkPolicy to namespace ${ns} and allow the calls that exist`,
  };
};

/** Namespaces with pods that no policy selects, either direction (policy endpoints: policy and role memberships, labels). */
export const namespaceFindings = (ctx: FindingContext): Finding[] => {
  const pods = podsByNamespace(ctx.ix);
  return [...pods.keys()].sort().flatMap((ns) => namespaceFinding(ctx, ns, pods.get(ns) ?? []) ?? []);
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
