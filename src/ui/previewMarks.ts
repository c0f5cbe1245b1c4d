// The marks of the plan under preview, as the graph canvas draws them and the test hook reports them.
import { type PlanMarks, planMarks } from '../graph/plan-marks';
import type { PlanState } from '../store/plan';
import type { AppState } from '../store/store';

/** The marks of the plan under preview: the chosen fix, the tightened level, the proposal's next step. */
export const marksOf = (plan: PlanState, app: AppState): PlanMarks | null => {
  const v = plan.view;
  const shown =
    v?.kind === 'fixes'
      ? v.offers?.[v.chosen]
      : v?.kind === 'tighten'
        ? v.offer
        : v?.kind === 'proposal' && v.delta
          ? { commands: v.offer?.steps[v.step]?.commands ?? [], delta: v.delta }
          : null;
  if (!shown || !app.workspace) return null;
  return planMarks(shown.commands, shown.delta, new Set(app.workspace.services.map((s) => s.id)));
};
