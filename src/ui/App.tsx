// The application shell: toolbar, collapsible left and right panels around the canvas; file drop and paste.
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Finding } from '../analysis/types';
import type { GraphView } from '../graph/adapter';
import type { LessonStore } from '../store/lesson';
import { createPlanStore } from '../store/plan';
import type { AppStore } from '../store/store';
import { setPlanSource } from '../testHook';
import type { Engine } from '../worker/client';
import {
  type Action,
  type ActionContext,
  actionForKey,
  exportFormat,
  isEnabled,
  KEYED_ACTIONS,
  newWorkspace,
  openFiles,
  openSample,
  PLAN_EXPORTS,
  type SampleEntry,
  VIEW_EXPORTS,
} from './actions';
import { downloadText } from './actions/download';
import { DragPanel } from './DragPanel';
import { ExportDialog, type PendingExport } from './ExportDialog';
import { FindingsPanel } from './FindingsPanel';
import { FirstRunHint, TOUR_LESSON } from './FirstRunHint';
import { GraphCanvas, marksOf } from './GraphCanvas';
import { HistoryPanel } from './HistoryPanel';
import { HubsPanel } from './HubsPanel';
import { ImportReportPanel } from './ImportReportPanel';
import { ImprovePanel } from './ImprovePanel';
import { Inspector } from './Inspector';
import { Legend } from './Legend';
import { LessonAside } from './LessonAside';
import { LessonBar } from './LessonBar';
import { LessonGallery } from './LessonGallery';
import { Minimap } from './Minimap';
import { MoveDialog } from './MoveDialog';
import { PlanPanel } from './PlanPanel';
import type { Reveal } from './reveal';
import { type PanelState, Toolbar } from './Toolbar';
import { useCanvasInsets } from './useCanvasInsets';
import { useFileDrop } from './useFileDrop';

export const App = ({
  store,
  engine,
  samples,
  onView,
  lessons,
  onOpenLesson,
  firstRun,
  status,
}: {
  store: AppStore;
  engine: Engine;
  samples: SampleEntry[];
  onView(view: GraphView): void;
  lessons: LessonStore;
  /** Open a lesson (asking first when edits would be lost); resolves to whether it opened. */
  onOpenLesson(id: string, present: boolean): Promise<boolean>;
  /** Offer the tour: no lesson was asked for in the URL. */
  firstRun: boolean;
  /** The status banner: a row of its own under the toolbar, so it never covers the strips or the drawing. */
  status?: ReactNode;
}) => {
  const [view, setView] = useState<GraphView>();
  const page = useRef<HTMLDivElement>(null);
  const dragging = useFileDrop(page, store);
  const [moving, setMoving] = useState(false);
  const [panels, setPanels] = useState<PanelState>({ left: true, right: true });
  const [legend, setLegend] = useState(false);
  const [minimap, setMinimap] = useState(false);
  const center = useRef<HTMLElement>(null);
  const insets = useCanvasInsets(center);
  const [pending, setPending] = useState<PendingExport>();
  // The toolbar's hidden file input: the Open action (button or Ctrl+O) clicks it.
  const fileInput = useRef<HTMLInputElement>(null);
  // The plan under review (fixes, a tightened level, a proposal): previewed in the right panel.
  const [plans] = useState(() => createPlanStore(store, engine));
  const planOpen = useStore(plans, (s) => s.view !== null);
  // The test hook reads the plan under preview and its marks (what the canvas shows).
  useEffect(() => {
    setPlanSource(() => {
      const v = plans.getState().view;
      if (!v) return null;
      const title =
        v.kind === 'fixes'
          ? (v.offers?.[v.chosen]?.title ?? '')
          : v.kind === 'tighten'
            ? (v.offer?.title ?? '')
            : (v.offer?.steps[v.step]?.label ?? '');
      return { kind: v.kind, title, marks: marksOf(plans.getState(), store.getState()) };
    });
  }, [plans, store]);
  const [gallery, setGallery] = useState(false);
  const presenting = useStore(lessons, (s) => s.presenting);
  const [writers, setWriters] = useState<{ name: string; label: string }[]>([]);
  const theme = useStore(store, (s) => s.theme);
  // The what-if is docked in the right panel: a drag shows the panel even when it was folded away.
  const dragActive = useStore(store, (s) => s.drag !== null);
  // Presentation mode keeps the right column for the lesson's what-if and finding, nothing else.
  const right = panels.right || dragActive || moving || presenting || planOpen;
  // Every writer of FORMATS, as the engine (which holds the formats) lists them.
  useEffect(() => {
    void engine.writers().then(setWriters);
  }, [engine]);
  const exportActions = useMemo(() => writers.map(exportFormat), [writers]);
  const sampleActions = useMemo(() => samples.map(openSample), [samples]);
  // The context an action runs in; a ref so the key handler always sees the current view.
  const ctx = useRef<ActionContext>(null as unknown as ActionContext);
  ctx.current = {
    store,
    engine,
    lessons,
    view,
    offerExport: (title, result) => setPending({ title, result }),
    openMoveDialog: () => setMoving(true),
    openFilePicker: () => fileInput.current?.click(),
  };
  const exportGroups: { label: string; actions: readonly Action[] }[] = [
    { label: 'View', actions: VIEW_EXPORTS },
    { label: 'Workspace', actions: exportActions },
    { label: 'Change plan', actions: PLAN_EXPORTS },
  ];
  const onExport = (id: string) => {
    const action = exportGroups.flatMap((g) => g.actions).find((a) => a.id === id);
    if (action && isEnabled(action, ctx.current)) void action.run(ctx.current);
  };
  const ready = useCallback(
    (v: GraphView) => {
      setView(v);
      onView(v);
    },
    [onView],
  );
  useEffect(() => {
    const onPaste = async (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      const text = e.clipboardData?.getData('text/plain');
      if (text?.trim()) await store.getState().importFiles([{ name: 'pasted', text }]);
    };
    // Keys run their actions everywhere except while typing in a field.
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'))
        return;
      const action = actionForKey(KEYED_ACTIONS, e);
      if (!action || !isEnabled(action, ctx.current)) return;
      e.preventDefault();
      void action.run(ctx.current);
    };
    window.addEventListener('paste', onPaste);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('keydown', onKey);
    };
  }, [store]);
  // The panels ask the store to bring subjects into view: it focuses a band holding them, expands and frames them.
  const reveal: Reveal = (subjects) => {
    store.getState().reveal(subjects);
  };
  /** A finding clicked: select what it is about (a broken call opens in the inspector) and reveal it. */
  const showFinding = (f: Finding) => {
    const { analysis, select } = store.getState();
    const call =
      f.id === 'broken-call'
        ? analysis?.calls.find((c) => c.class === 'broken' && c.from === f.services[0] && c.to === f.services[1])
        : undefined;
    if (call) select({ callIndex: call.index, serviceId: call.from });
    else if (f.services[0]) select({ serviceId: f.services[0] });
    else if (f.segments[0]) select({ segmentId: f.segments[0] });
    reveal({ serviceIds: f.services, segmentIds: f.segments, ...(f.level ? { level: f.level } : {}) });
  };
  const cls = presenting
    ? ['app', theme, 'presenting']
    : ['app', theme, dragging ? 'dropping' : '', panels.left ? '' : 'no-left', right ? '' : 'no-right'];
  return (
    // Normal document semantics for the page (landmarks, reading keys); only the canvas is an application.
    <div ref={page} className={cls.filter(Boolean).join(' ')}>
      {/* The first stop of Tab: straight to the drawing, past the toolbar and the findings. */}
      <button
        type="button"
        className="skip-link"
        data-testid="skip-to-graph"
        onClick={() => center.current?.querySelector<HTMLElement>('[data-testid="graph-canvas"]')?.focus()}
      >
        Skip to the graph (arrow keys walk its services)
      </button>
      <Toolbar
        store={store}
        samples={sampleActions.map(({ id, label }) => ({ id, label }))}
        onSample={(id) => {
          const action = sampleActions.find((a) => a.id === id);
          if (action) void action.run(ctx.current);
        }}
        onNew={() => void newWorkspace.run(ctx.current)}
        fileInput={fileInput}
        onOpen={() => openFiles.run(ctx.current)}
        exports={exportGroups.map((g) => ({
          label: g.label,
          entries: g.actions.map(({ id, label }) => ({ id, label })),
        }))}
        onExport={onExport}
        panels={panels}
        onTogglePanel={(side) => setPanels({ ...panels, [side]: !panels[side] })}
        onLessons={() => setGallery(true)}
      />
      {gallery ? (
        <LessonGallery
          lessons={lessons}
          onClose={() => setGallery(false)}
          onOpen={(id, present) => {
            setGallery(false);
            void onOpenLesson(id, present);
          }}
        />
      ) : null}
      {status}
      {panels.left ? (
        <div className="left" data-testid="left-panel">
          {firstRun ? <FirstRunHint onTour={() => void onOpenLesson(TOUR_LESSON, true)} /> : null}
          <ImprovePanel store={store} plans={plans} />
          <FindingsPanel
            store={store}
            onFinding={showFinding}
            onFix={(f) => {
              showFinding(f);
              void plans.getState().openFixes(f);
            }}
            onReveal={reveal}
          />
          <HubsPanel store={store} onReveal={reveal} />
          <HistoryPanel store={store} />
          <ImportReportPanel store={store} />
        </div>
      ) : null}
      <main className="center" ref={center}>
        <GraphCanvas store={store} plans={plans} onReady={ready} />
        <div className="zoom" style={{ top: insets.top + 10 }}>
          <button
            type="button"
            data-testid="zoom-in"
            title="Zoom in"
            aria-label="zoom in"
            onClick={() => view?.zoomBy(1.25)}
          >
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
          <button
            type="button"
            data-testid="fit"
            title="Fit to view"
            aria-label="fit to view"
            onClick={() => view?.fit()}
          >
            ⤢
          </button>
        </div>
        <div className="corner" style={{ bottom: insets.bottom + 10 }}>
          {legend ? <Legend /> : null}
          {minimap ? <Minimap cy={view?.cy} /> : null}
          <div className="corner-buttons">
            <button
              type="button"
              data-testid="legend-toggle"
              title={legend ? 'Hide the legend' : 'Show the legend: what shapes, badges and lines mean'}
              aria-label={legend ? 'hide the legend' : 'show the legend'}
              aria-expanded={legend}
              onClick={() => setLegend(!legend)}
            >
              Legend {legend ? '▾' : '▴'}
            </button>
            <button
              type="button"
              data-testid="minimap-toggle"
              title={minimap ? 'Hide the overview map' : 'Show an overview map of the bands: click it to move there'}
              aria-label={minimap ? 'hide the overview map' : 'show the overview map'}
              aria-expanded={minimap}
              onClick={() => setMinimap(!minimap)}
            >
              Map {minimap ? '▾' : '▴'}
            </button>
          </div>
        </div>
      </main>
      <LessonBar lessons={lessons} />
      {right ? (
        <div className="right" data-testid="right-panel">
          <LessonAside lessons={lessons} store={store} />
          <PlanPanel plans={plans} store={store} />
          {moving ? <MoveDialog store={store} onClose={() => setMoving(false)} /> : <DragPanel store={store} />}
          <Inspector store={store} onMove={() => setMoving(true)} />
        </div>
      ) : null}
      {pending ? (
        <ExportDialog
          pending={pending}
          onClose={() => setPending(undefined)}
          onDownload={() => {
            for (const f of pending.result.files) {
              const type = f.name.endsWith('.json')
                ? 'application/json'
                : f.name.endsWith('.tf')
                  ? 'text/plain'
                  : 'application/yaml';
              downloadText(f.name, f.text, type);
            }
            setPending(undefined);
          }}
        />
      ) : null}
    </div>
  );
};
