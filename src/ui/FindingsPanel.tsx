// The findings panel: Top problems first, then findings grouped by rule and segment (pair), filterable by rule, level, severity.
import { useState } from 'react';
import type { Finding, FindingId } from '../analysis/types';
import type { Level, Severity } from '../model/types';
import type { AppStore } from '../store/store';
import { FindingGroupView } from './FindingGroups';
import { FindingsCounts } from './FindingsCounts';
import { FindingsFilters } from './FindingsFilters';
import type { Reveal } from './reveal';
import { TopProblems } from './TopProblems';
import { useFindingGroups } from './useFindingGroups';

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
  const [rule, setRule] = useState<FindingId | 'all'>('all');
  const [level, setLevel] = useState<Level | 'all'>('all');
  const [severity, setSeverity] = useState<Severity | 'all'>('all');
  const { workspace, analysis, groups, top, shown, counts } = useFindingGroups(store, { rule, level, severity });
  if (!workspace) return null;
  const total = shown.reduce((n, g) => n + g.count, 0);
  const all = counts.error + counts.warn + counts.info;
  return (
    <>
      <TopProblems sections={top} onReveal={onReveal} />
      <section className="panel" data-testid="findings" aria-label="findings">
        <FindingsCounts counts={counts} analysed={!!analysis} />
        <FindingsFilters
          groups={groups}
          filters={{ rule, level, severity }}
          onRule={setRule}
          onLevel={setLevel}
          onSeverity={setSeverity}
        />
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
