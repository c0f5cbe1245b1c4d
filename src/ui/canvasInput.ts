// The graph canvas' input wired to the store: the keyboard cursor, the service drag, the canvas' name.
// GraphCanvas owns the cytoscape instance and hands it here; these only bind to it.
import type { GraphView } from '../graph/adapter';
import { DragController } from '../graph/drag';
import { CanvasKeys } from '../graph/keyboard';
import type { AppStore } from '../store/store';
import { canvasLabel, describeCursor } from './canvasWords';

/** Open or fold a unit (a click, or Enter on the keyboard cursor). */
export const toggleUnit = (view: GraphView, store: AppStore, key: string) => {
  const opening = !view.isOpen(key);
  store.getState().setExpanded(view.foldChange(store.getState().expanded, key, opening));
  if (opening) view.frameOpened(key);
};

export interface CanvasInput {
  /** Put the cursor back on its node after a draw made new elements. */
  refresh(): void;
  destroy(): void;
}

/** Keys, drag and the accessible name of `canvas`, reporting to the store; `say` is the live region for the cursor. */
export const bindCanvasInput = (
  view: GraphView,
  canvas: HTMLElement,
  store: AppStore,
  say: { readonly current: HTMLElement | null },
): CanvasInput => {
  const keys = new CanvasKeys(view.cy, canvas, {
    onSelectService: (serviceId) => store.getState().select({ serviceId }),
    onSelectSegment: (segmentId) => store.getState().select({ segmentId }),
    onToggleUnit: (key) => toggleUnit(view, store, key),
    onClear: () => store.getState().select({}),
    onCursor: (node) => {
      if (say.current) say.current.textContent = describeCursor(store.getState(), node);
    },
    selectedService: () => store.getState().selection.serviceId,
  });
  const drag = new DragController(view.cy, canvas.parentElement ?? canvas, {
    onStart: (info) => store.getState().dragStart(info),
    onTarget: (target, mode) => store.getState().dragTarget(target, mode),
    onDrop: () => store.getState().dragDrop(),
    onCancel: () => store.getState().dragCancel(),
  });
  canvas.setAttribute('aria-label', canvasLabel(store.getState()));
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.focus !== prev.focus) canvas.setAttribute('aria-label', canvasLabel(state));
  });
  return {
    refresh: () => keys.refresh(),
    destroy: () => {
      unsubscribe();
      drag.destroy();
      keys.destroy();
    },
  };
};
