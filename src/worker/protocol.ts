// Messages between the app and the engine worker: one method call of EngineCore per request, and what comes back.
import type { EngineCore, Progress } from './core';
import type { Part } from './parts';

type Methods = {
  [K in keyof EngineCore]: EngineCore[K] extends (...args: infer A) => unknown ? A : never;
};

export type EngineMethod = keyof Methods;

export type EngineRequest = { [K in EngineMethod]: { id: number; method: K; args: Methods[K] } }[EngineMethod];

/**
 * When the worker took a request up and when its answer was ready, in milliseconds since the epoch
 * (performance.timeOrigin + performance.now(), comparable across threads): with the page's own
 * times they split a request into waiting, computing and delivery.
 */
export interface WorkerTiming {
  started: number;
  done: number;
}

export type EngineResponse =
  | { id: number; ok: true; result: unknown; timing: WorkerTiming }
  | { id: number; ok: false; error: string; timing: WorkerTiming };

/** Everything the worker posts: answers, slices of large answers sent ahead of them, progress, its lock's name. */
export type EngineMessage = EngineResponse | { id: number; part: Part } | { progress: Progress } | { held: string };

/** Now, in milliseconds since the epoch, on any thread. */
export const epochNow = (): number => performance.timeOrigin + performance.now();
