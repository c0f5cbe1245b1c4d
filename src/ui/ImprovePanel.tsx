// "Improve the focused level": tighten its rules to the declared calls, or step through a proposed segmentation.
import { useStore } from 'zustand';
import type { PlanStore } from '../store/plan';
import type { AppStore } from '../store/store';

export const ImprovePanel = ({ store, plans }: { store: AppStore; plans: PlanStore }) => {
  const focus = useStore(store, (s) => s.focus);
  const has = useStore(store, (s) => s.workspace !== null);
  if (!has) return null;
  return (
    <section className="panel improve" data-testid="improve" aria-label={`improve the ${focus} level`}>
      <h2>Improve the {focus} level</h2>
      <div className="improve-actions">
        <button
          type="button"
          data-testid="tighten"
          title={`Least-privilege ${focus} rules: allow exactly the declared calls and the ports they use; previewed before anything changes`}
          onClick={() => void plans.getState().openTighten(focus)}
        >
          Tighten
        </button>
        <button
          type="button"
          data-testid="propose"
          title={`A ${focus} segmentation from the call graph within the quotas (hubs alone, exposed apart from critical), stepped through move by move`}
          onClick={() => void plans.getState().openProposal(focus)}
        >
          Propose a segmentation
        </button>
      </div>
    </section>
  );
};
