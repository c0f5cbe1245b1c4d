// Redo the last undone edit (Shift+Ctrl+Z or Ctrl+Y).
import type { Action } from './types';

export const redo: Action = {
  id: 'redo',
  label: 'Redo',
  keys: [
    { key: 'z', mod: true, shift: true },
    { key: 'y', mod: true },
  ],
  run: (ctx) => {
    ctx.store.getState().redo();
  },
};
