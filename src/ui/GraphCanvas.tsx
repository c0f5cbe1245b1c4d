// The one component that owns the cytoscape instance; it never re-renders on store changes.
import { useCallback, useEffect, useRef } from 'react';
import { GraphView } from '../graph/adapter';
import type { PlanStore } from '../store/plan';
import type { AppStore } from '../store/store';
import { BandStrips } from './BandStrips';
import { drawFromStores } from './canvasDrawing';
import { bindCanvasInput, toggleUnit } from './canvasInput';
import { showQuotaTooltip } from './quotaTooltip';
import './canvas.css';

export const GraphCanvas = ({
  store,
  plans,
  onReady,
}: {
  store: AppStore;
  plans: PlanStore;
  onReady(view: GraphView): void;
}) => {
  const ref = useRef<HTMLDivElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const sayRef = useRef<HTMLParagraphElement>(null);
  const viewRef = useRef<GraphView | undefined>(undefined);
  // Strips move between above and below the canvas with the focus: cytoscape must learn where it is.
  const onLayout = useCallback(() => viewRef.current?.cy.resize(), []);
  // The view is made, wired and drawn here, and taken down in the reverse order; the wiring lives by concern in
  // canvasInput.ts (keys, drag, name) and canvasDrawing.ts (store and plan → drawing).
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const view = new GraphView(
      canvas,
      {
        onSelectService: (serviceId) => store.getState().select(serviceId ? { serviceId } : {}),
        onSelectSegment: (segmentId) => store.getState().select({ segmentId }),
        onSelectCall: (callIndex) => store.getState().select({ callIndex }),
        onToggleUnit: (key) => toggleUnit(view, store, key),
        onHoverSegment: (segmentId, at) => {
          // No tooltip while dragging: the delta panel speaks then.
          const state = store.getState();
          if (tipRef.current) showQuotaTooltip(tipRef.current, state, state.drag ? undefined : segmentId, at);
        },
      },
      store.getState().theme,
    );
    viewRef.current = view;
    onReady(view);
    const input = bindCanvasInput(view, canvas, store, sayRef);
    const drawing = drawFromStores(view, store, plans, {
      refresh: input.refresh,
      hideTip: () => {
        if (tipRef.current) tipRef.current.hidden = true;
      },
    });
    const resize = new ResizeObserver(() => view.resized(() => drawing.draw(true)));
    resize.observe(canvas);
    return () => {
      resize.disconnect();
      drawing.destroy();
      input.destroy();
      view.destroy();
    };
  }, [store, plans, onReady]);
  return (
    <div className="band-view" data-testid="band-view">
      <BandStrips store={store} side="above" onLayout={onLayout} />
      <BandStrips store={store} side="title" />
      {/* The canvas takes focus: arrows walk the band's services (src/graph/keyboard.ts). */}
      <div
        ref={ref}
        className="canvas"
        data-testid="graph-canvas"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: an application region with keys of its own
        tabIndex={0}
        role="application"
        aria-roledescription="graph"
      />
      <p ref={sayRef} className="sr-only" aria-live="polite" data-testid="canvas-cursor" />
      <BandStrips store={store} side="below" />
      <div ref={tipRef} className="tooltip" data-testid="quota-tooltip" hidden />
    </div>
  );
};
