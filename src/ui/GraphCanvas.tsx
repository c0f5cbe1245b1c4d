// The one component that owns the cytoscape instance; it never re-renders on store changes.
import type { NodeSingular } from 'cytoscape';
import { useCallback, useEffect, useRef } from 'react';
import { GraphView } from '../graph/adapter';
import { DragController } from '../graph/drag';
import { quotaBySegment } from '../graph/elements';
import { CanvasKeys } from '../graph/keyboard';
import { type PlanMarks, planMarks } from '../graph/plan-marks';
import { LEVEL_TITLES } from '../model/types';
import type { PlanState, PlanStore } from '../store/plan';
import type { AppState, AppStore } from '../store/store';
import { BandStrips } from './BandStrips';
import './canvas.css';

/** What the keyboard cursor is on, in words (read by screen readers from a live region). */
const describeCursor = (state: AppState, node: NodeSingular | undefined): string => {
  if (!node) return '';
  const seg = state.workspace?.segments.find((s) => s.id === node.data('segmentId'));
  const where = `${seg?.name ?? 'no segment'}, ${LEVEL_TITLES[state.focus]} band`;
  if (node.data('kind') !== 'service') {
    const name = String(node.data('label') ?? '').split('\n')[0];
    return `${name}, ${LEVEL_TITLES[state.focus]} band: ${node.data('members')} services. Enter opens or folds it.`;
  }
  const svc = state.workspace?.services.find((s) => s.id === node.data('serviceId'));
  return `${svc?.name ?? node.data('serviceId')} in ${where}. Enter selects, M moves, Escape clears.`;
};

/** View inputs: when any of these change, the graph is redrawn (as a diff). */
const viewKeys = ['workspace', 'analysis', 'expanded', 'showExcess'] as const;

/** Fill the quota tooltip with text nodes only (labels are data, never HTML). */
const showQuotaTooltip = (
  tip: HTMLDivElement,
  state: AppState,
  segmentId: string | undefined,
  at: { x: number; y: number },
) => {
  const uses = segmentId ? quotaBySegment(state.analysis).get(segmentId) : undefined;
  const seg = segmentId ? state.workspace?.segments.find((s) => s.id === segmentId) : undefined;
  if (!seg || !uses || uses.length === 0) {
    tip.hidden = true;
    return;
  }
  tip.replaceChildren();
  const title = document.createElement('strong');
  title.textContent = seg.name;
  tip.append(title);
  for (const q of uses) {
    const line = document.createElement('div');
    line.className = `q-${q.state}`;
    line.textContent = `${q.label}: ${q.used} / ${q.limit} (${Math.round((q.used / q.limit) * 100)} %)`;
    tip.append(line);
  }
  tip.style.left = `${at.x + 14}px`;
  tip.style.top = `${at.y + 14}px`;
  tip.hidden = false;
};

/** The marks of the plan under preview: the chosen fix, the tightened level, the proposal's next step. */
export const marksOf = (plan: PlanState, app: AppState): PlanMarks | null => {
  const v = plan.view;
  const shown =
    v?.kind === 'fixes'
      ? v.offers?.[v.chosen]
      : v?.kind === 'tighten'
        ? v.offer
        : v?.kind === 'proposal' && v.delta
          ? { commands: v.offer?.steps[v.step]?.commands ?? [], delta: v.delta }
          : null;
  if (!shown || !app.workspace) return null;
  return planMarks(shown.commands, shown.delta, new Set(app.workspace.services.map((s) => s.id)));
};

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
  useEffect(() => {
    if (!ref.current) return;
    /** Open or fold a unit (a click, or Enter on the keyboard cursor). */
    const toggleUnit = (key: string) => {
      const v = viewRef.current;
      if (!v) return;
      const opening = !v.isOpen(key);
      store.getState().setExpanded(v.foldChange(store.getState().expanded, key, opening));
      if (opening) v.frameOpened(key);
    };
    const view = new GraphView(
      ref.current,
      {
        onSelectService: (serviceId) => store.getState().select(serviceId ? { serviceId } : {}),
        onSelectSegment: (segmentId) => store.getState().select({ segmentId }),
        onSelectCall: (callIndex) => store.getState().select({ callIndex }),
        onToggleUnit: (key) => toggleUnit(key),
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
    // `draw` is defined below; the observer calls back after this effect has run.
    const resize = new ResizeObserver(() => view.resized(() => draw(true)));
    resize.observe(ref.current);
    const keys = new CanvasKeys(view.cy, ref.current, {
      onSelectService: (serviceId) => store.getState().select({ serviceId }),
      onSelectSegment: (segmentId) => store.getState().select({ segmentId }),
      onToggleUnit: toggleUnit,
      onClear: () => store.getState().select({}),
      onCursor: (node) => {
        if (sayRef.current) sayRef.current.textContent = describeCursor(store.getState(), node);
      },
      selectedService: () => store.getState().selection.serviceId,
    });
    const drag = new DragController(view.cy, ref.current.parentElement ?? ref.current, {
      onStart: (info) => store.getState().dragStart(info),
      onTarget: (target, mode) => store.getState().dragTarget(target, mode),
      onDrop: () => store.getState().dragDrop(),
      onCancel: () => store.getState().dragCancel(),
    });
    const optionsOf = (s: AppState) => ({
      focus: s.focus,
      analysis: s.analysis,
      expanded: s.expanded,
      showExcess: s.showExcess,
      scope: s.scope,
    });
    // Classes the band's own classes replace: put back after a draw.
    const marks = () => {
      const s = store.getState();
      view.highlightService(s.selection.serviceId);
      if (s.search) view.search(s.search);
      keys.refresh();
    };
    const draw = (fresh: boolean) => {
      const s = store.getState();
      if (!s.workspace) return;
      view.render(s.workspace, optionsOf(s), fresh);
      marks();
    };
    const name = () =>
      ref.current?.setAttribute(
        'aria-label',
        `${LEVEL_TITLES[store.getState().focus]} band: arrow keys walk the services, Enter selects, M moves, Escape clears`,
      );
    name();
    draw(true);
    // Data reaches cytoscape through the adapter, from store subscriptions, not through React renders.
    const unsubscribe = store.subscribe((state, prev) => {
      // A load, another band or another scope is a fresh drawing, laid out and fitted anew.
      if (state.focus !== prev.focus) name();
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
      if (state.revealOrder && state.revealOrder !== prev.revealOrder) {
        const order = state.revealOrder;
        view.revealAndCount(order, order.seq);
      }
      if (state.selection !== prev.selection) view.highlightService(state.selection.serviceId);
      if (state.theme !== prev.theme) view.setTheme(state.theme);
      if (state.search !== prev.search) view.search(state.search);
      if (state.drag !== prev.drag) {
        view.showDragFeedback(state.drag);
        if (state.drag && tipRef.current) tipRef.current.hidden = true;
      }
    });
    // A plan's what-if marks the graph as a drag's does, and again after each redraw (a redraw makes new elements).
    const showPlan = () => view.showPlanFeedback(marksOf(plans.getState(), store.getState()));
    const unsubscribePlan = plans.subscribe((state, prev) => {
      if (state.view !== prev.view) showPlan();
    });
    const unsubscribeRedraw = store.subscribe((state, prev) => {
      if (plans.getState().view && viewKeys.some((k) => state[k] !== prev[k] || state.focus !== prev.focus)) showPlan();
    });
    return () => {
      resize.disconnect();
      unsubscribe();
      unsubscribePlan();
      unsubscribeRedraw();
      drag.destroy();
      keys.destroy();
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
