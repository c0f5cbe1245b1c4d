// The findings panel: Top problems first, then findings grouped by rule and segment (pair), filterable by rule, level, severity.
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { filterFindingGroups, groupFindings } from '../analysis/finding-groups';
import { topProblems } from '../analysis/top-problems';
import { FINDING_IDS, type Finding, type FindingId } from '../analysis/types';
import { LEVELS, type Level, type Severity } from '../model/types';
import type { AppStore } from '../store/store';
import { FindingGroupView } from './FindingGroups';
import { type Reveal, SEVERITY_GLYPH } from './reveal';
import { TopProblems } from './TopProblems';
import { useDeferredAnalysis } from './useDeferredAnalysis';

const SEVERITIES: Severity[] = ['error', 'warn', 'info'];

export const FindingsPanel = ({
  store,
  onFinding,
  onFix,
  onReveal,
}: {
  store: AppStore;
  onFinding(f: Finding): void;
  /** Offer the ranked fixes of a finding (findings with fix plans get a Fix… button). */
  onFix?(f: Finding): void;
  onReveal: Reveal;
}) => {
  const { workspace, analysis } = useDeferredAnalysis(store);
  const focus = useStore(store, (s) => s.focus);
  const [rule, setRule] = useState<FindingId | 'all'>('all');
  const [level, setLevel] = useState<Level | 'all'>('all');
  const [severity, setSeverity] = useState<Severity | 'all'>('all');
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
  if (!workspace) return null;
  const total = shown.reduce((n, g) => n + g.count, 0);
  const all = counts.error + counts.warn + counts.info;
  return (
    <>
      <TopProblems sections={top} onReveal={onReveal} />
      <section className="panel" data-testid="findings" aria-label="findings">
        <h2>
          Findings{' '}
          {analysis ? (
            <span className="counts-inline" data-testid="findings-counts">
              <span className="sev-error">
                {SEVERITY_GLYPH.error} {counts.error.toLocaleString('en-US')} errors
              </span>{' '}
              ·{' '}
              <span className="sev-warn">
                {SEVERITY_GLYPH.warn} {counts.warn.toLocaleString('en-US')} warnings
              </span>{' '}
              · {SEVERITY_GLYPH.info} {counts.info.toLocaleString('en-US')} info
            </span>
          ) : (
            <span className="muted" data-testid="analysing">
              analysing…
            </span>
          )}
        </h2>
        <div className="filters">
          <select
            aria-label="filter by rule"
            title="Show one kind of finding only"
            data-testid="findings-rule"
            value={rule}
            onChange={(e) => setRule(e.currentTarget.value as FindingId | 'all')}
          >
            <option value="all">all rules</option>
            {FINDING_IDS.filter((id) => groups.some((g) => g.rule === id)).map((id) => (
              <option key={id} value={id}>
                {id} ({groups.find((g) => g.rule === id)?.count.toLocaleString('en-US')})
              </option>
            ))}
          </select>
          <select
            aria-label="filter by level"
            title="Show the findings of one level only"
            data-testid="findings-level"
            value={level}
            onChange={(e) => setLevel(e.currentTarget.value as Level | 'all')}
          >
            <option value="all">all levels</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
          <select
            aria-label="filter by severity"
            title="Show the findings of one severity only"
            data-testid="findings-severity"
            value={severity}
            onChange={(e) => setSeverity(e.currentTarget.value as Severity | 'all')}
          >
            <option value="all">all severities</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {analysis ? (
          <p className="muted shown" data-testid="findings-total" data-count={total}>
            {total === all
              ? `${all.toLocaleString('en-US')} findings`
              : `${total.toLocaleString('en-US')} of ${all.toLocaleString('en-US')} findings`}{' '}
            in {shown.length} group{shown.length === 1 ? '' : 's'}
          </p>
        ) : null}
        <ul className="finding-groups">
          {shown.map((g) => (
            // Filters change the key, so a group's open state and pages start afresh.
            <FindingGroupView
              key={`${g.rule}|${rule}|${level}|${severity}`}
              group={g}
              onFinding={onFinding}
              {...(onFix ? { onFix } : {})}
              onReveal={onReveal}
            />
          ))}
        </ul>
      </section>
    </>
  );
};
