// The history panel: the edits since import, undone ones struck through (undo/redo live in the toolbar).
import { useStore } from 'zustand';
import type { AppStore } from '../store/store';

export const HistoryPanel = ({ store }: { store: AppStore }) => {
  const past = useStore(store, (s) => s.past);
  const future = useStore(store, (s) => s.future);
  const editError = useStore(store, (s) => s.editError);
  return (
    <section className="panel" data-testid="history" aria-label="history">
      <h2>
        History <span className="muted counts-inline">undo and redo are in the toolbar (Ctrl+Z, Shift+Ctrl+Z)</span>
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
