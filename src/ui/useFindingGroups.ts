// The findings panel's data: findings grouped once per analysis, the top problems, the groups the filters leave, the counts.
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { filterFindingGroups, groupFindings } from '../analysis/finding-groups';
import { topProblems } from '../analysis/top-problems';
import type { FindingId } from '../analysis/types';
import type { Level, Severity } from '../model/types';
import type { AppStore } from '../store/store';
import { useDeferredAnalysis } from './useDeferredAnalysis';

export const SEVERITIES: Severity[] = ['error', 'warn', 'info'];

export interface FindingFilters {
  rule: FindingId | 'all';
  level: Level | 'all';
  severity: Severity | 'all';
}

export const useFindingGroups = (store: AppStore, { rule, level, severity }: FindingFilters) => {
  const { workspace, analysis } = useDeferredAnalysis(store);
  const focus = useStore(store, (s) => s.focus);
  // Grouped once per analysis (and focused band, where findings without a level are placed); filters only prune.
  const groups = useMemo(
    () => (analysis && workspace ? groupFindings(analysis.findings, workspace, focus) : []),
    [analysis, workspace, focus],
  );
  const top = useMemo(
    () => (analysis && workspace ? topProblems(analysis, workspace, groups) : []),
    [analysis, workspace, groups],
  );
  const shown = useMemo(
    () =>
      filterFindingGroups(groups, {
        ...(rule === 'all' ? {} : { rule }),
        ...(level === 'all' ? {} : { level }),
        ...(severity === 'all' ? {} : { severity }),
      }),
    [groups, rule, level, severity],
  );
  const counts = useMemo(() => {
    const c: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
    for (const g of groups) for (const s of SEVERITIES) c[s] += g.bySeverity[s];
    return c;
  }, [groups]);
  return { workspace, analysis, groups, top, shown, counts };
};
