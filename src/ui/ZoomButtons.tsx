// The canvas's zoom buttons: in, out and fit, in the corner's row beside the legend and map toggles.
import type { GraphView } from '../graph/adapter';

export const ZoomButtons = ({ view }: { view: GraphView | undefined }) => (
  <div className="zoom">
    <button type="button" data-testid="zoom-in" title="Zoom in" aria-label="zoom in" onClick={() => view?.zoomBy(1.25)}>
      +
    </button>
    <button
      type="button"
      data-testid="zoom-out"
      title="Zoom out"
      aria-label="zoom out"
      onClick={() => view?.zoomBy(0.8)}
    >
      −
    </button>
    <button type="button" data-testid="fit" title="Fit to view" aria-label="fit to view" onClick={() => view?.fit()}>
      ⤢
    </button>
  </div>
);
