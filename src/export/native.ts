// Writer for the native workspace format: two-space JSON with a final newline, keys in model order.
import type { Workspace } from '../model/types';

export const toNative = (ws: Workspace): string => `${JSON.stringify(ws, null, 2)}\n`;
