// The engine worker: import, analysis, what-if and reach run here so the main thread never blocks.
import { EngineCore } from './core';
import type { EngineRequest, EngineResponse } from './protocol';

const core = new EngineCore();
const reply = (msg: EngineResponse | { held: string }) => (self as unknown as Worker).postMessage(msg);

// Hold a lock named by the page for as long as this worker lives: the page waits for it and so
// learns when the worker is gone (crash, out of memory, terminated), which no event tells.
const lockName = (self as unknown as { name?: string }).name;
if (lockName && navigator.locks)
  void navigator.locks.request(lockName, () => {
    reply({ held: lockName });
    return new Promise<never>(() => undefined);
  });

self.addEventListener('message', (event: MessageEvent<EngineRequest>) => {
  const req = event.data;
  try {
    const fn = core[req.method] as (...args: unknown[]) => unknown;
    reply({ id: req.id, ok: true, result: fn.apply(core, req.args) });
  } catch (e) {
    reply({ id: req.id, ok: false, error: (e as Error).message });
  }
});
