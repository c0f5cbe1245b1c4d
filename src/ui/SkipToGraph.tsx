// The first stop of Tab: straight to the drawing, past the toolbar and the findings.
import type { RefObject } from 'react';

export const SkipToGraph = ({ center }: { center: RefObject<HTMLElement | null> }) => (
  <button
    type="button"
    className="skip-link"
    data-testid="skip-to-graph"
    onClick={() => center.current?.querySelector<HTMLElement>('[data-testid="graph-canvas"]')?.focus()}
  >
    Skip to the graph (arrow keys walk its services)
  </button>
);
