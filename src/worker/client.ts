// The app's handle on the engine: a promise API over the worker, or in-process for tests.
//
// The worker can die (out of memory on a huge file, a crash, a kill): it holds a Web Lock for its
// whole life, so the page is told the moment it is gone, whatever the cause, and starts a new one.
import type { FileInput } from '../import/types';
import { EngineCore, type Progress } from './core';
import { readInputsAsync } from './inputs';
import { joinParts, type Part } from './parts';
import type { EngineMessage, EngineMethod, EngineRequest } from './protocol';

/** Every EngineCore method, made asynchronous. */
export type Engine = {
  [K in keyof EngineCore]: EngineCore[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
} & {
  /** Stop whatever the engine is doing by replacing it (its state is gone: the page resets it). */
  cancel(): void;
  /** How far a long request (an analysis) is, a few times a second after its first 300 ms; returns a stop function. */
  onProgress(listener: (p: Progress) => void): () => void;
};

/** Listeners of one kind of event. */
const channel = <T>() => {
  const listeners = new Set<(v: T) => void>();
  return {
    emit: (v: T) => {
      for (const l of listeners) l(v);
    },
    on: (l: (v: T) => void) => {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
  };
};

const METHODS: EngineMethod[] = [
  'importFiles',
  'reset',
  'recordImport',
  'record',
  'persist',
  'undo',
  'redo',
  'analyze',
  'callVerdict',
  'preview',
  'fixes',
  'tighten',
  'propose',
  'previewPlan',
  'plan',
  'writers',
  'exportAs',
  'reach',
];

/** Same results as the worker, computed on the calling thread. */
export const inProcessEngine = (): Engine => {
  const progress = channel<Progress>();
  const core = new EngineCore({ progress: progress.emit });
  const out = {} as Record<EngineMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const m of METHODS) {
    out[m] = async (...args: unknown[]) => {
      // Files given as Blobs are read first, as the worker does (src/worker/inputs.ts).
      const given = m === 'importFiles' ? [await readInputsAsync(args[0] as FileInput[])] : args;
      return (core[m] as (...a: unknown[]) => unknown).apply(core, given);
    };
  }
  return { ...(out as unknown as Engine), cancel: () => undefined, onProgress: progress.on };
};

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; parts: Part[] };

export interface EngineEvents {
  /** A new worker replaced one that stopped (`stopped`) or was cancelled (`cancelled`); it starts empty. */
  onRestart?(reason: 'stopped' | 'cancelled'): void;
}

/** Thrown for requests in flight when the worker stopped or was cancelled. */
export class EngineStopped extends Error {}

export const workerEngine = (events: EngineEvents = {}): Engine => {
  const pending = new Map<number, Pending>();
  const progress = channel<Progress>();
  let next = 1;
  let generation = 0;
  let worker: Worker;
  const start = () => {
    const gen = ++generation;
    const lock = `segscope-engine-${Date.now()}-${gen}-${Math.random().toString(36).slice(2)}`;
    worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: lock });
    worker.addEventListener('message', (event: MessageEvent<EngineMessage>) => {
      const msg = event.data;
      if ('held' in msg) {
        // Granted only when the worker's lock is released: the worker is gone.
        void navigator.locks?.request(msg.held, () => {
          if (gen === generation) restart('stopped');
        });
        return;
      }
      if ('progress' in msg) {
        progress.emit(msg.progress);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      if ('part' in msg) {
        p.parts.push(msg.part);
        return;
      }
      pending.delete(msg.id);
      if (msg.ok) p.resolve(joinParts(msg.result, p.parts));
      else p.reject(new Error(msg.error));
    });
  };
  const restart = (reason: 'stopped' | 'cancelled') => {
    worker.terminate();
    const lost = [...pending.values()];
    pending.clear();
    start();
    for (const p of lost)
      p.reject(new EngineStopped(reason === 'cancelled' ? 'cancelled' : 'the analysis engine stopped'));
    events.onRestart?.(reason);
  };
  start();
  const out = {} as Record<EngineMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const method of METHODS) {
    // Requests are answered in order: the worker handles one message at a time.
    out[method] = (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject, parts: [] });
        worker.postMessage({ id, method, args } as EngineRequest);
      });
  }
  return { ...(out as unknown as Engine), cancel: () => restart('cancelled'), onProgress: progress.on };
};
