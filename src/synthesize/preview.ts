// The what-if delta of any plan of commands: a drag's delta for one move, otherwise two analyses and the pairs the plan touches.
import { reanalyze } from '../analysis/analyze';
import { callChanges, findingChanges } from '../analysis/changes';
import { levelClasses } from '../analysis/classes';
import { buildIndex } from '../analysis/context';
import { type MoveDelta, previewMove } from '../analysis/delta';
import { quotaChanges } from '../analysis/quota-changes';
import type { Analysis } from '../analysis/types';
import { applyCommand, type Command, flattenCommands } from '../model/commands';
import { ruleEnds } from '../model/rule-ends';
import { ISTIO_ROOT_NAMESPACE, type Rule, type Workspace } from '../model/types';

/**
 * Services whose pairs a plan may change: moved services, members of segments a changed rule names
 * (and their descendants' members), and for NetworkPolicy and Istio rules every pod of the rule's namespace
 * (or all services for global policies and Istio's root namespace: selectors may pick any of them).
 */
const affectedServices = (before: Workspace, after: Workspace, commands: readonly Command[]): Set<string> => {
  const out = new Set<string>();
  const segs = new Set<string>();
  let everyone = false;
  const rules: Rule[] = [];
  for (const c of flattenCommands(commands)) {
    if (c.type === 'moveService' || c.type === 'placeService') out.add(c.service);
    else if (c.type === 'addRule' || c.type === 'removeRule') rules.push(c.rule);
    else if (c.type === 'replaceRule') rules.push(c.before, c.after);
    // A new segment has no members yet: only the moves into it (counted above) change pairs.
    else if (c.type !== 'createSegment') everyone = true;
  }
  const namespaces = new Set<string>();
  for (const r of rules) {
    for (const id of ruleEnds(r)) {
      segs.add(id);
      out.add(id);
    }
    // Istio's policies select workloads by label, in their namespace or (the root namespace) the whole mesh.
    const istio = r.type === 'istio-authorization' || r.type === 'istio-peer-authentication';
    if (r.type === 'k8s-network-policy' || (istio && r.namespace !== ISTIO_ROOT_NAMESPACE)) namespaces.add(r.namespace);
    else if (r.level === 'policy' || istio) everyone = true;
  }
  for (const ws of [before, after]) {
    const ix = buildIndex(ws);
    ws.services.forEach((s, i) => {
      if (everyone) out.add(s.id);
      else if (
        namespaces.size > 0 &&
        ix.levels.policy.endpoint(i).pod &&
        namespaces.has(ix.levels.policy.endpoint(i).namespace ?? '')
      )
        out.add(s.id);
      else if (
        Object.values(s.memberships).some((ids) =>
          ids?.some((id) => segs.has(id) || ix.ancestors(id).some((a) => segs.has(a.id))),
        )
      )
        out.add(s.id);
    });
  }
  return out;
};

/** Pairs reachable after and not before (`openedPairs`) and the other way round; only pairs with a touched end can change. */
const pairChanges = (before: Workspace, after: Workspace, touched: ReadonlySet<string>) => {
  const ix1 = buildIndex(before);
  const ix2 = buildIndex(after);
  const r1 = levelClasses(ix1);
  const r2 = levelClasses(ix2);
  const openedPairs: { from: string; to: string }[] = [];
  const closedPairs: { from: string; to: string }[] = [];
  // Services keep their order and ids under every command but deletions of services (there are none).
  const n = Math.min(ix1.services.length, ix2.services.length);
  const ids = ix2.services.slice(0, n).map((s) => s.id);
  // A touched row is scanned whole, another only at touched columns.
  const hit = ids.map((id) => touched.has(id));
  const hitIdx = hit.flatMap((h, i) => (h ? [i] : []));
  const all = ids.map((_, i) => i);
  for (let x = 0; x < n; x++) {
    const sx = ids[x] as string;
    for (const y of hit[x] ? all : hitIdx) {
      if (x === y) continue;
      const was = r1.reachable(x, y);
      const now = r2.reachable(x, y);
      if (now && !was) openedPairs.push({ from: sx, to: ids[y] as string });
      if (was && !now) closedPairs.push({ from: sx, to: ids[y] as string });
    }
  }
  return { openedPairs, closedPairs };
};

/** The delta a plan would cause, in the shape of a drag's delta so the app shows both with one panel. */
export const previewPlan = (ws: Workspace, analysis: Analysis, commands: readonly Command[]): MoveDelta => {
  const [only] = commands;
  if (commands.length === 1 && only?.type === 'moveService') return previewMove(ws, analysis, only);
  let after = ws;
  for (const c of commands) after = applyCommand(after, c);
  const touched = affectedServices(ws, after, commands);
  const next = reanalyze(after, analysis, touched);
  return {
    ...callChanges(analysis.calls, next.calls),
    ...pairChanges(ws, after, touched),
    quota: quotaChanges(analysis.quotas, next.quotas),
    ...findingChanges(analysis.findings, next.findings),
    analysis: next,
    workspace: after,
  };
};
