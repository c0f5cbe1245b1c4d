// The what-if panel: what a move would do before it is made — broken and restored calls, reach, quotas, findings.
import { figure, quotaNoun, subjectName, withNames } from '../analysis/wording';
import type { Consequence } from '../lessons/consequence';
import type { Workspace } from '../model/types';
import { SEVERITY_GLYPH, SEVERITY_WORD } from './reveal';

const MAX = 12;

const List = <T,>({ items, render, testid }: { items: T[]; render(t: T): string; testid: string }) => (
  <ul data-testid={testid}>
    {items.slice(0, MAX).map((t, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: a delta is immutable
      <li key={i}>{render(t)}</li>
    ))}
    {items.length > MAX ? <li className="muted">… {items.length - MAX} more</li> : null}
  </ul>
);

/** A drag's or a plan's what-if (PreviewDelta), or a lesson step's consequence: calls may come without their verdicts. */
export const DeltaSummary = ({ delta, workspace }: { delta: Consequence; workspace: Workspace }) => {
  const name = (id: string) =>
    workspace.services.find((s) => s.id === id)?.name ?? workspace.segments.find((s) => s.id === id)?.name ?? id;
  const pair = (p: { from: string; to: string; port?: number }) =>
    `${name(p.from)} → ${name(p.to)}${p.port ? `:${p.port}` : ''}`;
  return (
    <div className="delta">
      {delta.brokenCalls.length > 0 ? (
        <>
          <h3 className="bad">
            Breaks {delta.brokenCalls.length} call{delta.brokenCalls.length === 1 ? '' : 's'}
          </h3>
          <List<Consequence['brokenCalls'][number]>
            testid="delta-broken"
            items={delta.brokenCalls}
            render={(c) => {
              const level = c.deniedBy[0];
              const rule = level ? c.verdict?.levels[level].rule : undefined;
              const why = rule ? ` (${withNames(rule.summary, name(c.from), name(c.to))})` : '';
              return `${pair(c)} — denied at ${c.deniedBy.join(', ')}${why}`;
            }}
          />
        </>
      ) : (
        <p className="ok" data-testid="delta-no-breaks">
          No required call breaks.
        </p>
      )}
      {delta.restoredCalls.length > 0 ? (
        <>
          <h3 className="ok">Restores {delta.restoredCalls.length}</h3>
          <List testid="delta-restored" items={delta.restoredCalls} render={pair} />
        </>
      ) : null}
      {delta.openedPairs.length + delta.closedPairs.length > 0 ? (
        <p data-testid="delta-reach">
          Reach: <span className="warn">+{delta.openedPairs.length} opened</span> ·{' '}
          <span className="ok">−{delta.closedPairs.length} closed</span>
          {delta.openedPairs.length > 0 ? ` (e.g. ${delta.openedPairs.slice(0, 3).map(pair).join(', ')})` : ''}
        </p>
      ) : null}
      {delta.quota.length > 0 ? (
        <>
          <h3>Quotas</h3>
          <List<Consequence['quota'][number]>
            testid="delta-quota"
            items={delta.quota}
            render={(q) => {
              const who = q.subject.kind === 'workspace' ? subjectName(q.subject.id) : name(q.subject.id);
              const mark = q.state === 'error' ? ' ▲ over the limit' : q.state === 'warn' ? ' △ ≥ 80 %' : '';
              return `${who}: ${figure(q.before)} → ${figure(q.after)} of ${figure(q.limit)} ${quotaNoun(q.quota, q.label)}${mark}`;
            }}
          />
        </>
      ) : null}
      {delta.findingsAdded.length > 0 ? (
        <>
          <h3 className="warn">New findings</h3>
          <List
            testid="delta-findings-added"
            items={delta.findingsAdded}
            render={(f) => `${SEVERITY_GLYPH[f.severity]} ${SEVERITY_WORD[f.severity]} ${f.id}: ${f.message}`}
          />
        </>
      ) : null}
      {delta.findingsRemoved.length > 0 ? (
        <>
          <h3 className="ok">Findings resolved</h3>
          <List<Consequence['findingsRemoved'][number]>
            testid="delta-findings-removed"
            items={delta.findingsRemoved}
            render={(f) => `${f.id}: ${f.message}`}
          />
        </>
      ) : null}
    </div>
  );
};
