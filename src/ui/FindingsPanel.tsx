// The findings panel: every finding by severity and level, filterable; a click focuses its subjects.
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { Finding } from '../analysis/types';
import { LEVELS, type Level, type Severity } from '../model/types';
import type { AppStore } from '../store/store';

const SEVERITIES: Severity[] = ['error', 'warn', 'info'];
const RANK: Record<Severity, number> = { error: 0, warn: 1, info: 2 };
const SHOWN = 300;

export const FindingsPanel = ({ store, onFocus }: { store: AppStore; onFocus(f: Finding): void }) => {
  const analysis = useStore(store, (s) => s.analysis);
  const hasWorkspace = useStore(store, (s) => s.workspace !== null);
  const [level, setLevel] = useState<Level | 'all'>('all');
  const [severity, setSeverity] = useState<Severity | 'all'>('all');
  const findings = useMemo(
    () =>
      (analysis?.findings ?? [])
        .filter((f) => (level === 'all' || f.level === level) && (severity === 'all' || f.severity === severity))
        .sort((a, b) => RANK[a.severity] - RANK[b.severity]),
    [analysis, level, severity],
  );
  const counts = useMemo(() => {
    const c: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
    for (const f of analysis?.findings ?? []) c[f.severity]++;
    return c;
  }, [analysis]);
  if (!hasWorkspace) return null;
  return (
    <section className="panel" data-testid="findings" aria-label="findings">
      <h2>
        Findings{' '}
        {analysis ? (
          <span className="counts-inline">
            <span className="sev-error">{counts.error} errors</span> ·{' '}
            <span className="sev-warn">{counts.warn} warnings</span> · {counts.info} info
          </span>
        ) : (
          <span className="muted" data-testid="analysing">
            analysing…
          </span>
        )}
      </h2>
      <div className="filters">
        <select
          aria-label="filter by level"
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
      <ul className="finding-list">
        {findings.slice(0, SHOWN).map((f) => (
          <li key={f.key}>
            <button
              type="button"
              className={`finding sev-${f.severity}`}
              data-testid="finding"
              data-finding={f.id}
              onClick={() => onFocus(f)}
            >
              <span className="sev">{f.severity}</span> <span className="fid">{f.id}</span>
              {f.level ? <span className="flevel"> · {f.level}</span> : null}
              <span className="fmsg">{f.message}</span>
            </button>
          </li>
        ))}
      </ul>
      {findings.length > SHOWN ? <p className="muted">{findings.length - SHOWN} more — narrow the filters.</p> : null}
    </section>
  );
};
