// The app's handle on the engine: a promise API over the worker, or in-process for tests and the CLI.
import { type ImportResult, importFiles } from '../import/index';
import type { FileInput } from '../import/types';
import type { EngineRequest, EngineResponse } from './protocol';

export interface Engine {
  importFiles(files: FileInput[]): Promise<ImportResult>;
}

/** Same results as the worker, computed on the calling thread. */
export const inProcessEngine = (): Engine => ({
  importFiles: async (files) => importFiles(files),
});

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export const workerEngine = (): Engine => {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  const pending = new Map<number, Pending>();
  let next = 1;
  worker.addEventListener('message', (event: MessageEvent<EngineResponse>) => {
    const msg = event.data;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error));
  });
  const call = <T>(req: Omit<EngineRequest, 'id'>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...req, id });
    });
  return {
    importFiles: (files) => call<ImportResult>({ type: 'import', files }),
  };
};
