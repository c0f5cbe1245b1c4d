// The workspace and its analysis as panels read them: deferred, so the task in which new verdicts arrive is not spent re-rendering panels.
import { useDeferredValue, useMemo } from 'react';
import { useStore } from 'zustand';
import type { AppStore } from '../store/store';

/**
 * The store's workspace and analysis through `useDeferredValue`, as one pair (a panel never sees one
 * workspace with another's analysis). The store's update renders synchronously (zustand subscribes
 * with useSyncExternalStore); with the old pair the panels' memoised groupings hold, and React renders
 * the new one as a transition, in slices it interrupts for input, after the canvas's redraw was
 * scheduled. Panels show the previous verdicts for those few frames.
 */
export const useDeferredAnalysis = (store: AppStore) => {
  const workspace = useStore(store, (s) => s.workspace);
  const analysis = useStore(store, (s) => s.analysis);
  return useDeferredValue(useMemo(() => ({ workspace, analysis }), [workspace, analysis]));
};
