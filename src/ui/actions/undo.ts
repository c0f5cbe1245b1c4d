// Undo the last edit (Ctrl+Z).
import type { Action } from './types';

export const undo: Action = {
  id: 'undo',
  label: 'Undo',
  keys: [{ key: 'z', mod: true, shift: false }],
  run: (ctx) => {
    ctx.store.getState().undo();
  },
};
