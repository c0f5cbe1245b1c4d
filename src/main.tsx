// App start: engine worker, store with autosave, test hook; restore the saved workspace or load the sample.
import type { Core } from 'cytoscape';
import { createRoot } from 'react-dom/client';
import type { GraphView } from './graph/adapter';
import { loadSession, restore, saveSession } from './store/persist';
import { createAppStore } from './store/store';
import { installTestHook } from './testHook';
import { App } from './ui/App';
import type { SampleEntry } from './ui/Toolbar';
import { workerEngine } from './worker/client';
import './ui/app.css';

const DEFAULT_SAMPLE: SampleEntry = { title: 'Shop estate', files: ['shop-estate.segscope.json'] };

const engine = workerEngine();
const store = createAppStore(engine);

// Autosave: the loaded workspace plus the edit commands, a moment after each change.
let saveTimer: ReturnType<typeof setTimeout> | undefined;
store.subscribe((state, prev) => {
  if (state.workspace === prev.workspace || !state.base) return;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    const { base, past, future } = store.getState();
    if (!base) return;
    saveSession({ base, past: past.map((e) => e.command), future: future.map((e) => e.command) })
      .then(() => {
        document.body.dataset.saved = String(Date.now());
      })
      .catch(() => undefined);
  }, 250);
});
let view: GraphView | undefined;
installTestHook(store, engine, (): Core | undefined => view?.cy);

const base = import.meta.env.BASE_URL;
const fetchText = async (path: string) => {
  const res = await fetch(`${base}samples/${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.text();
};
const openSample = async (sample: SampleEntry) => {
  const files = await Promise.all(
    sample.files.map(async (f) => ({ name: f.split('/').pop() ?? f, text: await fetchText(f) })),
  );
  await store.getState().importFiles(files);
};

const start = async () => {
  const samples = (await fetchText('index.json')
    .then(JSON.parse)
    .catch(() => [])) as SampleEntry[];
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <App
      store={store}
      engine={engine}
      samples={samples}
      onOpenSample={(f) => void openSample(f)}
      onView={(v) => {
        view = v;
      }}
    />,
  );
  const saved = await loadSession();
  if (saved) {
    const { workspace, ...history } = restore(saved);
    store.getState().setWorkspace(workspace, history);
  } else await openSample(DEFAULT_SAMPLE);
  document.body.dataset.ready = 'true';
};

void start();
