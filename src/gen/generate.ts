// The topology generator: a seeded, realistic estate of N services in about M segments across all six levels.
//
// What "realistic" means here: services belong to teams; a team is a Kubernetes namespace (with
// label sets per tier), an IAM role, a subnet of a VPC and a security group; teams form business
// domains (one Weave network each, plus a mesh for cross-domain traffic); VPCs sit in accounts under
// OUs and meet through one transit gateway, except a legacy island VPC peered to one VPC only.
// Callees follow a power law, so a few hubs are called by most services. The allowing rules are
// derived from the calls (security-group ingress, NetworkPolicy peers, identity grants for hubs),
// with the shapes people write: group references inside a VPC, subnet CIDRs across VPCs, VPC-wide
// CIDRs once a group nears its rule limit. Then a few allowing entries are left out so a few calls
// break, and a few groups carry old partner CIDRs that push them near or over the inbound-rule quota.
// The generator knows exactly which calls it broke and which groups it pushed: `facts` says so, and
// the tests hold the analysis to it.
import { DEFAULT_QUOTAS, quotaState } from '../model/quotas';
import type { Workspace } from '../model/types';
import { deriveEntries, dropEntries, widenNearLimit } from './entries';
import { addAccounts, addServices, chooseShape, type Estate, planTeams, planVpcs } from './estate';
import { addGroupLevel, addOverlayLevel, addPolicyLevel, addRoleLevel } from './levels';
import { rng } from './random';
import { addNetworkLevel, assignMemberships, buildTraffic } from './traffic';
export interface TopologyOptions {
  services: number;
  /** Total segments wanted across the six levels (default services / 4, at least 24). */
  segments?: number;
  /** Calls wanted (default 3 × services). */
  calls?: number;
  seed?: number;
  /** Share of the calls to leave broken (default 0.01). */
  breakRate?: number;
}

/** What the generator built on purpose, so tests and the bench can check the analysis against it. */
export interface TopologyFacts {
  teams: number;
  domains: number;
  accounts: number;
  vpcs: number;
  /** The most-called services, which got their own security group. */
  hubs: string[];
  /** Indices into `workspace.calls` that no rule allows (or no network path carries). */
  brokenCalls: number[];
  /** Group segment ids at ≥ 80 % and ≤ 100 % of the inbound-rules quota. */
  groupsNearQuota: string[];
  /** Group segment ids above the inbound-rules quota. */
  groupsOverQuota: string[];
}

export interface Topology {
  workspace: Workspace;
  facts: TopologyFacts;
}

const INBOUND_QUOTA = 'aws.inbound-rules-per-group';

/** A seeded estate of `services` services in about `segments` segments, and the facts it was built to have. */
export const generateTopology = (o: TopologyOptions): Topology => {
  const n = Math.max(6, Math.floor(o.services));
  const callsWanted = Math.max(0, Math.floor(o.calls ?? 3 * n));
  const target = Math.max(1, Math.floor(o.segments ?? Math.max(24, Math.round(n / 4))));
  const breakRate = Math.min(1, Math.max(0, o.breakRate ?? 0.01));
  const rand = rng(o.seed ?? 1);
  const limit = DEFAULT_QUOTAS.find((q) => q.id === INBOUND_QUOTA)?.value ?? 60;
  const shape = chooseShape(n, target);
  const e: Estate = {
    n,
    rand,
    shape,
    segments: [],
    rules: [],
    vpcs: [],
    teams: [],
    services: [],
    teamOf: [],
    tierOf: [],
  };
  addAccounts(e);
  e.vpcs = planVpcs(shape);
  e.teams = planTeams(rand, n, shape, e.vpcs);
  addServices(e);
  const traffic = buildTraffic(e, callsWanted);
  assignMemberships(e, traffic);
  addNetworkLevel(e);
  const entries = deriveEntries(e, traffic);
  widenNearLimit(e, entries, limit);
  const broken = dropEntries(e, traffic, entries, breakRate);
  const rulesPerGroup = addGroupLevel(e, traffic, entries, limit);
  addRoleLevel(e, entries);
  addPolicyLevel(e, entries);
  addOverlayLevel(e);
  const groups = [...rulesPerGroup.keys()];
  const state = (g: string) => quotaState(rulesPerGroup.get(g) ?? 0, limit);
  const workspace: Workspace = {
    segscope: 1,
    name: `generated ${n} services, ${e.segments.length} segments, seed ${o.seed ?? 1}`,
    services: e.services,
    segments: e.segments,
    calls: traffic.calls,
    rules: e.rules,
  };
  return {
    workspace,
    facts: {
      teams: e.teams.length,
      domains: shape.domains,
      accounts: shape.accounts,
      vpcs: e.vpcs.length,
      hubs: traffic.hubs.map((i) => e.services[i]?.id as string),
      brokenCalls: [...broken].sort((x, y) => x - y),
      groupsNearQuota: groups.filter((g) => state(g) === 'warn').sort(),
      groupsOverQuota: groups.filter((g) => state(g) === 'error').sort(),
    },
  };
};
