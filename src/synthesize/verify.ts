// One level on its own: the workspace with only that level's memberships and rules, and the pairs connlist finds there.
import { computeConnlist, type Ports, workloadNames } from '../analysis/connlist';
import type { Level, Workspace } from '../model/types';

/** Other levels lose their memberships and rules, so they are "no data" (open) and connlist shows this level alone. */
export const isolateLevel = (ws: Workspace, level: Level): Workspace => ({
  ...ws,
  services: ws.services.map((s) => {
    const own = s.memberships[level];
    return { ...s, memberships: own === undefined ? {} : { [level]: own } };
  }),
  rules: ws.rules.filter((r) => r.level === level),
});

/** Service id → id → ports the level allows (workload pairs only; address ranges left out). */
export const levelConnections = (ws: Workspace, level: Level): Map<string, Map<string, Ports>> => {
  const isolated = isolateLevel(ws, level);
  const r = computeConnlist(isolated);
  const names = workloadNames(isolated.services.filter((s) => s.kind !== 'external'));
  const idOf = new Map<string, string>();
  isolated.services
    .filter((s) => s.kind !== 'external')
    .forEach((s, k) => {
      idOf.set(names[k] as string, s.id);
    });
  const out = new Map<string, Map<string, Ports>>();
  for (const c of r.connections) {
    const a = idOf.get(c.from);
    const b = idOf.get(c.to);
    if (a === undefined || b === undefined) continue;
    let row = out.get(a);
    if (!row) {
      row = new Map();
      out.set(a, row);
    }
    row.set(b, c.ports);
  }
  return out;
};
