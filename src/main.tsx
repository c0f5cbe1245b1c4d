// App start: engine worker, store, test hook; restore the autosaved session or load the sample, then autosave.
import { createRoot } from 'react-dom/client';
import type { GraphView } from './graph/adapter';
import { createLessonStore } from './store/lesson';
import { Autosave } from './store/persist';
import { createAppStore } from './store/store';
import { claimWorkspace } from './store/tabs';
import { installTestHook } from './testHook';
import { App } from './ui/App';
import { loadSample, readSampleText, type SampleEntry } from './ui/actions';
import { StatusBanner } from './ui/StatusBanner';
import { workerEngine } from './worker/client';
import './ui/app.css';
import './ui/lessons.css';
import './ui/plan.css';

const DEFAULT_SAMPLE: SampleEntry = { title: 'Shop estate', files: ['shop-estate.segscope.json'] };
const READ_ONLY = 'This workspace is open in another tab: this one is read-only. Take over to edit here.';
const LOST = 'Another tab took this workspace over: this one is read-only now. Take over to edit here again.';

// Loads asked for while the app starts (hook, drop, paste, Open) wait for the start, then go on top.
let started: () => void = () => undefined;
const ready = new Promise<void>((resolve) => {
  started = resolve;
});
const engine = workerEngine({ onRestart: (reason) => store.getState().engineRestarted(reason) });
// A load's workspace is written to the autosave by the worker, which holds it too (src/store/persist.ts).
const store = createAppStore(engine, {
  ready,
  onLoad: (ws) => {
    if (autosave && !store.getState().readOnly) autosave.delegate(ws, (key) => engine.persist(key));
  },
});
let view: GraphView | undefined;
installTestHook(store, engine, () => view);

let autosave: Autosave | null = null;
/** Write every change of the history as it happens, unless this tab is read-only. */
const save = () => {
  const { history, readOnly } = store.getState();
  if (!autosave || !history || readOnly) return;
  autosave
    .save(history)
    .then(() => {
      document.body.dataset.saved = String(Date.now());
    })
    .catch((e: Error) => store.setState({ notice: `Autosave failed: ${e.message}. Export the workspace to keep it.` }));
};
const lost = () => store.getState().setReadOnly(LOST);

/** Take the workspace over from the other tab: its last saved state becomes this tab's. */
const takeOver = async () => {
  await claimWorkspace({ steal: true, onLost: lost });
  const saved = await autosave?.load();
  store.getState().setReadOnly(null);
  if (saved) store.getState().restoreHistory(saved);
  else save();
};

const lessons = createLessonStore(store, {
  read: readSampleText,
  analysis: () => engine.analyze(),
  reveal: (v) => {
    const serviceIds = v.serviceId ? [v.serviceId, ...v.reveal.serviceIds] : v.reveal.serviceIds;
    if (serviceIds.length + v.reveal.segmentIds.length > 0)
      store.getState().reveal({ serviceIds, segmentIds: v.reveal.segmentIds, level: v.focus, whole: true });
    else view?.fit();
  },
});

/** `?lesson=NAME` opens that lesson (`&present` in presentation mode); the URL follows the open lesson. */
const url = new URL(window.location.href);
const lessonParam = url.searchParams.get('lesson');
const setLessonParam = (id: string | null) => {
  const next = new URL(window.location.href);
  if (id) next.searchParams.set('lesson', id);
  else {
    next.searchParams.delete('lesson');
    next.searchParams.delete('present');
  }
  window.history.replaceState(null, '', next);
};
/** Presentation mode draws the graph in the high-contrast palette, never zoomed out so far that a label drops under 24 px. */
const presentGraph = (presenting: boolean) => {
  view?.setTheme(presenting ? 'present' : store.getState().theme);
};
lessons.subscribe((s, prev) => {
  if (s.active?.story.id !== prev.active?.story.id) setLessonParam(s.active?.story.id ?? null);
  if (s.presenting !== prev.presenting) presentGraph(s.presenting);
});

/** Opening a lesson is a load like Open and Samples: undoable, so nothing is asked. */
const openLesson = (id: string, present: boolean): Promise<boolean> => {
  // Full screen needs the click that asked for it: request it before anything is awaited.
  if (present) document.documentElement.requestFullscreen?.().catch(() => undefined);
  return lessons.getState().open(id, { present });
};

const start = async () => {
  const samples = (await readSampleText('index.json')
    .then(JSON.parse)
    .catch(() => [])) as SampleEntry[];
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <App
      store={store}
      engine={engine}
      samples={samples}
      onView={(v) => {
        view = v;
        if (lessons.getState().presenting) presentGraph(true);
      }}
      lessons={lessons}
      onOpenLesson={openLesson}
      firstRun={lessonParam === null}
      status={<StatusBanner store={store} onTakeOver={() => void takeOver()} />}
    />,
  );
  const owner = await claimWorkspace({ onLost: lost });
  if (!owner) store.getState().setReadOnly(READ_ONLY);
  autosave = await Autosave.open(() => {
    if (autosave) document.body.dataset.autosaveWrites = JSON.stringify(autosave.writes);
  }).catch(() => null);
  const saved = await autosave?.load().catch(() => undefined);
  if (saved) store.getState().restoreHistory(saved);
  // A lesson in the URL goes on top of the restored session (undo brings the session back) and
  // replaces the sample; the start yields to a load the person made meanwhile: no sample under it.
  const opened =
    lessonParam !== null &&
    (await lessons.getState().open(lessonParam, { present: url.searchParams.has('present'), atStart: true }));
  if (!opened && !saved && store.getState().pendingLoads === 0) await loadSample(store, DEFAULT_SAMPLE, true);
  store.subscribe((state, prev) => {
    const resumed = prev.readOnly && !state.readOnly;
    if (!resumed && state.history === prev.history) return;
    // A load's workspace is written by the worker (onLoad above): the page writes the session record,
    // a few hundred bytes, at once.
    save();
  });
  save();
  started();
  document.body.dataset.ready = 'true';
};

// Leaving or hiding the page: anything not yet written is written now.
const flush = () => {
  if (!store.getState().readOnly) void autosave?.flush(store.getState().history)?.catch(() => undefined);
};
window.addEventListener('pagehide', flush);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flush();
});

void start();
