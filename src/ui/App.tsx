// The application shell: toolbar, collapsible left and right panels around the canvas; file drop and paste.
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { GraphView } from '../graph/adapter';
import type { LessonStore } from '../store/lesson';
import { createPlanStore } from '../store/plan';
import type { AppStore } from '../store/store';
import type { Engine } from '../worker/client';
import { type ActionContext, newWorkspace, openFiles, type SampleEntry } from './actions';
import { downloadFiles } from './actions/download';
import { CanvasCorner } from './CanvasCorner';
import { ExportDialog, type PendingExport } from './ExportDialog';
import { GraphCanvas } from './GraphCanvas';
import { LeftPanel } from './LeftPanel';
import { LessonBar } from './LessonBar';
import { LessonGallery } from './LessonGallery';
import type { PanelState } from './PanelToggle';
import { RightPanel } from './RightPanel';
import { Toolbar } from './Toolbar';
import { useCanvasInsets } from './useCanvasInsets';
import { useFileDrop } from './useFileDrop';
import { useKeysAndPaste } from './useKeysAndPaste';
import { useMenus } from './useMenus';
import { usePlanSource } from './usePlanSource';
import { ZoomButtons } from './ZoomButtons';

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
  const center = useRef<HTMLElement>(null);
  const insets = useCanvasInsets(center);
  const [pending, setPending] = useState<PendingExport>();
  // The toolbar's hidden file input: the Open action (button or Ctrl+O) clicks it.
  const fileInput = useRef<HTMLInputElement>(null);
  // The plan under review (fixes, a tightened level, a proposal): previewed in the right panel.
  const [plans] = useState(() => createPlanStore(store, engine));
  const planOpen = useStore(plans, (s) => s.view !== null);
  usePlanSource(plans, store);
  const [gallery, setGallery] = useState(false);
  const presenting = useStore(lessons, (s) => s.presenting);
  const theme = useStore(store, (s) => s.theme);
  // The what-if is docked in the right panel: a drag shows the panel even when it was folded away.
  const dragActive = useStore(store, (s) => s.drag !== null);
  // Presentation mode keeps the right column for the lesson's what-if and finding, nothing else.
  const right = panels.right || dragActive || moving || presenting || planOpen;
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
  const ready = useCallback(
    (v: GraphView) => {
      setView(v);
      onView(v);
    },
    [onView],
  );
  useKeysAndPaste(store, ctx);
  const menus = useMenus(engine, samples, ctx);
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
        samples={menus.samples}
        onSample={menus.onSample}
        onNew={() => void newWorkspace.run(ctx.current)}
        fileInput={fileInput}
        onOpen={() => openFiles.run(ctx.current)}
        exports={menus.exports}
        onExport={menus.onExport}
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
      {panels.left ? <LeftPanel store={store} plans={plans} firstRun={firstRun} onOpenLesson={onOpenLesson} /> : null}
      <main className="center" ref={center}>
        <GraphCanvas store={store} plans={plans} onReady={ready} />
        <ZoomButtons view={view} top={insets.top + 10} />
        <CanvasCorner view={view} bottom={insets.bottom + 10} />
      </main>
      <LessonBar lessons={lessons} />
      {right ? <RightPanel store={store} plans={plans} lessons={lessons} moving={moving} onMoving={setMoving} /> : null}
      {pending ? (
        <ExportDialog
          pending={pending}
          onClose={() => setPending(undefined)}
          onDownload={() => {
            downloadFiles(pending.result.files);
            setPending(undefined);
          }}
        />
      ) : null}
    </div>
  );
};
