// One rule's findings as a collapsible group of segment (pair) subgroups, rendered only when opened and in pages.
import { useState } from 'react';
import { type FindingGroup, type FindingSubgroup, severityCounts } from '../analysis/finding-groups';
import type { Finding } from '../analysis/types';
import { fixable } from '../synthesize/fixable';
import { type Reveal, SEVERITY_GLYPH, SEVERITY_WORD } from './reveal';

/** Rows drawn at once; "show more" adds as many again (a 10,000-finding group stays cheap). */
const PAGE = 25;
/** Groups this small open their subgroups at once: one click shows every finding. */
const SMALL_GROUP = 20;
/** Places (segments or pairs) a group's click frames. */
const REVEAL_PLACES = 5;

const subjectsOf = (subs: readonly FindingSubgroup[]) => {
  const segmentIds = [...new Set(subs.flatMap((s) => s.segments))];
  const level = subs.find((s) => s.level)?.level;
  return level ? { segmentIds, level } : { segmentIds };
};

const More = ({ left, onMore }: { left: number; onMore(): void }) =>
  left > 0 ? (
    <li>
      <button type="button" className="link more" onClick={onMore}>
        show {Math.min(left, PAGE)} more of {left.toLocaleString('en-US')}
      </button>
    </li>
  ) : null;

const FindingRow = ({ f, onFinding, onFix }: { f: Finding; onFinding(f: Finding): void; onFix?(f: Finding): void }) => (
  <li className="finding-row">
    <button
      type="button"
      className={`finding sev-${f.severity}`}
      data-testid="finding"
      data-finding={f.id}
      title="Show it in the graph"
      onClick={() => onFinding(f)}
    >
      <span className="sev">
        <span aria-hidden="true">{SEVERITY_GLYPH[f.severity]}</span> {SEVERITY_WORD[f.severity]}
      </span>
      {f.level ? <span className="flevel"> · {f.level}</span> : null}
      <span className="fmsg">{f.message}</span>
    </button>
    {onFix && fixable(f) ? (
      <button
        type="button"
        className="fix-button"
        data-testid="finding-fix"
        title="Fixes for this finding, ranked, each previewed before it is applied"
        onClick={() => onFix(f)}
      >
        Fix…
      </button>
    ) : null}
  </li>
);

/** What a group and a subgroup do with their findings: select one, fix one, reveal their places. */
interface FindingHandlers {
  onFinding(f: Finding): void;
  onFix?(f: Finding): void;
  onReveal: Reveal;
}

const Subgroup = ({
  sub,
  open: initiallyOpen,
  onFinding,
  onFix,
  onReveal,
}: FindingHandlers & { sub: FindingSubgroup; open: boolean }) => {
  const [open, setOpen] = useState(initiallyOpen);
  const [shown, setShown] = useState(PAGE);
  return (
    <li className="finding-subgroup">
      <button
        type="button"
        className={`sub-head sev-${sub.severity}`}
        data-testid="finding-subgroup"
        data-count={sub.findings.length}
        aria-expanded={open}
        title={sub.kind === 'none' ? 'Show these findings' : `Show ${sub.label} in the graph and list its findings`}
        onClick={() => {
          setOpen(!open);
          if (!open && sub.segments.length > 0) onReveal(subjectsOf([sub]));
        }}
      >
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {sub.label}
        {sub.level && sub.kind !== 'none' ? <span className="muted"> ({sub.level})</span> : null}
        <span className="count"> {sub.findings.length.toLocaleString('en-US')}</span>
      </button>
      {open ? (
        <ul className="finding-list">
          {sub.findings.slice(0, shown).map((f) => (
            <FindingRow key={f.key} f={f} onFinding={onFinding} {...(onFix ? { onFix } : {})} />
          ))}
          <More left={sub.findings.length - shown} onMore={() => setShown(shown + PAGE)} />
        </ul>
      ) : null}
    </li>
  );
};

export const FindingGroupView = ({ group, onFinding, onFix, onReveal }: FindingHandlers & { group: FindingGroup }) => {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const small = group.count <= SMALL_GROUP;
  return (
    <li className={`finding-group sev-${group.severity}`}>
      <button
        type="button"
        className="group-head"
        data-testid="finding-group"
        data-rule={group.rule}
        data-count={group.count}
        aria-expanded={open}
        title={`${open ? 'Fold' : 'Open'} the ${group.rule} findings, by ${group.subgroups[0]?.kind === 'pair' ? 'segment pair' : 'segment'}`}
        onClick={() => {
          setOpen(!open);
          // Opening a group frames its worst places (a group of thousands cannot all be framed readably).
          const top = group.subgroups.slice(0, REVEAL_PLACES).filter((s) => s.segments.length > 0);
          if (!open && top.length > 0) onReveal(subjectsOf(top));
        }}
      >
        <span className="sev">
          <span aria-hidden="true">{SEVERITY_GLYPH[group.severity]}</span>
        </span>{' '}
        <span className="fid">{group.rule}</span> · {group.summary}
        <span className="group-sev">{severityCounts(group.bySeverity)}</span>
      </button>
      {open ? (
        <ul className="subgroups">
          {group.subgroups.slice(0, shown).map((s) => (
            <Subgroup
              key={s.key}
              sub={s}
              open={small}
              onFinding={onFinding}
              {...(onFix ? { onFix } : {})}
              onReveal={onReveal}
            />
          ))}
          <More left={group.subgroups.length - shown} onMore={() => setShown(shown + PAGE)} />
        </ul>
      ) : null}
    </li>
  );
};
