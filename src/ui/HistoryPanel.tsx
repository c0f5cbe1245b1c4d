// The history panel: the edits since import, with undo and redo.
import { useStore } from 'zustand';
import type { AppStore } from '../store/store';

export const HistoryPanel = ({ store }: { store: AppStore }) => {
  const past = useStore(store, (s) => s.past);
  const future = useStore(store, (s) => s.future);
  const editError = useStore(store, (s) => s.editError);
  return (
    <section className="panel" data-testid="history" aria-label="history">
      <h2>
        History{' '}
        <button
          type="button"
          data-testid="undo"
          disabled={past.length === 0}
          onClick={() => store.getState().undo()}
          title="Undo (Ctrl+Z)"
        >
          Undo
        </button>{' '}
        <button
          type="button"
          data-testid="redo"
          disabled={future.length === 0}
          onClick={() => store.getState().redo()}
          title="Redo (Shift+Ctrl+Z)"
        >
          Redo
        </button>
      </h2>
      {editError ? (
        <p className="bad" role="alert" data-testid="edit-error">
          {editError}
        </p>
      ) : null}
      {past.length === 0 && future.length === 0 ? (
        <p className="muted">No edits yet. Drag a service onto another segment, or select it and press M.</p>
      ) : null}
      <ol className="history">
        {past.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: history entries are positional
          <li key={`p${i}`} data-testid="history-entry">
            {e.label}
          </li>
        ))}
        {future.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: history entries are positional
          <li key={`f${i}`} className="undone" data-testid="history-undone">
            {e.label}
          </li>
        ))}
      </ol>
    </section>
  );
};
