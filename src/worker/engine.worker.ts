// The engine worker: import, analysis, what-if and reach run here so the main thread never blocks.
import { EngineCore } from './core';
import type { EngineRequest, EngineResponse } from './protocol';

const core = new EngineCore();
const reply = (msg: EngineResponse) => (self as unknown as Worker).postMessage(msg);

self.addEventListener('message', (event: MessageEvent<EngineRequest>) => {
  const req = event.data;
  try {
    const fn = core[req.method] as (...args: unknown[]) => unknown;
    reply({ id: req.id, ok: true, result: fn.apply(core, req.args) });
  } catch (e) {
    reply({ id: req.id, ok: false, error: (e as Error).message });
  }
});
