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
 * scheduled. A new workspace renders at once, as before: the strips' counts size the canvas the
 * band is fitted to.
 */
export const useDeferredAnalysis = (store: AppStore) => {
  const workspace = useStore(store, (s) => s.workspace);
  const analysis = useStore(store, (s) => s.analysis);
  const pair = useMemo(() => ({ workspace, analysis }), [workspace, analysis]);
  const deferred = useDeferredValue(pair);
  return deferred.workspace === workspace ? deferred : pair;
};
