// The what-if while a service is dragged, docked at the top of the right panel: what the drop would do.
import { useStore } from 'zustand';
import { SINGLE_MEMBERSHIP_LEVELS } from '../model/commands';
import type { AppStore } from '../store/store';
import { DeltaSummary } from './DeltaPanel';

export const DragPanel = ({ store }: { store: AppStore }) => {
  const drag = useStore(store, (s) => s.drag);
  const workspace = useStore(store, (s) => s.workspace);
  if (!drag || !workspace) return null;
  const name = (id: string | null) => (id === null ? '' : (workspace.segments.find((s) => s.id === id)?.name ?? id));
  const service = workspace.services.find((s) => s.id === drag.service)?.name ?? drag.service;
  const multi = !SINGLE_MEMBERSHIP_LEVELS.includes(drag.level);
  return (
    <section className="drag-panel" data-testid="drag-panel" aria-live="polite" aria-label="what this move does">
      <h2>
        <span className="what-if">What-if</span> {drag.mode === 'add' ? 'Add' : 'Move'} <strong>{service}</strong> at{' '}
        {drag.level}: {name(drag.from)}
        {drag.target ? ` → ${name(drag.target)}` : ''}
      </h2>
      {drag.target === null ? (
        <p className="muted">
          Drop on another {drag.level} segment. Escape cancels.
          {multi ? ' Hold Shift to add a membership instead of moving.' : ''}
        </p>
      ) : drag.delta === null ? (
        <p className="muted" data-testid="delta-pending">
          computing…
        </p>
      ) : (
        <DeltaSummary delta={drag.delta} workspace={workspace} />
      )}
    </section>
  );
};
