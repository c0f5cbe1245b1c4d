// View → New workspace: an empty workspace as an undoable load (Undo brings the previous one back).
import type { Action } from './types';

/** No key: browsers keep Ctrl/Cmd+N (a new window) for themselves. A read-only tab refuses it, saying why (store). */
export const newWorkspace: Action = {
  id: 'new-workspace',
  label: 'New workspace',
  run: (ctx) =>
    ctx.store
      .getState()
      .setWorkspace({ segscope: 1, name: 'New workspace', services: [], segments: [], calls: [], rules: [] }),
};
