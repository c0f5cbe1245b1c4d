// Samples → one sample: its files fetched from the page's own samples folder and opened as one undoable load.
import type { AppStore } from '../../store/store';
import type { Action } from './types';

/** A sample: one or several files (paths under public/samples/) that load together. */
export interface SampleEntry {
  title: string;
  files: string[];
}

/** A file under public/samples/ as a Blob: the engine worker reads it (src/worker/inputs.ts), the page does not. */
const readSampleBlob = async (path: string): Promise<Blob> => {
  const res = await fetch(`${import.meta.env.BASE_URL}samples/${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.blob();
};

/** A file under public/samples/, from the page's own origin (no other request is made). */
export const readSampleText = async (path: string): Promise<string> => (await readSampleBlob(path)).text();

/** Fetch a sample's files and open them together; `atStart` is the app's own start (see importFiles). */
export const loadSample = async (store: AppStore, sample: SampleEntry, atStart = false): Promise<void> => {
  const files = await Promise.all(
    sample.files.map(async (f) => ({ name: f.split('/').pop() ?? f, text: '', blob: await readSampleBlob(f) })),
  );
  await store.getState().importFiles(files, { atStart });
};

/** One entry of the Samples menu (no key: a menu of many has none to give each). */
export const openSample = (sample: SampleEntry): Action => ({
  id: sample.title,
  label: sample.title,
  run: (ctx) => loadSample(ctx.store, sample),
});
