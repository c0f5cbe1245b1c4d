// Beside the canvas during a lesson: what the step's edit would do or did, and where the lesson's finding stands now.
import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { Finding } from '../analysis/types';
import type { Consequence } from '../lessons/consequence';
import type { Workspace } from '../model/types';
import type { LessonStore } from '../store/lesson';
import type { AppStore } from '../store/store';
import { DeltaSummary } from './DeltaPanel';

const MAX_LINES = 5;

/** The consequence in a few large lines a room can read: what breaks, what is restored, which findings come and go. */
const ConsequenceLines = ({ delta, workspace }: { delta: Consequence; workspace: Workspace }) => {
  const name = (id: string) =>
    workspace.services.find((s) => s.id === id)?.name ?? workspace.segments.find((s) => s.id === id)?.name ?? id;
  const about = (f: { services: string[]; segments: string[] }) => {
    const subjects = [...f.segments, ...f.services].slice(0, 2).map(name);
    return subjects.length > 0 ? ` (${subjects.join(', ')})` : '';
  };
  // One line per pair: a pair called on several ports (or without one) is one thing to a room.
  const pairs = (calls: Consequence['brokenCalls'], say: (c: Consequence['brokenCalls'][number]) => string) => [
    ...new Map(calls.map((c) => [`${c.from}>${c.to}`, say(c)])).values(),
  ];
  const lines: { cls: string; text: string }[] = [
    ...pairs(delta.brokenCalls, (c) => `✕ breaks ${name(c.from)} → ${name(c.to)} at ${c.deniedBy.join(', ')}`).map(
      (text) => ({ cls: 'bad', text }),
    ),
    ...pairs(delta.restoredCalls, (c) => `✓ restores ${name(c.from)} → ${name(c.to)}`).map((text) => ({
      cls: 'ok',
      text,
    })),
    ...delta.findingsRemoved
      .filter((f) => f.id !== 'broken-call' && f.id !== 'excess-reach')
      .map((f) => ({ cls: 'ok', text: `− ${f.id}${about(f)}` })),
    ...delta.findingsAdded
      .filter((f) => f.id !== 'broken-call' && f.id !== 'excess-reach')
      .map((f) => ({ cls: 'warn', text: `+ ${f.id}${about(f)}` })),
    ...(delta.openedPairs.length > 0
      ? [{ cls: 'warn', text: `+ ${delta.openedPairs.length} path${delta.openedPairs.length === 1 ? '' : 's'} opened` }]
      : []),
    ...(delta.closedPairs.length > 0
      ? [{ cls: 'ok', text: `− ${delta.closedPairs.length} path${delta.closedPairs.length === 1 ? '' : 's'} closed` }]
      : []),
  ];
  // Two findings of one kind about the same subjects read the same: say it once.
  const unique = [...new Map(lines.map((l) => [l.text, l])).values()];
  if (unique.length === 0) unique.push({ cls: 'ok', text: 'No call breaks, no finding changes.' });
  return (
    <ul className="consequence-lines" data-testid="lesson-consequence-lines">
      {unique.slice(0, MAX_LINES).map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a consequence is immutable
        <li key={i} className={l.cls}>
          {l.text}
        </li>
      ))}
      {unique.length > MAX_LINES ? <li className="muted">… {unique.length - MAX_LINES} more</li> : null}
    </ul>
  );
};

const SEVERITY: Record<Finding['severity'], string> = { error: '▲', warn: '△', info: '·' };
const MAX_FINDINGS = 2;

/** The lesson's finding at this moment, those about what the step shows first: present, or gone. */
const FindingNow = ({ lessons, store }: { lessons: LessonStore; store: AppStore }) => {
  const active = useStore(lessons, (s) => s.active);
  const analysis = useStore(store, (s) => s.analysis);
  const id = active?.story.finding;
  const selected = useStore(store, (s) => s.selection.serviceId);
  const workspace = useStore(store, (s) => s.workspace);
  const found = useMemo(() => {
    // What the step shows: the selected service and the segments it sits in.
    const shown = new Set<string>(selected ? [selected] : []);
    const svc = selected ? workspace?.services.find((s) => s.id === selected) : undefined;
    for (const ids of Object.values(svc?.memberships ?? {})) for (const x of ids ?? []) shown.add(x);
    const about = (f: Finding) => ([...f.services, ...f.segments].some((x) => shown.has(x)) ? 0 : 1);
    return (analysis?.findings ?? []).filter((f) => f.id === id).sort((a, b) => about(a) - about(b));
  }, [analysis, id, selected, workspace]);
  if (!active || !analysis) return null;
  return (
    <section className="finding-now" data-testid="lesson-finding" data-count={found.length}>
      <h3>{id}</h3>
      {found.length === 0 ? (
        <p className="ok">none now</p>
      ) : (
        <ul>
          {found.slice(0, MAX_FINDINGS).map((f) => (
            <li key={f.key} className={`sev-${f.severity}`}>
              {SEVERITY[f.severity]} {f.message}
            </li>
          ))}
          {found.length > MAX_FINDINGS ? <li className="muted">and {found.length - MAX_FINDINGS} more</li> : null}
        </ul>
      )}
    </section>
  );
};

export const LessonAside = ({ lessons, store }: { lessons: LessonStore; store: AppStore }) => {
  const active = useStore(lessons, (s) => s.active);
  const presenting = useStore(lessons, (s) => s.presenting);
  const consequence = useStore(lessons, (s) => s.consequence);
  if (!active) return null;
  return (
    <aside className="lesson-aside" data-testid="lesson-aside" aria-live="polite">
      {consequence ? (
        <section className="lesson-consequence" data-testid="lesson-consequence">
          <h3>{consequence.kind === 'preview' ? `What-if: ${consequence.label}` : `Done: ${consequence.label}`}</h3>
          {presenting ? (
            <ConsequenceLines delta={consequence.delta} workspace={consequence.workspace} />
          ) : (
            <DeltaSummary delta={consequence.delta} workspace={consequence.workspace} />
          )}
        </section>
      ) : null}
      <FindingNow lessons={lessons} store={store} />
    </aside>
  );
};
