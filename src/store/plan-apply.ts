// The plan store's applying actions: the chosen fix, the tightened level, the proposal step by step, and Back.
import type { Command } from '../model/commands';
import type { PlanKit, PlanState } from './plan';

/** One history step for a plan: a single command as itself, several as one applyPlan. */
export const planCommand = (label: string, commands: Command[]): Command =>
  commands.length === 1 ? (commands[0] as Command) : { type: 'applyPlan', label, commands };

export const applyActions = ({
  set,
  get,
  app,
  previewStep,
}: PlanKit): Pick<PlanState, 'apply' | 'applyRest' | 'back'> => {
  const applyOne = (label: string, commands: Command[]): Command | null => {
    const cmd = planCommand(label, commands);
    if (!app.getState().apply(cmd)) {
      set({ error: app.getState().editError ?? 'the plan no longer applies to this workspace' });
      return null;
    }
    return cmd;
  };
  return {
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
  };
};
