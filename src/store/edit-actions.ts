// The store's edits: commands applied, undone and redone, drags with their what-if deltas, and questions to the engine.
import type { MoveCommand } from '../model/commands';
import { recordStep, redo, undo } from '../model/history';
import { EngineStopped } from '../worker/client';
import { latestWins } from '../worker/latest';
import { type AppState, type DragState, dragCommand, type StoreKit } from './state';

type EditActions = Pick<AppState, 'apply' | 'undo' | 'redo' | 'preview' | 'reach' | 'callVerdict'>;

export const editActions = ({ set, get, engine, commit, refused }: StoreKit): EditActions => ({
  apply: (command) => {
    const { history } = get();
    if (!history || refused()) return false;
    try {
      const next = recordStep(history, command);
      void engine.record(command);
      commit(next, command);
      return true;
    } catch (e) {
      set({ editError: (e as Error).message });
      return false;
    }
  },
  undo: () => {
    const { history } = get();
    const back = history && !refused() ? undo(history) : null;
    if (!back) return false;
    void engine.undo();
    commit(back, back.future[0]);
    return true;
  },
  redo: () => {
    const { history } = get();
    const forward = history && !refused() ? redo(history) : null;
    if (!forward) return false;
    void engine.redo();
    commit(forward, forward.past.at(-1));
    return true;
  },
  preview: (move) => engine.preview(move),
  reach: (from, to, port, protocol) => engine.reach(from, to, port, protocol),
  callVerdict: (index) => engine.callVerdict(index),
});

type DragActions = Pick<AppState, 'dragStart' | 'dragTarget' | 'dragDrop' | 'dragCancel'>;

export const dragActions = ({ set, get, engine }: StoreKit): DragActions => {
  // While dragging, only the newest target's delta is computed (see latestWins), and an answer is
  // shown only while its request is the newest of all drags (the count never goes back).
  const previewLatest = latestWins((move: MoveCommand) => engine.preview(move));
  let dragSeq = 0;
  return {
    dragStart: (d) => set({ drag: { ...d, target: null, mode: 'move', delta: null, seq: ++dragSeq } }),
    dragTarget: (target, mode) => {
      const drag = get().drag;
      if (!drag) return;
      const next: DragState = { ...drag, target, mode, delta: null, seq: ++dragSeq };
      set({ drag: next });
      const cmd = dragCommand(next);
      if (!cmd) return;
      previewLatest(cmd)
        .then((delta) => {
          const now = get().drag;
          // Only the answer for the newest target of this drag is shown; a replaced one never is.
          if (delta && now?.seq === next.seq) set({ drag: { ...now, delta } });
        })
        .catch((e: Error) => {
          if (!(e instanceof EngineStopped)) set({ editError: `preview failed: ${e.message}` });
        });
    },
    dragDrop: () => {
      const drag = get().drag;
      set({ drag: null });
      const cmd = drag ? dragCommand(drag) : null;
      return cmd ? get().apply(cmd) : false;
    },
    dragCancel: () => set({ drag: null }),
  };
};
