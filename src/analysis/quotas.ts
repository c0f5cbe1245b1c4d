// Quota utilisation: per segment, service or workspace subject, for each quota of the profile the data can count.
import { DEFAULT_QUOTAS, type QuotaDefinition, quotaProfile, quotaState } from '../model/quotas';
import type { Level, Segment, Service, SgPermissionRule } from '../model/types';
import type { AnalysisIndex } from './context';
import { kindOf, membershipOf } from './core';
import { cidrSize, parseCidr } from './net';
import { kubernetesQuotas, overlayQuotas } from './quotas-cluster';
import { type Counter, subjectIds } from './quotas-counter';
import type { QuotaUse } from './types';

export { networkTally, podTally } from './quotas-cluster';
export { subjectIds } from './quotas-counter';

/**
 * Which subjects to compute (a what-if recomputes only the subjects a move touches); absent = all. A
 * set also names the services to count per interface (no walk over every service).
 */
export type SubjectFilter = ((id: string) => boolean) | ReadonlySet<string>;

/** AWS counts one rule per peer, per IP version: a group or prefix-list reference counts for both. */
export const sgRuleCount = (
  rules: readonly SgPermissionRule[],
  prefixListSize: (id: string) => number,
): { v4: number; v6: number; used: number } => {
  let v4 = 0;
  let v6 = 0;
  for (const r of rules) {
    if (r.peer.kind === 'cidr') {
      if (r.peer.cidr.includes(':')) v6++;
      else v4++;
    } else {
      // A prefix list counts as its number of entries (AWS counts its max entries; we know its entries).
      const n = r.peer.kind === 'prefix-list' ? Math.max(1, prefixListSize(r.peer.prefixListId)) : 1;
      v4 += n;
      v6 += n;
    }
  }
  return { v4, v6, used: Math.max(v4, v6) };
};

/** Security groups: rules per group (their counts are kept for the per-interface figures). */
const groupQuotas = ({ ix, want, use, segs }: Counter) => {
  const group = ix.levels.group;
  const prefixSizes = new Map(ix.rulesOf('prefix-list').map((p) => [p.prefixListId, p.cidrs.length]));
  const plSize = (id: string) => prefixSizes.get(id) ?? 1;
  const groupCounts = new Map<string, { in: number; out: number }>();
  const countsOf = (g: string) => {
    let c = groupCounts.get(g);
    if (!c) {
      c = {
        in: sgRuleCount(group.rulesOf(g, 'ingress'), plSize).used,
        out: sgRuleCount(group.rulesOf(g, 'egress'), plSize).used,
      };
      groupCounts.set(g, c);
    }
    return c;
  };
  const sgs = segs.filter((s) => s.level === 'group' && (kindOf(s) === 'security-group' || kindOf(s) === undefined));
  for (const s of sgs) {
    if (!want(s.id)) continue;
    const c = countsOf(s.id);
    use('aws.inbound-rules-per-group', 'segment', s.id, c.in, 'group');
    use('aws.outbound-rules-per-group', 'segment', s.id, c.out, 'group');
  }
  return { sgs, countsOf };
};

/** Per interface (service): groups, and the rules evaluated for it. */
const interfaceQuotas = (
  { ix, want, use, serviceIndices }: Counter,
  countsOf: (g: string) => { in: number; out: number },
) => {
  const group = ix.levels.group;
  for (const i of serviceIndices ?? ix.services.keys()) {
    const s = ix.services[i] as Service;
    if (!want(s.id)) continue;
    const gs = group.groups(i);
    if (gs.length === 0) continue;
    const ifaces = Array.isArray(s.extra?.interfaces)
      ? (s.extra.interfaces as { groups?: unknown }[]).map((f) =>
          Array.isArray(f.groups) ? (f.groups as string[]).map(group.resolveGroup) : [],
        )
      : [];
    const sets = ifaces.length > 0 ? ifaces : [gs];
    const groupsUsed = Math.max(...sets.map((x) => x.length));
    const rulesUsed = Math.max(
      ...sets.map((x) => x.reduce((n, g) => n + Math.max(countsOf(g).in, countsOf(g).out), 0)),
    );
    use('aws.groups-per-interface', 'service', s.id, groupsUsed, 'group');
    use('aws.rules-times-groups-per-interface', 'service', s.id, rulesUsed, 'group');
  }
};

/** VPCs per region and security groups per region. */
const regionQuotas = (c: Counter, sgs: Segment[], regionKey: (s: Segment | undefined) => string | undefined) => {
  const perRegion = (
    items: readonly Segment[],
    quota: string,
    level: Level,
    regionOf: (s: Segment) => string | undefined,
  ) => {
    const counts = new Map<string, number>();
    for (const s of items) {
      const k = regionOf(s);
      if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const [k, n] of [...counts].sort()) if (c.want(k)) c.use(quota, 'workspace', k, n, level);
  };
  perRegion(c.byKind('vpc'), 'aws.vpcs-per-region', 'network', regionKey);
  perRegion(sgs, 'aws.security-groups-per-region', 'group', (g) => {
    const vpc = g.attributes?.vpc;
    return regionKey(g) ?? (typeof vpc === 'string' ? regionKey(c.ix.segments.get(vpc)) : undefined);
  });
};

/** VPCs: subnets, CIDR blocks, peerings; network ACL rules and routes on the subnets they apply to. */
const vpcQuotas = ({ ix, want, use, byKind }: Counter) => {
  const subnetsOf = new Map<string, number>();
  for (const s of byKind('subnet')) {
    const vpc = s.parent !== undefined ? ix.nearest(s.parent, ['vpc'])?.id : undefined;
    if (vpc) subnetsOf.set(vpc, (subnetsOf.get(vpc) ?? 0) + 1);
  }
  const peeringsOf = new Map<string, number>();
  for (const p of ix.rulesOf('vpc-peering')) {
    if (p.status !== undefined && p.status.toLowerCase() !== 'active') continue;
    for (const v of new Set([p.requester, p.accepter])) peeringsOf.set(v, (peeringsOf.get(v) ?? 0) + 1);
  }
  for (const v of byKind('vpc')) {
    if (!want(v.id)) continue;
    use('aws.subnets-per-vpc', 'segment', v.id, subnetsOf.get(v.id) ?? 0, 'network');
    if (v.cidrs && v.cidrs.length > 0) use('aws.cidr-blocks-per-vpc', 'segment', v.id, v.cidrs.length, 'network');
    use('aws.peerings-per-vpc', 'segment', v.id, peeringsOf.get(v.id) ?? 0, 'network');
  }
  // Network ACLs: numbered rules per direction (the final * not counted), on each subnet they apply to.
  for (const acl of ix.rulesOf('network-acl')) {
    const count = (egress: boolean) => acl.entries.filter((e) => e.egress === egress && e.ruleNumber < 32767).length;
    const used = Math.max(count(false), count(true));
    const label = `NACL rules per direction (${acl.name ?? acl.aclId})`;
    for (const s of acl.subnets)
      if (want(s) && ix.segments.has(s)) use('aws.nacl-rules', 'segment', s, used, 'network', undefined, label);
  }
  // Route tables: routes other than the local one, on each subnet they are associated with (the main table: its VPC).
  for (const t of ix.rulesOf('route-table')) {
    const used = t.routes.filter((r) => r.target !== 'local').length;
    const label = `Routes per route table (${t.name ?? t.routeTableId})`;
    const subjects = [...t.subnets, ...(t.main && t.vpc ? [t.vpc] : [])];
    for (const s of subjects)
      if (want(s) && ix.segments.has(s)) use('aws.routes-per-table', 'segment', s, used, 'network', undefined, label);
  }
};

/** Subnets: addresses in use against the usable space (size minus the reserved addresses). */
const subnetQuotas = ({ ix, want, use, profile, byKind }: Counter) => {
  for (const s of byKind('subnet')) {
    if (!want(s.id)) continue;
    const cidr = (s.cidrs ?? []).find((c) => parseCidr(c)?.[0].kind() === 'ipv4');
    if (!cidr) continue;
    const reserved = profile.get('aws.reserved-addresses-per-subnet')?.value ?? 5;
    const usable = Math.max(0, cidrSize(cidr) - reserved);
    const avail = s.attributes?.availableIpAddressCount;
    const used =
      typeof avail === 'number'
        ? Math.max(0, usable - avail)
        : (ix.members.get(s.id) ?? []).reduce((n, i) => n + Math.max(1, ix.services[i]?.addresses?.length ?? 0), 0);
    use(
      'aws.reserved-addresses-per-subnet',
      'segment',
      s.id,
      used,
      'network',
      usable,
      `Addresses in use per subnet (${reserved} reserved)`,
    );
  }
};

/** Organizations: accounts and OU depth. Roles: per account, managed policies and trust policy size per role. */
const accountQuotas = ({ ix, want, use, segs, byKind }: Counter) => {
  // The segments alone decide these: counted once per rules and segments.
  const orgs = ix.shared('quotas.organizations', () =>
    byKind('organization').map((org) => {
      let accounts = 0;
      let depth = 0;
      for (const s of segs) {
        const chain = ix.ancestors(s.id);
        if (chain.length < 2 || !chain.some((a) => a.id === org.id) || s.id === org.id) continue;
        if (kindOf(s) === 'account') accounts++;
        if (kindOf(s) === 'ou') depth = Math.max(depth, chain.filter((a) => kindOf(a) === 'ou').length);
      }
      return { id: org.id, accounts, depth };
    }),
  );
  for (const org of orgs) {
    if (!want(org.id)) continue;
    use('aws.accounts-per-organization', 'segment', org.id, org.accounts, 'account');
    if (org.depth > 0) use('aws.ou-depth', 'segment', org.id, org.depth, 'account');
  }
  const rolesPerAccount = new Map<string, number>();
  const accountByNumber = new Map<string, string>();
  for (const a of byKind('account')) {
    const n = a.attributes?.accountId;
    if (typeof n === 'string') accountByNumber.set(n, a.id);
  }
  for (const r of byKind('iam-role')) {
    const acc =
      (r.parent !== undefined ? ix.nearest(r.parent, ['account'])?.id : undefined) ??
      (typeof r.attributes?.accountId === 'string' ? accountByNumber.get(r.attributes.accountId) : undefined);
    if (acc) rolesPerAccount.set(acc, (rolesPerAccount.get(acc) ?? 0) + 1);
    if (!want(r.id)) continue;
    const managed = r.attributes?.managedPolicyCount;
    if (typeof managed === 'number') use('aws.managed-policies-per-role', 'segment', r.id, managed, 'role');
    const trust = r.attributes?.trustPolicySize;
    if (typeof trust === 'number') use('aws.trust-policy-size', 'segment', r.id, trust, 'role');
  }
  for (const [acc, n] of [...rolesPerAccount].sort())
    if (want(acc)) use('aws.roles-per-account', 'segment', acc, n, 'account');
};

/**
 * Compute the quota uses the data supports. Counting choices: subnets' used addresses come from
 * `availableIpAddressCount` when exported, else from member addresses; "rules × groups per
 * interface" is the sum of the rules of the interface's groups (what is evaluated for it); pods per
 * node and pods per cluster count replicas.
 */
export const computeQuotas = (ix: AnalysisIndex, only?: SubjectFilter): QuotaUse[] => {
  const profile = new Map<string, QuotaDefinition>(quotaProfile(ix.ws.quotas ?? {}).map((d) => [d.id, d]));
  const out: QuotaUse[] = [];
  // Segments by kind depend on the segments alone: once per rules and segments, not per what-if.
  const { segs, kinds } = ix.shared('quotas.segments', () => {
    const all = [...ix.segments.values()];
    const byKind = new Map<string, Segment[]>();
    for (const s of all) {
      const k = kindOf(s);
      if (k === undefined) continue;
      const list = byKind.get(k);
      if (list) list.push(s);
      else byKind.set(k, [s]);
    }
    return { segs: all, kinds: byKind };
  });
  const c: Counter = {
    ix,
    want: only === undefined ? () => true : typeof only === 'function' ? only : (id) => only.has(id),
    ...(only instanceof Set
      ? { serviceIndices: [...only].flatMap((id) => ix.byId.get(id) ?? []).sort((a, b) => a - b) }
      : {}),
    use: (quota, kind, id, used, level, limitOverride, label) => {
      const def = profile.get(quota);
      if (!def) return;
      const limit = limitOverride ?? def.value;
      const u: QuotaUse = {
        quota,
        label: label ?? def.label,
        subject: { kind, id },
        used,
        limit,
        state: quotaState(used, limit),
      };
      if (level) u.level = level;
      out.push(u);
    },
    profile,
    segs,
    byKind: (k) => kinds.get(k) ?? [],
  };
  const regionKey = (s: Segment | undefined): string | undefined => {
    const region = s?.attributes?.region;
    if (typeof region !== 'string') return undefined;
    const account = s?.attributes?.accountId ?? s?.attributes?.ownerId;
    return subjectIds.region(typeof account === 'string' ? account : '?', region);
  };
  // In this order: uses of one quota and subject (an ACL on a subnet twice) keep it after sorting.
  const { sgs, countsOf } = groupQuotas(c);
  regionQuotas(c, sgs, regionKey);
  interfaceQuotas(c, countsOf);
  vpcQuotas(c);
  subnetQuotas(c);
  accountQuotas(c);
  kubernetesQuotas(c);
  overlayQuotas(c);
  return sortQuotas(out);
};

const QUOTA_ORDER = new Map(DEFAULT_QUOTAS.map((d, i) => [d.id, i]));

/** Canonical order: by quota (profile order), then subject. */
export const sortQuotas = (uses: QuotaUse[]): QuotaUse[] =>
  uses.sort(
    (a, b) =>
      (QUOTA_ORDER.get(a.quota) ?? 999) - (QUOTA_ORDER.get(b.quota) ?? 999) ||
      (a.subject.kind < b.subject.kind ? -1 : a.subject.kind > b.subject.kind ? 1 : 0) ||
      (a.subject.id < b.subject.id ? -1 : a.subject.id > b.subject.id ? 1 : 0),
  );

/**
 * Subjects whose figures a membership change of `service` from `from` to `to` can change: the two
 * segments and their parents, the service itself, its host/project/node/cluster and workspace totals.
 */
export const touchedSubjects = (ix: AnalysisIndex, serviceIndex: number, segments: readonly string[]): Set<string> => {
  const s = ix.services[serviceIndex];
  const out = new Set<string>([subjectIds.workspace, subjectIds.cluster('default')]);
  if (!s) return out;
  out.add(s.id);
  for (const id of segments) for (const a of ix.ancestors(id)) out.add(a.id);
  for (const id of segments) out.add(id);
  for (const id of membershipOf(s, 'account')) for (const a of ix.ancestors(id)) out.add(a.id);
  if (s.placement?.host) {
    out.add(subjectIds.host(s.placement.host));
    out.add(subjectIds.node(s.placement.host));
  }
  if (s.namespace !== undefined) out.add(subjectIds.project(s.namespace));
  return out;
};
