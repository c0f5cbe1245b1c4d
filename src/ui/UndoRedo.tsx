// The toolbar's undo and redo buttons, enabled by what the history holds.
import { useStore } from 'zustand';
import { canRedo, canUndo } from '../model/history';
import type { AppStore } from '../store/store';

export const UndoRedo = ({ store }: { store: AppStore }) => {
  const undoable = useStore(store, (s) => canUndo(s.history));
  const redoable = useStore(store, (s) => canRedo(s.history));
  return (
    <span className="undo-redo">
      <button
        type="button"
        className="icon"
        data-testid="undo"
        disabled={!undoable}
        onClick={() => store.getState().undo()}
        title="Undo the last edit (Ctrl+Z)"
        aria-label="undo"
      >
        ↶
      </button>
      <button
        type="button"
        className="icon"
        data-testid="redo"
        disabled={!redoable}
        onClick={() => store.getState().redo()}
        title="Redo (Shift+Ctrl+Z)"
        aria-label="redo"
      >
        ↷
      </button>
    </span>
  );
};
