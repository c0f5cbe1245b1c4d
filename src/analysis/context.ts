// The analysis index: the workspace core plus one engine per level, built once per workspace and cached.
import { LEVELS, type Level, type Workspace } from '../model/types';
import { buildCore, type IndexCore, type LevelEngine } from './core';
import { createAccountLevel } from './levels/account';
import { createGroupLevel, type GroupLevel } from './levels/group';
import { withInternetPaths } from './levels/internet';
import { createNetworkLevel, type NetworkLevel } from './levels/network';
import { withNetworkAcls } from './levels/network-acl';
import { createOverlayLevel } from './levels/overlay';
import { createPolicyLevel, type PolicyLevel } from './levels/policy';
import { withMultiNetworkPolicies } from './levels/policy-multinet';
import { createRoleLevel } from './levels/role';
import { withRouteTables } from './levels/route-table';
import { withTgwRouteTables } from './levels/tgw-route-table';

export interface LevelEngines {
  account: LevelEngine;
  role: LevelEngine;
  network: NetworkLevel;
  group: GroupLevel;
  policy: PolicyLevel;
  overlay: LevelEngine;
}

export interface AnalysisIndex extends IndexCore {
  /** The core this index was built on (what derived indices reuse memos from). */
  core: IndexCore;
  levels: LevelEngines;
  /** Engines in LEVELS order (coarse to fine). */
  engines: readonly LevelEngine[];
}

const cache = new WeakMap<Workspace, AnalysisIndex>();
/** What a derived index (a what-if edit) was built from: the base index and the services that differ. */
const bases = new WeakMap<AnalysisIndex, { index: AnalysisIndex; changed: readonly number[] }>();

/** The index and changed services a what-if index was derived from (buildIndex with `base`), if any. */
export const baseOf = (ix: AnalysisIndex): { index: AnalysisIndex; changed: readonly number[] } | undefined =>
  bases.get(ix);

/**
 * Build (or reuse) the index of a workspace. Workspaces are treated as immutable: edits make new
 * objects. With `base` (the index of the workspace before an edit of the `changed` services), the
 * per-service memos of the base are reused for every other service.
 */
export const buildIndex = (
  ws: Workspace,
  base?: { index: AnalysisIndex; changed: readonly number[] },
): AnalysisIndex => {
  const hit = cache.get(ws);
  if (hit) return hit;
  const core = buildCore(ws, base ? { core: base.index.core, changed: base.changed } : undefined);
  // No route, no path (route tables, gateways to the internet) before what the subnets' network ACLs let through.
  const routed = withTgwRouteTables(core, withRouteTables(core, createNetworkLevel(core)));
  const network = withNetworkAcls(core, withInternetPaths(core, routed));
  const levels: LevelEngines = {
    account: createAccountLevel(core, network),
    role: createRoleLevel(core),
    network,
    group: createGroupLevel(core),
    policy: withMultiNetworkPolicies(core, network, createPolicyLevel(core)),
    overlay: createOverlayLevel(core),
  };
  const ix: AnalysisIndex = { ...core, core, levels, engines: LEVELS.map((l: Level) => levels[l]) };
  cache.set(ws, ix);
  if (base) bases.set(ix, base);
  return ix;
};
