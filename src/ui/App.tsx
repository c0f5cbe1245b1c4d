// The application shell: toolbar, collapsible left and right panels around the canvas; file drop and paste.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { Finding } from '../analysis/types';
import { toNative } from '../formats/native/write';
import type { GraphView } from '../graph/adapter';
import type { AppStore } from '../store/store';
import type { Engine } from '../worker/client';
import { DragPanel } from './DragPanel';
import { FindingsPanel } from './FindingsPanel';
import { GraphCanvas } from './GraphCanvas';
import { HistoryPanel } from './HistoryPanel';
import { HubsPanel } from './HubsPanel';
import { ImportReportPanel } from './ImportReportPanel';
import { Inspector } from './Inspector';
import { Legend } from './Legend';
import { Minimap } from './Minimap';
import { MoveDialog } from './MoveDialog';
import type { Reveal } from './reveal';
import { type ExportKind, type PanelState, readFileInputs, type SampleEntry, Toolbar } from './Toolbar';
import { useCanvasInsets } from './useCanvasInsets';

/** Offer a file for download; blob: and data: URLs stay inside the page. */
const download = (name: string, href: string) => {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
};

/** Read every file of a drop, descending into dropped folders. */
const filesFromDrop = async (dt: DataTransfer): Promise<File[]> => {
  const entries = Array.from(dt.items)
    .map((i) => i.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return Array.from(dt.files);
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push(new File([file], `${prefix}${file.name}`, { type: file.type }));
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      let batch: FileSystemEntry[];
      do {
        batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      } while (batch.length > 0);
    }
  };
  for (const e of entries) await walk(e, '');
  return out.filter((f) => /\.(ya?ml|json)$/i.test(f.name));
};

export const App = ({
  store,
  engine,
  samples,
  onOpenSample,
  onView,
}: {
  store: AppStore;
  engine: Engine;
  samples: SampleEntry[];
  onOpenSample(sample: SampleEntry): void;
  onView(view: GraphView): void;
}) => {
  const [view, setView] = useState<GraphView>();
  const [dragging, setDragging] = useState(false);
  const [moving, setMoving] = useState(false);
  const [panels, setPanels] = useState<PanelState>({ left: true, right: true });
  const [legend, setLegend] = useState(false);
  const [minimap, setMinimap] = useState(false);
  const center = useRef<HTMLElement>(null);
  const insets = useCanvasInsets(center);
  const theme = useStore(store, (s) => s.theme);
  // The what-if is docked in the right panel: a drag shows the panel even when it was folded away.
  const dragActive = useStore(store, (s) => s.drag !== null);
  const right = panels.right || dragActive || moving;
  const onExport = (kind: ExportKind) => {
    const ws = store.getState().workspace;
    const base = (ws?.name ?? 'segscope')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase();
    if ((kind === 'plan-md' || kind === 'plan-json') && ws) {
      void engine.plan().then((plan) => {
        const md = kind === 'plan-md';
        const blob = new Blob([md ? plan.markdown : plan.json], { type: md ? 'text/markdown' : 'application/json' });
        download(`${base}-change-plan.${md ? 'md' : 'json'}`, URL.createObjectURL(blob));
      });
    } else if (kind === 'native' && ws) {
      download(`${base}.segscope.json`, URL.createObjectURL(new Blob([toNative(ws)], { type: 'application/json' })));
    } else if (view && kind === 'png') {
      download(`${base}.png`, view.exportImage('png', theme === 'dark' ? '#0d1117' : '#ffffff'));
    } else if (view && kind === 'svg') {
      const svg = view.exportImage('svg', theme === 'dark' ? '#0d1117' : '#ffffff');
      download(`${base}.svg`, URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })));
    }
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
    // Undo/redo everywhere except while typing in a field.
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'))
        return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) store.getState().redo();
        else store.getState().undo();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        store.getState().redo();
      } else if (
        e.key.toLowerCase() === 'm' &&
        !e.ctrlKey &&
        !e.metaKey &&
        !e.altKey &&
        store.getState().selection.serviceId
      ) {
        e.preventDefault();
        setMoving(true);
      }
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
  const cls = ['app', theme, dragging ? 'dropping' : '', panels.left ? '' : 'no-left', right ? '' : 'no-right'];
  return (
    <div
      role="application"
      aria-label="segscope"
      className={cls.filter(Boolean).join(' ')}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={async (e) => {
        e.preventDefault();
        setDragging(false);
        const files = await filesFromDrop(e.dataTransfer);
        if (files.length > 0) await store.getState().importFiles(await readFileInputs(files));
      }}
    >
      <Toolbar
        store={store}
        samples={samples}
        onOpenSample={onOpenSample}
        onExport={onExport}
        panels={panels}
        onTogglePanel={(side) => setPanels({ ...panels, [side]: !panels[side] })}
      />
      {panels.left ? (
        <div className="left" data-testid="left-panel">
          <FindingsPanel store={store} onFinding={showFinding} onReveal={reveal} />
          <HubsPanel store={store} onReveal={reveal} />
          <HistoryPanel store={store} />
          <ImportReportPanel store={store} />
        </div>
      ) : null}
      <main className="center" ref={center}>
        <GraphCanvas store={store} onReady={ready} />
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
      {right ? (
        <div className="right" data-testid="right-panel">
          {moving ? <MoveDialog store={store} onClose={() => setMoving(false)} /> : <DragPanel store={store} />}
          <Inspector store={store} onMove={() => setMoving(true)} />
        </div>
      ) : null}
    </div>
  );
};
