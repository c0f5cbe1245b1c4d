// Writer for the native workspace format: two-space JSON with a final newline, keys in model order.
import type { ExportResult } from '../../export/format';
import type { Workspace } from '../../model/types';

export const toNative = (ws: Workspace): string => `${JSON.stringify(ws, null, 2)}\n`;

/** The native workspace file, named after the workspace when it has a name. */
export const exportNative = (ws: Workspace): ExportResult => {
  const stem = (ws.name ?? 'workspace').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'workspace';
  return { files: [{ name: `${stem}.segscope.json`, text: toNative(ws) }], notes: [] };
};
