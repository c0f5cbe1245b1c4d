// The findings panel's heading: how many errors, warnings and info the analysis found, or that it is still running.
import type { Severity } from '../model/types';
import { SEVERITY_GLYPH } from './reveal';

export const FindingsCounts = ({ counts, analysed }: { counts: Record<Severity, number>; analysed: boolean }) => (
  <h2>
    Findings{' '}
    {analysed ? (
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
);
