// Each level's verdict for a pair, with the deciding rule and where it is written: the "why".
import type { PairVerdict } from '../analysis/types';
import { LEVEL_TITLES, LEVELS } from '../model/types';

export const PairVerdicts = ({ verdict }: { verdict: PairVerdict }) => (
  <table className="verdicts" data-testid="pair-verdicts">
    <tbody>
      {LEVELS.map((level) => {
        const v = verdict.levels[level];
        return (
          <tr key={level} className={`v-${v.verdict}`} data-testid={`verdict-${level}`} data-verdict={v.verdict}>
            <th scope="row">{LEVEL_TITLES[level]}</th>
            <td>
              <span className="verdict">{v.verdict}</span> {v.reason}
              {v.rule ? (
                <span className="rule">
                  {' '}
                  <code>{v.rule.summary}</code>
                  {v.rule.source ? (
                    <span className="where" data-testid={`source-${level}`}>
                      {' '}
                      {v.rule.source.file}:{v.rule.source.line}
                    </span>
                  ) : null}
                </span>
              ) : null}
              {v.fix ? <span className="fix">fix: {v.fix}</span> : null}
            </td>
          </tr>
        );
      })}
    </tbody>
  </table>
);
