// The app's actions in one place: the Export menu's entries and the keyboard's bindings read these lists.
import { exportPng, exportSvg } from './exportImage';
import { exportPlanJson, exportPlanMarkdown } from './exportPlan';
import { leavePresentation, lessonNext, lessonPrev } from './lesson';
import { moveService } from './moveService';
import { openFiles } from './openFiles';
import { redo } from './redo';
import type { Action, ActionContext, KeyBinding } from './types';
import { undo } from './undo';

export { exportFormat } from './exportFormat';
export { newWorkspace } from './newWorkspace';
export { openFiles } from './openFiles';
export { loadSample, openSample, readSampleText, type SampleEntry } from './openSample';
export type { Action, ActionContext, KeyBinding } from './types';

/** Export entries that do not depend on a format: the view as a picture, the change plan. */
export const VIEW_EXPORTS: readonly Action[] = [exportPng, exportSvg];
export const PLAN_EXPORTS: readonly Action[] = [exportPlanMarkdown, exportPlanJson];

/** Actions with a key. */
export const KEYED_ACTIONS: readonly Action[] = [
  openFiles,
  undo,
  redo,
  moveService,
  lessonNext,
  lessonPrev,
  leavePresentation,
];

const matches = (k: KeyBinding, e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>) =>
  e.key.toLowerCase() === k.key &&
  (e.ctrlKey || e.metaKey) === (k.mod ?? false) &&
  (k.shift === undefined || e.shiftKey === k.shift) &&
  !e.altKey;

/** The action a key press runs, if any. */
export const actionForKey = (
  actions: readonly Action[],
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): Action | undefined => actions.find((a) => a.keys?.some((k) => matches(k, e)));

export const isEnabled = (a: Action, ctx: ActionContext): boolean => a.enabled?.(ctx) ?? true;
