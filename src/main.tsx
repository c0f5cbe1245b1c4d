// App start: engine worker, store with autosave, test hook; restore the saved workspace or load the sample.
import type { Core } from 'cytoscape';
import { createRoot } from 'react-dom/client';
import type { GraphView } from './graph/adapter';
import { loadSavedWorkspace, saveWorkspace } from './store/persist';
import { createAppStore } from './store/store';
import { installTestHook } from './testHook';
import { App } from './ui/App';
import type { SampleEntry } from './ui/Toolbar';
import { workerEngine } from './worker/client';
import './ui/app.css';

const DEFAULT_SAMPLE = 'shop-estate.segscope.json';

const store = createAppStore(workerEngine(), {
  onWorkspace: (ws) => {
    saveWorkspace(ws).catch(() => undefined);
  },
});
let view: GraphView | undefined;
installTestHook(store, (): Core | undefined => view?.cy);

const base = import.meta.env.BASE_URL;
const fetchText = async (path: string) => {
  const res = await fetch(`${base}samples/${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.text();
};
const openSample = async (file: string) => {
  await store.getState().importFiles([{ name: file.split('/').pop() ?? file, text: await fetchText(file) }]);
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
      samples={samples}
      onOpenSample={(f) => void openSample(f)}
      onView={(v) => {
        view = v;
      }}
    />,
  );
  const saved = await loadSavedWorkspace();
  if (saved) store.getState().setWorkspace(saved);
  else await openSample(DEFAULT_SAMPLE);
  document.body.dataset.ready = 'true';
};

void start();
