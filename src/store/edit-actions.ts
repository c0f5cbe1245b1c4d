// The store's edits: commands applied, undone and redone, drags with their what-if deltas, and questions to the engine.
import type { MoveCommand } from '../model/commands';
import { type History, recordStep, redo, type Step, undo } from '../model/history';
import { EngineStopped } from '../worker/client';
import { latestWins } from '../worker/latest';
import { type AppState, type DragState, dragCommand, type StoreKit } from './state';

type EditActions = Pick<AppState, 'apply' | 'undo' | 'redo' | 'preview' | 'reach' | 'callVerdict'>;

/** Undo or redo: the history one step back or forward, the worker told, the step that moved committed. */
const travel = (
  { get, commit, refused }: Pick<StoreKit, 'get' | 'commit' | 'refused'>,
  move: (h: History) => History | null,
  tell: () => unknown,
  moved: (h: History) => Step | undefined,
): boolean => {
  const { history } = get();
  const next = history && !refused() ? move(history) : null;
  if (!next) return false;
  void tell();
  commit(next, moved(next));
  return true;
};

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
  undo: () =>
    travel(
      { get, commit, refused },
      undo,
      () => engine.undo(),
      (back) => back.future[0],
    ),
  redo: () =>
    travel(
      { get, commit, refused },
      redo,
      () => engine.redo(),
      (forward) => forward.past.at(-1),
    ),
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
