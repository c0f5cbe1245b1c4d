// Open topology files with the file picker (Ctrl+O), as the toolbar's Open… button does.
import type { Action } from './types';

export const openFiles: Action = {
  id: 'open-files',
  label: 'Open…',
  keys: [{ key: 'o', mod: true, shift: false }],
  run: (ctx) => ctx.openFilePicker(),
};
