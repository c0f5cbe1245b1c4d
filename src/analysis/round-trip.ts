// Did a written copy keep the connectivity? The workspace and its read-back copy compared level by level, as `segscope diff` compares.

import type { Level, Workspace } from '../model/types';
import { type ConnlistDiff, diffConnlists } from './conndiff';
import { computeConnlist } from './connlist';

/**
 * The workspace with one level only: that level's segments, rules and memberships, other levels "no data".
 * Names lose their namespace: formats place services in namespaces of their own (a Compose project, a
 * Kubernetes namespace), so the same service is compared under the same name.
 */
export const onlyLevel = (ws: Workspace, level: Level): Workspace => ({
  ...ws,
  segments: ws.segments.filter((s) => s.level === level),
  rules: ws.rules.filter((r) => r.level === level),
  services: ws.services.map(({ namespace: _n, ...s }) => ({
    ...s,
    memberships: level in s.memberships ? { [level]: s.memberships[level] } : {},
  })),
});

/** The levels whose allowed connectivity differs between the two workspaces, with the connlist diff of each. */
export const roundTripDiffs = (
  before: Workspace,
  after: Workspace,
  levels: readonly Level[],
): { level: Level; diff: ConnlistDiff }[] =>
  levels.flatMap((level) => {
    const diff = diffConnlists(computeConnlist(onlyLevel(before, level)), computeConnlist(onlyLevel(after, level)));
    return diff.added.length + diff.removed.length + diff.changed.length === 0 ? [] : [{ level, diff }];
  });
