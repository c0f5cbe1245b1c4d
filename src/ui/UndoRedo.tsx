// The toolbar's undo and redo buttons, enabled by what the history holds.
import { useStore } from 'zustand';
import { canRedo, canUndo } from '../model/history';
import type { AppStore } from '../store/store';

const STEP = {
  undo: { can: canUndo, title: 'Undo the last edit (Ctrl+Z)', glyph: '↶' },
  redo: { can: canRedo, title: 'Redo (Shift+Ctrl+Z)', glyph: '↷' },
} as const;

const HistoryButton = ({ store, step }: { store: AppStore; step: keyof typeof STEP }) => {
  const { can, title, glyph } = STEP[step];
  const enabled = useStore(store, (s) => can(s.history));
  return (
    <button
      type="button"
      className="icon"
      data-testid={step}
      disabled={!enabled}
      onClick={() => store.getState()[step]()}
      title={title}
      aria-label={step}
    >
      {glyph}
    </button>
  );
};

export const UndoRedo = ({ store }: { store: AppStore }) => (
  <span className="undo-redo">
    <HistoryButton store={store} step="undo" />
    <HistoryButton store={store} step="redo" />
  </span>
);
