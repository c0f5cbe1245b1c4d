// The plan under review: a finding's fixes, a tightened level or a proposed segmentation, previewed and applied as undoable steps.
import { createStore } from 'zustand/vanilla';
import type { Finding } from '../analysis/types';
import type { Command } from '../model/commands';
import type { Level } from '../model/types';
import type { FixOffer, PlanDelta, ProposalOffer, TightenOffer } from '../synthesize/offers';
import type { Engine } from '../worker/client';
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

/** One history step for a plan: a single command as itself, several as one applyPlan. */
export const planCommand = (label: string, commands: Command[]): Command =>
  commands.length === 1 ? (commands[0] as Command) : { type: 'applyPlan', label, commands };

export const createPlanStore = (app: AppStore, engine: Engine) =>
  createStore<PlanState>()((set, get) => {
    // Answers to a view that was replaced meanwhile are dropped.
    let seq = 0;
    const load = async <T>(ask: () => Promise<T>, show: (answer: T) => PlanView): Promise<void> => {
      const mine = ++seq;
      try {
        const answer = await ask();
        if (mine === seq) set({ view: show(answer), error: null });
      } catch (e) {
        if (mine === seq) set({ error: (e as Error).message });
      }
    };
    const previewStep = async () => {
      const v = get().view;
      if (v?.kind !== 'proposal' || !v.offer) return;
      const step = v.offer.steps[v.step];
      if (!step) return;
      const mine = ++seq;
      const delta = await engine.previewPlan(step.commands).catch(() => null);
      const now = get().view;
      if (mine === seq && now?.kind === 'proposal' && now.step === v.step) set({ view: { ...now, delta } });
    };
    const applyOne = (label: string, commands: Command[]): Command | null => {
      const cmd = planCommand(label, commands);
      if (!app.getState().apply(cmd)) {
        set({ error: app.getState().editError ?? 'the plan no longer applies to this workspace' });
        return null;
      }
      return cmd;
    };
    // Opening other files (or undoing to them) makes the plan about a workspace no longer shown.
    app.subscribe((state, prev) => {
      if (state.history !== prev.history && state.history?.past.at(-1)?.type === 'load' && get().view) get().close();
    });
    return {
      view: null,
      error: null,
      openFixes: async (finding) => {
        const f = { key: finding.key, id: finding.id, message: finding.message };
        set({ view: { kind: 'fixes', finding: f, offers: null, chosen: 0 }, error: null });
        await load(
          () => engine.fixes(finding.key),
          (offers) => ({ kind: 'fixes', finding: f, offers, chosen: 0 }),
        );
      },
      choose: (chosen) => {
        const v = get().view;
        if (v?.kind === 'fixes') set({ view: { ...v, chosen } });
      },
      openTighten: async (level) => {
        set({ view: { kind: 'tighten', level, offer: null }, error: null });
        await load(
          () => engine.tighten(level),
          (offer) => ({ kind: 'tighten', level, offer }),
        );
      },
      openProposal: async (level) => {
        set({ view: { kind: 'proposal', level, offer: null, step: 0, delta: null, applied: [] }, error: null });
        await load(
          () => engine.propose(level),
          (offer) => ({ kind: 'proposal', level, offer, step: 0, delta: null, applied: [] }),
        );
        await previewStep();
      },
      apply: async () => {
        const v = get().view;
        if (v?.kind === 'fixes') {
          const fix = v.offers?.[v.chosen];
          if (!fix || !applyOne(`fix: ${fix.title}`, fix.commands)) return false;
          set({ view: null });
          return true;
        }
        if (v?.kind === 'tighten') {
          if (!v.offer || !applyOne(v.offer.title, v.offer.commands)) return false;
          set({ view: null });
          return true;
        }
        if (v?.kind !== 'proposal' || !v.offer) return false;
        const step = v.offer.steps[v.step];
        const cmd = step ? applyOne(step.label, step.commands) : null;
        if (!cmd) return false;
        set({ view: { ...v, step: v.step + 1, delta: null, applied: [{ command: cmd, steps: 1 }, ...v.applied] } });
        await previewStep();
        return true;
      },
      applyRest: async () => {
        const v = get().view;
        if (v?.kind !== 'proposal' || !v.offer) return false;
        const rest = v.offer.steps.slice(v.step);
        if (rest.length === 0) return false;
        const label = `the rest of the proposed ${v.level} segmentation (${rest.length} move${rest.length === 1 ? '' : 's'})`;
        const cmd = applyOne(
          label,
          rest.flatMap((s) => s.commands),
        );
        if (!cmd) return false;
        // One step took every remaining move: Back takes them all back at once.
        const applied = [{ command: cmd, steps: rest.length }, ...v.applied];
        set({ view: { ...v, step: v.offer.steps.length, delta: null, applied } });
        return true;
      },
      back: async () => {
        const v = get().view;
        const last = v?.kind === 'proposal' ? v.applied[0] : undefined;
        if (v?.kind !== 'proposal' || !last || app.getState().history?.past.at(-1) !== last.command) return false;
        if (!app.getState().undo()) return false;
        set({ view: { ...v, step: Math.max(0, v.step - last.steps), delta: null, applied: v.applied.slice(1) } });
        await previewStep();
        return true;
      },
      close: () => {
        seq++;
        set({ view: null, error: null });
      },
    };
  });
