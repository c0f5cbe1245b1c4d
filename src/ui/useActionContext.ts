// The context the app's actions run in (src/ui/actions), kept in a ref so a key handler always sees the current view.
import { type RefObject, useRef } from 'react';
import type { ActionContext } from './actions';

export const useActionContext = (current: ActionContext): RefObject<ActionContext> => {
  const ctx = useRef<ActionContext>(current);
  ctx.current = current;
  return ctx;
};
