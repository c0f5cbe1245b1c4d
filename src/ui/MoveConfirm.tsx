// The Move dialog's last rows: the what-if of the picked segment, then Cancel, Move (or Add) and Remove.
import { useStore } from 'zustand';
import { DeltaSummary } from './DeltaPanel';
import type { MoveChoice } from './MoveDialog';

export const MoveConfirm = ({ move, onClose }: { move: MoveChoice; onClose(): void }) => {
  const { store, workspace, service, level, from, add, multi } = move;
  const drag = useStore(store, (s) => s.drag);
  const fromName = workspace.segments.find((s) => s.id === from)?.name ?? from;
  return (
    <>
      <div className="preview">
        {drag?.target ? (
          drag.delta ? (
            <DeltaSummary delta={drag.delta} workspace={workspace} />
          ) : (
            <p className="muted">computing…</p>
          )
        ) : null}
      </div>
      <div className="row end">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          data-testid="move-confirm"
          disabled={!drag?.target}
          onClick={() => {
            store.getState().dragDrop();
            onClose();
          }}
        >
          {add ? 'Add' : 'Move'}
        </button>
        {multi && from ? (
          <button
            type="button"
            data-testid="move-remove"
            title={`remove ${service.name} from ${fromName}`}
            onClick={() => {
              store.getState().apply({ type: 'moveService', service: service.id, level, from, to: null });
              onClose();
            }}
          >
            Remove from {fromName}
          </button>
        ) : null}
      </div>
    </>
  );
};
