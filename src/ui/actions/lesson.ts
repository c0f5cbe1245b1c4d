// Step through the open lesson (→ / PageDown, ← / PageUp: a presenter's clicker sends these) and leave presentation mode (Escape).
import type { Action, ActionContext } from './types';

/** A lesson is open and no dialog (gallery, export) has the keys. */
const stepping = (ctx: ActionContext) =>
  ctx.lessons.getState().active !== null && !document.querySelector('dialog[open]');

export const lessonNext: Action = {
  id: 'lesson-next',
  label: 'Next lesson step',
  keys: [{ key: 'arrowright' }, { key: 'pagedown' }],
  enabled: stepping,
  run: (ctx) => ctx.lessons.getState().next(),
};

export const lessonPrev: Action = {
  id: 'lesson-prev',
  label: 'Back one lesson step',
  keys: [{ key: 'arrowleft' }, { key: 'pageup' }],
  enabled: stepping,
  run: (ctx) => ctx.lessons.getState().prev(),
};

/** Escape leaves presentation mode, unless it is cancelling a drag. */
export const leavePresentation: Action = {
  id: 'leave-presentation',
  label: 'Leave presentation mode',
  keys: [{ key: 'escape' }],
  enabled: (ctx) => ctx.lessons.getState().presenting && !ctx.store.getState().drag,
  run: (ctx) => ctx.lessons.getState().setPresenting(false),
};
