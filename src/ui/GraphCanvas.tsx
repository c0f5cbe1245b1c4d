// The one component that owns the cytoscape instance; it never re-renders on store changes.
import { useEffect, useRef } from 'react';
import { GraphView } from '../graph/adapter';
import type { AppStore } from '../store/store';

export const GraphCanvas = ({ store, onReady }: { store: AppStore; onReady(view: GraphView): void }) => {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const view = new GraphView(ref.current, {
      onSelectService: (serviceId) => store.getState().select(serviceId ? { serviceId } : {}),
      onSelectSegment: (segmentId) => store.getState().select({ segmentId }),
      onSelectCall: (callIndex) => store.getState().select({ callIndex }),
    });
    onReady(view);
    const draw = () => {
      const { workspace, focus } = store.getState();
      if (workspace) view.render(workspace, { focus });
    };
    draw();
    // Data reaches cytoscape through the adapter, from store subscriptions, not through React renders.
    const unsubscribe = store.subscribe((state, prev) => {
      if (state.workspace !== prev.workspace || state.focus !== prev.focus) draw();
      if (state.selection !== prev.selection) view.highlightService(state.selection.serviceId);
    });
    return () => {
      unsubscribe();
      view.destroy();
    };
  }, [store, onReady]);
  return <div ref={ref} className="canvas" data-testid="graph-canvas" />;
};
