// The history panel: every load and edit of this page, undone ones struck through (undo/redo live in the toolbar).
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { historyLines } from '../model/history';
import type { AppStore } from '../store/store';

export const HistoryPanel = ({ store }: { store: AppStore }) => {
  const history = useStore(store, (s) => s.history);
  const lines = useMemo(() => (history ? historyLines(history) : []), [history]);
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
      {lines.length === 0 ? (
        <p className="muted">No edits yet. Drag a service onto another segment, or select it and press M.</p>
      ) : null}
      <ol className="history">
        {lines.map((e, i) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: history entries are positional
            key={i}
            className={e.undone ? 'undone' : undefined}
            data-testid={e.undone ? 'history-undone' : 'history-entry'}
          >
            {e.label}
          </li>
        ))}
      </ol>
    </section>
  );
};
