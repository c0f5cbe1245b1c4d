// Move the selected service to another segment with the Move dialog (M): the keyboard way of a drag.
import type { Action } from './types';

export const moveService: Action = {
  id: 'move-service',
  label: 'Move the selected service…',
  keys: [{ key: 'm' }],
  enabled: (ctx) => Boolean(ctx.store.getState().selection.serviceId),
  run: (ctx) => ctx.openMoveDialog(),
};
