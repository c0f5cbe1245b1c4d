// The workspace and its analysis as panels read them: new verdicts deferred, so the task in which they arrive is not spent re-rendering panels.
import { useDeferredValue, useMemo } from 'react';
import { useStore } from 'zustand';
import type { AppStore } from '../store/store';

/**
 * The store's workspace and analysis as one pair (a panel never sees one workspace with another's
 * analysis). When only the analysis changed (the verdicts arriving), the pair comes through
 * `useDeferredValue`: the store's update renders synchronously (zustand subscribes with
 * useSyncExternalStore), the panels keep their memoised groupings of the old pair, and React renders
 * the new one as a transition, in slices it interrupts for input, after the canvas's redraw was
 * scheduled. A new workspace renders at once without an analysis (cheap: the panels show it
 * pending), also when its analysis is already there (an undo's, kept by the engine, can land before
 * the deferred render of the workspace): the analysis then follows as a transition too, never in the
 * task that brought it.
 */
export const useDeferredAnalysis = (store: AppStore) => {
  const workspace = useStore(store, (s) => s.workspace);
  const analysis = useStore(store, (s) => s.analysis);
  const pair = useMemo(() => ({ workspace, analysis }), [workspace, analysis]);
  const pending = useMemo(() => ({ workspace, analysis: null }), [workspace]);
  const deferred = useDeferredValue(pair);
  return deferred.workspace === workspace ? deferred : pending;
};
