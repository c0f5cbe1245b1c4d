// The engine worker: import, analysis, what-if and reach run here so the main thread never blocks.
import { openDatabase, writeWorkspace } from '../storage/database';
import { EngineCore } from './core';
import { readBlobSync, readInputs } from './inputs';
import { splitParts } from './parts';
import { type EngineMessage, type EngineRequest, epochNow } from './protocol';

const post = (msg: EngineMessage) => (self as unknown as Worker).postMessage(msg);

// Opened now, while the worker is idle: a write asked for right before an analysis is then issued at
// once, not after the analysis (the open's answer is an event this thread would handle only then).
const db = typeof indexedDB === 'undefined' ? Promise.reject(new Error('no IndexedDB')) : openDatabase();
db.catch(() => undefined);

const core = new EngineCore({
  progress: (progress) => post({ progress }),
  writeWorkspace: (key, ws) => db.then((d) => writeWorkspace(d, key, ws)),
});

// Hold a lock named by the page for as long as this worker lives: the page waits for it and so
// learns when the worker is gone (crash, out of memory, terminated), which no event tells.
const lockName = (self as unknown as { name?: string }).name;
if (lockName && navigator.locks)
  void navigator.locks.request(lockName, () => {
    post({ held: lockName });
    return new Promise<never>(() => undefined);
  });

self.addEventListener('message', (event: MessageEvent<EngineRequest>) => {
  const req = event.data;
  const started = epochNow();
  const fail = (e: unknown) =>
    post({ id: req.id, ok: false, error: (e as Error).message, timing: { started, done: epochNow() } });
  const answer = (result: unknown) => {
    const done = epochNow();
    // Long arrays go ahead in slices, so the page copies them in short tasks (src/worker/parts.ts).
    const { head, parts } = splitParts(result);
    for (const part of parts) post({ id: req.id, part });
    post({ id: req.id, ok: true, result: head, timing: { started, done } });
  };
  try {
    const fn = core[req.method] as (...args: unknown[]) => unknown;
    // Files that came as Blobs (a picked or dropped file, a sample) are read here, off the page's thread.
    const args = req.method === 'importFiles' ? [readInputs(req.args[0], readBlobSync)] : req.args;
    const result = fn.apply(core, args);
    // An answer that waits for something (the autosave's write) goes when it is there; the next request goes on meanwhile.
    if (result instanceof Promise) result.then(answer, fail);
    else answer(result);
  } catch (e) {
    fail(e);
  }
});
