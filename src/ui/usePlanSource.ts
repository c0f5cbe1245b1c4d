// The test hook's view of the plan under preview: its kind, title and the marks the canvas shows.
import { useEffect } from 'react';
import type { PlanStore } from '../store/plan';
import type { AppStore } from '../store/store';
import { setPlanSource } from '../testHook';
import { marksOf } from './previewMarks';

export const usePlanSource = (plans: PlanStore, store: AppStore) => {
  useEffect(() => {
    setPlanSource(() => {
      const v = plans.getState().view;
      if (!v) return null;
      const title =
        v.kind === 'fixes'
          ? (v.offers?.[v.chosen]?.title ?? '')
          : v.kind === 'tighten'
            ? (v.offer?.title ?? '')
            : (v.offer?.steps[v.step]?.label ?? '');
      return { kind: v.kind, title, marks: marksOf(plans.getState(), store.getState()) };
    });
  }, [plans, store]);
};
