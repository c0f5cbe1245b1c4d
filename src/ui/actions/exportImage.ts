// Export → View as PNG / SVG: the drawn graph as a picture, on the theme's background.

import { download, downloadText, fileStem } from './download';
import type { Action, ActionContext } from './types';

const background = (ctx: ActionContext) => (ctx.store.getState().theme === 'dark' ? '#0d1117' : '#ffffff');

/** The picture in one format, downloaded as `<workspace>.<format>` (PNG: a data URL; SVG: the text). */
const exportImage = (format: 'png' | 'svg', label: string): Action => ({
  id: format,
  label,
  enabled: (ctx) => ctx.view !== undefined,
  run: (ctx) => {
    if (!ctx.view) return;
    const name = `${fileStem(ctx.store.getState().workspace?.name)}.${format}`;
    const image = ctx.view.exportImage(format, background(ctx));
    if (format === 'png') download(name, image);
    else downloadText(name, image, 'image/svg+xml');
  },
});

export const exportPng = exportImage('png', 'View as PNG');
export const exportSvg = exportImage('svg', 'View as SVG');
