// Top problems: the first lines of the left panel — limits crossed, most-broken segment pairs, biggest hubs; each reveals on click.
import type { TopProblemsSection } from '../analysis/top-problems';
import type { Reveal } from './reveal';

const HEADINGS: Record<TopProblemsSection['kind'], string> = {
  quota: 'Over a quota',
  'quota-warn': 'Near a quota (≥ 80 %)',
  'broken-pair': 'Most broken calls',
  hub: 'Hubs: most callers',
  'group-hub': 'Hub groups: most referenced',
};

export const TopProblems = ({ sections, onReveal }: { sections: TopProblemsSection[]; onReveal: Reveal }) => {
  if (sections.length === 0) return null;
  return (
    <section className="panel top-problems" data-testid="top-problems" aria-label="top problems">
      <h2>Top problems</h2>
      {sections.map((s) => (
        <div key={s.kind} className={`top-section top-${s.kind}`}>
          <h3>
            {HEADINGS[s.kind]}
            {s.more > 0 ? (
              <span className="top-count" title={`${s.more.toLocaleString('en-US')} more in Findings below`}>
                {' '}
                · top {s.items.length} of {(s.items.length + s.more).toLocaleString('en-US')}
              </span>
            ) : null}
          </h3>
          <ul>
            {s.items.map((p) => (
              <li key={p.text}>
                <button
                  type="button"
                  className={`top-item sev-${p.severity}`}
                  data-testid="top-problem"
                  data-kind={p.kind}
                  title={`Show ${p.text.split(':')[0]} in the graph`}
                  onClick={() =>
                    onReveal({ serviceIds: p.services, segmentIds: p.segments, ...(p.level ? { level: p.level } : {}) })
                  }
                >
                  <span className="glyph" aria-hidden="true">
                    {p.glyph}
                  </span>{' '}
                  {p.text}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
};
