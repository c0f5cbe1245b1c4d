// The plan under review, docked at the top of the right panel: a finding's fixes, a tightened level, a proposal step by step.
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { figure } from '../analysis/wording';
import type { Workspace } from '../model/types';
import type { PlanStore, PlanView } from '../store/plan';
import type { AppStore } from '../store/store';
import type { FixOffer, PlanOffer } from '../synthesize/offers';
import type { SegmentationFigures } from '../synthesize/segmentation';
import { DeltaSummary } from './DeltaPanel';

/** Lines of a plan shown at once (a tightened level at scale is thousands of changes). */
const LINES = 8;

/** What the worker is still computing for the plan. */
const Pending = ({ children }: { children: ReactNode }) => (
  <p className="muted" data-testid="plan-pending">
    {children}
  </p>
);

const Lines = ({ offer }: { offer: PlanOffer }) => (
  <details className="plan-lines">
    <summary>
      {offer.lines.length.toLocaleString('en-US')} change{offer.lines.length === 1 ? '' : 's'}
    </summary>
    <ol data-testid="plan-lines">
      {offer.lines.slice(0, LINES).map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a plan is immutable
        <li key={i}>{l}</li>
      ))}
      {offer.lines.length > LINES ? <li className="muted">… {offer.lines.length - LINES} more</li> : null}
    </ol>
  </details>
);

const fixFacts = (f: FixOffer): string =>
  [
    f.closes ? '✓ closes it' : '✕ leaves it open',
    f.broken > 0 ? `breaks ${f.broken}` : '',
    f.problems.length > 0 ? `▲ ${f.problems.length} new problem${f.problems.length === 1 ? '' : 's'}` : '',
    f.resolved > 0 ? `${f.resolved} other${f.resolved === 1 ? '' : 's'} resolved` : '',
    `+${f.opened} reach`,
    `${f.rules} rule${f.rules === 1 ? '' : 's'}`,
    f.levels.join(', '),
  ]
    .filter(Boolean)
    .join(' · ');

/** What the chosen fix creates or worsens beyond its finding: what its rank weighed against what it resolves. */
const Problems = ({ fix }: { fix: FixOffer }) =>
  fix.problems.length === 0 ? (
    <p className="ok" data-testid="fix-no-problems">
      Creates no new problem{fix.resolved > 0 ? `; resolves ${fix.resolved} other${fix.resolved === 1 ? '' : 's'}` : ''}
      .
    </p>
  ) : (
    <>
      <h3 className="warn">
        Creates {fix.problems.length} new problem{fix.problems.length === 1 ? '' : 's'}
        {fix.resolved > 0 ? `, resolves ${fix.resolved} other${fix.resolved === 1 ? '' : 's'}` : ''}
      </h3>
      <ul data-testid="fix-problems">
        {fix.problems.map((p) => (
          <li key={p.key} className={p.severity === 'error' ? 'bad' : 'warn'}>
            {p.severity === 'error' ? '▲' : '△'} {p.text}
          </li>
        ))}
      </ul>
    </>
  );

const Fixes = ({
  view,
  plans,
  ws,
}: {
  view: Extract<PlanView, { kind: 'fixes' }>;
  plans: PlanStore;
  ws: Workspace;
}) => {
  if (!view.offers) return <Pending>finding fixes…</Pending>;
  if (view.offers.length === 0) return <p data-testid="plan-none">No fix found for this finding.</p>;
  const chosen = view.offers[view.chosen];
  return (
    <>
      <ol className="fix-options">
        {view.offers.map((f, i) => (
          <li key={f.title}>
            <button
              type="button"
              className={`fix-option${i === view.chosen ? ' chosen' : ''}`}
              data-testid="fix-option"
              aria-pressed={i === view.chosen}
              title="Preview this fix"
              onClick={() => plans.getState().choose(i)}
            >
              <span className="fix-title">{f.title}</span>
              <span className={`fix-facts ${f.closes && f.broken === 0 && f.problems.length === 0 ? 'ok' : 'warn'}`}>
                {fixFacts(f)}
              </span>
            </button>
          </li>
        ))}
      </ol>
      {chosen ? (
        <>
          <Lines offer={chosen} />
          <Problems fix={chosen} />
          <DeltaSummary delta={chosen.delta} workspace={ws} />
        </>
      ) : null}
    </>
  );
};

const Tighten = ({ view, ws }: { view: Extract<PlanView, { kind: 'tighten' }>; ws: Workspace }) => {
  const o = view.offer;
  if (!o) return <Pending>synthesizing the {view.level} rules…</Pending>;
  return (
    <>
      <p data-testid="plan-figures">
        Rules: <span className="ok">+{figure(o.added)} added</span> · <span>−{figure(o.removed)} removed</span>
        {o.overQuota.length > 0 ? (
          <span className="bad"> · ▲ {o.overQuota.length} segments over their quota</span>
        ) : null}
      </p>
      {o.granularity === 'segment' ? (
        <p className="muted">This level allows whole segments: members share what one of them needs.</p>
      ) : null}
      <Lines offer={o} />
      <DeltaSummary delta={o.delta} workspace={ws} />
    </>
  );
};

const Figures = ({ before, after }: { before: SegmentationFigures; after: SegmentationFigures }) => (
  <table className="plan-figures" data-testid="plan-figures">
    <thead>
      <tr>
        <th />
        <th>now</th>
        <th>proposed</th>
      </tr>
    </thead>
    <tbody>
      {(
        [
          ['segments', 'segments'],
          ['reach never called', 'excessPairs'],
          ['rules (one per segment pair)', 'rules'],
          ['busiest segment, inbound rules', 'maxInbound'],
        ] as const
      ).map(([label, key]) => (
        <tr key={key}>
          <th>{label}</th>
          <td>{figure(before[key])}</td>
          <td>{figure(after[key])}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

const Proposal = ({ view, ws }: { view: Extract<PlanView, { kind: 'proposal' }>; ws: Workspace }) => {
  const o = view.offer;
  if (!o) return <Pending>proposing a {view.level} segmentation…</Pending>;
  const step = o.steps[view.step];
  const total = o.steps.length;
  return (
    <>
      <Figures before={o.before} after={o.after} />
      {o.notes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
      <p className="plan-step" data-testid="plan-step" data-step={view.step} data-steps={total}>
        {step ? (
          <>
            Move {figure(view.step + 1)} of {figure(total)}: <strong>{step.label}</strong>
          </>
        ) : (
          `All ${figure(total)} moves applied: undo takes them back.`
        )}
      </p>
      {step ? view.delta ? <DeltaSummary delta={view.delta} workspace={ws} /> : <Pending>computing…</Pending> : null}
    </>
  );
};

export const PlanPanel = ({ plans, store }: { plans: PlanStore; store: AppStore }) => {
  const view = useStore(plans, (s) => s.view);
  const error = useStore(plans, (s) => s.error);
  const ws = useStore(store, (s) => s.workspace);
  if (!view || !ws) return null;
  const title =
    view.kind === 'fixes'
      ? `Fix: ${view.finding.message}`
      : view.kind === 'tighten'
        ? `Tighten the ${view.level} level`
        : `Proposed ${view.level} segmentation`;
  const ready = view.kind === 'fixes' ? (view.offers?.length ?? 0) > 0 : view.offer !== null;
  const proposal = view.kind === 'proposal' ? view : null;
  const left = proposal?.offer ? proposal.offer.steps.length - proposal.step : 0;
  return (
    <section className="plan-panel" data-testid="plan-panel" data-kind={view.kind} aria-label="plan" aria-live="polite">
      <h2>
        <span className="what-if">What-if</span> {title}
      </h2>
      {error ? (
        <p className="bad" role="alert" data-testid="plan-error">
          {error}
        </p>
      ) : null}
      {view.kind === 'fixes' ? <Fixes view={view} plans={plans} ws={ws} /> : null}
      {view.kind === 'tighten' ? <Tighten view={view} ws={ws} /> : null}
      {proposal ? <Proposal view={proposal} ws={ws} /> : null}
      <div className="plan-actions">
        {proposal ? (
          <button
            type="button"
            data-testid="plan-back"
            disabled={proposal.applied.length === 0}
            title="Undo the last move applied from this proposal"
            onClick={() => void plans.getState().back()}
          >
            ← Back
          </button>
        ) : null}
        <button
          type="button"
          className="primary"
          data-testid="plan-apply"
          disabled={!ready || (proposal !== null && left === 0)}
          title="Apply as one step (undo takes it back)"
          onClick={() => void plans.getState().apply()}
        >
          {proposal ? 'Apply this move' : 'Apply'}
        </button>
        {proposal && left > 1 ? (
          <button
            type="button"
            data-testid="plan-apply-rest"
            title="Apply every remaining move as one step"
            onClick={() => void plans.getState().applyRest()}
          >
            Apply the {figure(left)} left
          </button>
        ) : null}
        <button type="button" data-testid="plan-close" onClick={() => plans.getState().close()}>
          Close
        </button>
      </div>
    </section>
  );
};
