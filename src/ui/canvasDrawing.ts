// How the store and the plan under preview reach the graph canvas: data reaches cytoscape through the adapter,
// from store subscriptions, not through React renders. GraphCanvas owns the view and hands it here.
import type { GraphView } from '../graph/adapter';
import type { ViewOptions } from '../graph/elements';
import type { PlanStore } from '../store/plan';
import type { AppState, AppStore } from '../store/store';
import { marksOf } from './previewMarks';

/** View inputs: when any of these change, the graph is redrawn (as a diff). */
const viewKeys = ['workspace', 'analysis', 'expanded', 'showExcess'] as const;

const optionsOf = (s: AppState): ViewOptions => ({
  focus: s.focus,
  analysis: s.analysis,
  expanded: s.expanded,
  showExcess: s.showExcess,
  scope: s.scope,
});

export interface CanvasDrawing {
  /** Draw the band now: `fresh` lays it out and fits it anew, otherwise it is a diff. */
  draw(fresh: boolean): void;
  destroy(): void;
}

/**
 * Draw the store's band on `view` now and on every change after. `refresh` puts back what a draw's new
 * elements lose (the keyboard cursor); `hideTip` hides the quota tooltip when a drag starts.
 */
export const drawFromStores = (
  view: GraphView,
  store: AppStore,
  plans: PlanStore,
  { refresh, hideTip }: { refresh(): void; hideTip(): void },
): CanvasDrawing => {
  // Classes the band's own classes replace: put back after a draw.
  const marks = () => {
    const s = store.getState();
    view.highlightService(s.selection.serviceId);
    if (s.search) view.search(s.search);
    refresh();
  };
  // A plan's what-if marks the graph as a drag's does, and again after each redraw (a redraw makes new elements).
  const showPlan = () => view.showPlanFeedback(marksOf(plans.getState(), store.getState()));
  const draw = (fresh: boolean) => {
    const s = store.getState();
    if (!s.workspace) return;
    // The drawing is built in tasks: the marks go on once it is in place (a plan's too).
    view.render(s.workspace, optionsOf(s), fresh, () => {
      marks();
      if (plans.getState().view) showPlan();
    });
  };
  const redraw = (state: AppState, prev: AppState) => {
    // A load, another band or another scope is a fresh drawing, laid out and fitted anew.
    // A lesson step's view is laid out anew for what the band holds now: a segment grown by the
    // step's edit gets a cell sized for its members (a kept cell is sized for the old count; its
    // services, drawn smaller, would need a zoom at which the cell is wider than the canvas).
    const step = !!state.revealOrder?.whole && state.revealOrder !== prev.revealOrder;
    if (step || state.loads !== prev.loads || state.focus !== prev.focus || state.scope !== prev.scope) draw(true);
    else if (state.analysis && viewKeys.every((k) => k === 'analysis' || state[k] === prev[k])) {
      // Only the verdicts landed: nothing moves, so the redraw goes in short tasks of its own,
      // after the panels' update, instead of one long task with it.
      if (state.analysis !== prev.analysis && state.workspace)
        view.renderInTasks(state.workspace, optionsOf(state), () => {
          marks();
          if (plans.getState().view) showPlan();
        });
    } else if (viewKeys.some((k) => state[k] !== prev[k])) draw(false);
  };
  draw(true);
  const unsubscribe = store.subscribe((state, prev) => {
    redraw(state, prev);
    if (state.revealOrder && state.revealOrder !== prev.revealOrder) {
      const order = state.revealOrder;
      view.revealAndCount(order, order.seq);
    }
    if (state.selection !== prev.selection) view.highlightService(state.selection.serviceId);
    if (state.theme !== prev.theme) view.setTheme(state.theme);
    if (state.search !== prev.search) view.search(state.search);
    if (state.drag !== prev.drag) {
      view.showDragFeedback(state.drag);
      if (state.drag) hideTip();
    }
  });
  const unsubscribePlan = plans.subscribe((state, prev) => {
    if (state.view !== prev.view) showPlan();
  });
  return {
    draw,
    destroy: () => {
      unsubscribe();
      unsubscribePlan();
    },
  };
};
