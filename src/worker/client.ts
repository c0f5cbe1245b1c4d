// The app's handle on the engine: a promise API over the worker, or in-process for tests.
import { EngineCore } from './core';
import type { EngineMethod, EngineRequest, EngineResponse } from './protocol';

/** Every EngineCore method, made asynchronous. */
export type Engine = {
  [K in keyof EngineCore]: EngineCore[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

const METHODS: EngineMethod[] = [
  'importFiles',
  'replace',
  'apply',
  'undo',
  'redo',
  'analyze',
  'preview',
  'plan',
  'reach',
];

/** Same results as the worker, computed on the calling thread. */
export const inProcessEngine = (): Engine => {
  const core = new EngineCore();
  const out = {} as Record<EngineMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const m of METHODS) {
    out[m] = async (...args: unknown[]) => (core[m] as (...a: unknown[]) => unknown).apply(core, args);
  }
  return out as unknown as Engine;
};

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
  const out = {} as Record<EngineMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const method of METHODS) {
    // Requests are answered in order: the worker handles one message at a time.
    out[method] = (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, method, args } as EngineRequest);
      });
  }
  return out as unknown as Engine;
};
