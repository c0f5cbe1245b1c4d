// A selected call's verdict per level, asked of the engine when shown: the page keeps only each call's class.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { AnalysisSummary, PairVerdict } from '../analysis/types';
import type { AppStore } from '../store/store';
import { PairVerdicts } from './PairVerdicts';

export const CallVerdictLevels = ({ store, index }: { store: AppStore; index: number }) => {
  const analysis = useStore(store, (s) => s.analysis);
  const [shown, setShown] = useState<{ analysis: AnalysisSummary; verdict: PairVerdict } | null>(null);
  useEffect(() => {
    if (!analysis) return;
    let current = true;
    store
      .getState()
      .callVerdict(index)
      .then((c) => {
        if (current && c) setShown({ analysis, verdict: c.verdict });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [store, index, analysis]);
  // A verdict of an earlier analysis is not shown while the current one's is on its way.
  return shown && shown.analysis === analysis ? <PairVerdicts verdict={shown.verdict} /> : null;
};
