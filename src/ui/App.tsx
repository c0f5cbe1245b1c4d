// The application shell: toolbar, collapsible left and right panels around the canvas; file drop and paste.
import { type ReactNode, useCallback, useRef, useState } from 'react';
import type { GraphView } from '../graph/adapter';
import type { LessonStore } from '../store/lesson';
import { createPlanStore } from '../store/plan';
import type { AppStore } from '../store/store';
import type { Engine } from '../worker/client';
import { newWorkspace, openFiles, type SampleEntry } from './actions';
import { CanvasCorner } from './CanvasCorner';
import { ExportDialog, type PendingExport } from './ExportDialog';
import { GraphCanvas } from './GraphCanvas';
import { LeftPanel } from './LeftPanel';
import { LessonBar } from './LessonBar';
import { LessonGallery } from './LessonGallery';
import { RightPanel } from './RightPanel';
import { SkipToGraph } from './SkipToGraph';
import { Toolbar } from './Toolbar';
import { useActionContext } from './useActionContext';
import { useAppLayout } from './useAppLayout';
import { useCanvasInsets } from './useCanvasInsets';
import { useFileDrop } from './useFileDrop';
import { useKeysAndPaste } from './useKeysAndPaste';
import { useMenus } from './useMenus';
import { usePlanSource } from './usePlanSource';

export interface AppProps {
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
}

export const App = ({ store, engine, samples, onView, lessons, onOpenLesson, firstRun, status }: AppProps) => {
  const [view, setView] = useState<GraphView>();
  const page = useRef<HTMLDivElement>(null);
  const dragging = useFileDrop(page, store);
  const [moving, setMoving] = useState(false);
  const center = useRef<HTMLElement>(null);
  const insets = useCanvasInsets(center);
  const [pending, setPending] = useState<PendingExport>();
  // The toolbar's hidden file input: the Open action (button or Ctrl+O) clicks it.
  const fileInput = useRef<HTMLInputElement>(null);
  // The plan under review (fixes, a tightened level, a proposal): previewed in the right panel.
  const [plans] = useState(() => createPlanStore(store, engine));
  usePlanSource(plans, store);
  const [gallery, setGallery] = useState(false);
  const layout = useAppLayout({ store, lessons, plans }, { moving, dropping: dragging });
  const ctx = useActionContext({
    store,
    engine,
    lessons,
    view,
    offerExport: (title, result) => setPending({ title, result }),
    openMoveDialog: () => setMoving(true),
    openFilePicker: () => fileInput.current?.click(),
  });
  const ready = useCallback(
    (v: GraphView) => {
      setView(v);
      onView(v);
    },
    [onView],
  );
  useKeysAndPaste(store, ctx);
  const menus = useMenus(engine, samples, ctx);
  return (
    // Normal document semantics for the page (landmarks, reading keys); only the canvas is an application.
    <div ref={page} className={layout.className}>
      <SkipToGraph center={center} />
      <Toolbar
        store={store}
        samples={menus.samples}
        onSample={menus.onSample}
        onNew={() => void newWorkspace.run(ctx.current)}
        fileInput={fileInput}
        onOpen={() => openFiles.run(ctx.current)}
        exports={menus.exports}
        onExport={menus.onExport}
        panels={layout.panels}
        onTogglePanel={layout.togglePanel}
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
      {layout.panels.left ? (
        <LeftPanel store={store} plans={plans} firstRun={firstRun} onOpenLesson={onOpenLesson} />
      ) : null}
      <main className="center" ref={center}>
        <GraphCanvas store={store} plans={plans} onReady={ready} />
        <CanvasCorner view={view} top={insets.top + 10} bottom={insets.bottom + 10} />
      </main>
      <LessonBar lessons={lessons} />
      {layout.right ? (
        <RightPanel store={store} plans={plans} lessons={lessons} moving={moving} onMoving={setMoving} />
      ) : null}
      {pending ? <ExportDialog pending={pending} onClose={() => setPending(undefined)} /> : null}
    </div>
  );
};
