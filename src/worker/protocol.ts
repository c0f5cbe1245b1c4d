// Messages between the app and the engine worker: one method call of EngineCore per request.
import type { EngineCore } from './core';

type Methods = {
  [K in keyof EngineCore]: EngineCore[K] extends (...args: infer A) => unknown ? A : never;
};

export type EngineMethod = keyof Methods;

export type EngineRequest = { [K in EngineMethod]: { id: number; method: K; args: Methods[K] } }[EngineMethod];

export type EngineResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
