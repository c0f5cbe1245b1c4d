// The plan under review: a finding's fixes, a tightened level or a proposed segmentation, previewed and applied as undoable steps.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Finding } from '../analysis/types';
import type { Command } from '../model/commands';
import type { Level } from '../model/types';
import type { FixOffer, PlanDelta, ProposalOffer, TightenOffer } from '../synthesize/offers';
import type { Engine } from '../worker/client';
import { applyActions } from './plan-apply';
import { openActions } from './plan-open';
import type { AppStore } from './store';

export type PlanView =
  | { kind: 'fixes'; finding: Pick<Finding, 'key' | 'id' | 'message'>; offers: FixOffer[] | null; chosen: number }
  | { kind: 'tighten'; level: Level; offer: TightenOffer | null }
  | {
      kind: 'proposal';
      level: Level;
      offer: ProposalOffer | null;
      /** The next step to apply; `steps.length` when all are applied. */
      step: number;
      /** The next step's what-if on the workspace as it is now. */
      delta: PlanDelta | null;
      /** What this proposal applied, last first, with the steps each took: Back undoes the last while it is the latest edit. */
      applied: { command: Command; steps: number }[];
    };

export interface PlanState {
  view: PlanView | null;
  error: string | null;
  openFixes(finding: Finding): Promise<void>;
  choose(index: number): void;
  openTighten(level: Level): Promise<void>;
  openProposal(level: Level): Promise<void>;
  /** Apply the chosen fix, the tightened level, or the proposal's next step: one undoable step each. */
  apply(): Promise<boolean>;
  /** Apply every step of the proposal not applied yet, as one step. */
  applyRest(): Promise<boolean>;
  /** Undo the proposal's last applied step (only while it is the latest edit). */
  back(): Promise<boolean>;
  close(): void;
}

export type PlanStore = ReturnType<typeof createPlanStore>;

/** What the plan store's action modules share (as StoreKit does for the app store). */
export interface PlanKit {
  set: StoreApi<PlanState>['setState'];
  get: StoreApi<PlanState>['getState'];
  app: AppStore;
  engine: Engine;
  /** Ask the engine and show its answer, unless the view was replaced meanwhile (then the answer is dropped). */
  load<T>(ask: () => Promise<T>, show: (answer: T) => PlanView): Promise<void>;
  /** The what-if of the proposal's next step, unless the view moved on meanwhile. */
  previewStep(): Promise<void>;
  /** Drop every answer still on its way. */
  dropPending(): void;
}

export const createPlanStore = (app: AppStore, engine: Engine) =>
  createStore<PlanState>()((set, get) => {
    // Answers to a view that was replaced meanwhile are dropped.
    let seq = 0;
    const kit: PlanKit = {
      set,
      get,
      app,
      engine,
      load: async (ask, show) => {
        const mine = ++seq;
        try {
          const answer = await ask();
          if (mine === seq) set({ view: show(answer), error: null });
        } catch (e) {
          if (mine === seq) set({ error: (e as Error).message });
        }
      },
      previewStep: async () => {
        const v = get().view;
        if (v?.kind !== 'proposal' || !v.offer) return;
        const step = v.offer.steps[v.step];
        if (!step) return;
        const mine = ++seq;
        const delta = await engine.previewPlan(step.commands).catch(() => null);
        const now = get().view;
        if (mine === seq && now?.kind === 'proposal' && now.step === v.step) set({ view: { ...now, delta } });
      },
      dropPending: () => {
        seq++;
      },
    };
    // Opening other files (or undoing to them) makes the plan about a workspace no longer shown.
    app.subscribe((state, prev) => {
      if (state.history !== prev.history && state.history?.past.at(-1)?.type === 'load' && get().view) get().close();
    });
    return { view: null, error: null, ...openActions(kit), ...applyActions(kit) };
  });
