// The findings panel's filters: by rule (those present, with their counts), by level, by severity.
import type { FindingGroup } from '../analysis/finding-groups';
import { FINDING_IDS, type FindingId } from '../analysis/types';
import { LEVELS, type Level, type Severity } from '../model/types';
import { ChoiceSelect } from './ChoiceSelect';
import { type FindingFilters as Filters, SEVERITIES } from './useFindingGroups';

export const FindingsFilters = ({
  groups,
  filters: { rule, level, severity },
  onRule,
  onLevel,
  onSeverity,
}: {
  groups: readonly FindingGroup[];
  filters: Filters;
  onRule(rule: FindingId | 'all'): void;
  onLevel(level: Level | 'all'): void;
  onSeverity(severity: Severity | 'all'): void;
}) => (
  <div className="filters">
    <ChoiceSelect<FindingId | 'all'>
      label="filter by rule"
      title="Show one kind of finding only"
      testId="findings-rule"
      value={rule}
      first={{ value: 'all', text: 'all rules' }}
      options={FINDING_IDS.filter((id) => groups.some((g) => g.rule === id)).map((id) => ({
        value: id,
        text: `${id} (${groups.find((g) => g.rule === id)?.count.toLocaleString('en-US')})`,
      }))}
      onChange={onRule}
    />
    <ChoiceSelect<Level | 'all'>
      label="filter by level"
      title="Show the findings of one level only"
      testId="findings-level"
      value={level}
      first={{ value: 'all', text: 'all levels' }}
      options={LEVELS.map((l) => ({ value: l, text: l }))}
      onChange={onLevel}
    />
    <ChoiceSelect<Severity | 'all'>
      label="filter by severity"
      title="Show the findings of one severity only"
      testId="findings-severity"
      value={severity}
      first={{ value: 'all', text: 'all severities' }}
      options={SEVERITIES.map((s) => ({ value: s, text: s }))}
      onChange={onSeverity}
    />
  </div>
);
