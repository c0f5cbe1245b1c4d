// The toolbar's Samples and Export menus as actions (src/ui/actions): their entries, and running the one chosen.
import { type RefObject, useEffect, useMemo, useState } from 'react';
import type { Engine } from '../worker/client';
import {
  type Action,
  type ActionContext,
  exportFormat,
  isEnabled,
  openSample,
  PLAN_EXPORTS,
  type SampleEntry,
  VIEW_EXPORTS,
} from './actions';

const entries = (actions: readonly Action[]) => actions.map(({ id, label }) => ({ id, label }));

const runIn = (actions: readonly Action[], ctx: RefObject<ActionContext>) => (id: string) => {
  const action = actions.find((a) => a.id === id);
  if (action && isEnabled(action, ctx.current)) void action.run(ctx.current);
};

export const useMenus = (engine: Engine, samples: SampleEntry[], ctx: RefObject<ActionContext>) => {
  const [writers, setWriters] = useState<{ name: string; label: string }[]>([]);
  // Every writer of FORMATS, as the engine (which holds the formats) lists them.
  useEffect(() => {
    void engine.writers().then(setWriters);
  }, [engine]);
  const exportActions = useMemo(() => writers.map(exportFormat), [writers]);
  const sampleActions = useMemo(() => samples.map(openSample), [samples]);
  const exportGroups: { label: string; actions: readonly Action[] }[] = [
    { label: 'View', actions: VIEW_EXPORTS },
    { label: 'Workspace', actions: exportActions },
    { label: 'Change plan', actions: PLAN_EXPORTS },
  ];
  return {
    samples: entries(sampleActions),
    onSample: runIn(sampleActions, ctx),
    exports: exportGroups.map((g) => ({ label: g.label, entries: entries(g.actions) })),
    onExport: runIn(
      exportGroups.flatMap((g) => g.actions),
      ctx,
    ),
  };
};
