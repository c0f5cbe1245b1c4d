// Export → View as PNG / SVG: the drawn graph as a picture, on the theme's background.

import { download, downloadText, fileStem } from './download';
import type { Action, ActionContext } from './types';

const background = (ctx: ActionContext) => (ctx.store.getState().theme === 'dark' ? '#0d1117' : '#ffffff');

export const exportPng: Action = {
  id: 'png',
  label: 'View as PNG',
  enabled: (ctx) => ctx.view !== undefined,
  run: (ctx) => {
    if (!ctx.view) return;
    download(`${fileStem(ctx.store.getState().workspace?.name)}.png`, ctx.view.exportImage('png', background(ctx)));
  },
};

export const exportSvg: Action = {
  id: 'svg',
  label: 'View as SVG',
  enabled: (ctx) => ctx.view !== undefined,
  run: (ctx) => {
    if (!ctx.view) return;
    const svg = ctx.view.exportImage('svg', background(ctx));
    downloadText(`${fileStem(ctx.store.getState().workspace?.name)}.svg`, svg, 'image/svg+xml');
  },
};
