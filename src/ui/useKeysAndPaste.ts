// The page's keys and paste: a key runs its action (src/ui/actions) unless a field is being typed in; pasted text is imported.
import { type RefObject, useEffect } from 'react';
import type { AppStore } from '../store/store';
import { type ActionContext, actionForKey, isEnabled, KEYED_ACTIONS } from './actions';

const typingIn = (target: EventTarget | null, fields: string[]) => {
  const el = target as HTMLElement | null;
  return el !== null && fields.includes(el.tagName);
};

export const useKeysAndPaste = (store: AppStore, ctx: RefObject<ActionContext>) => {
  useEffect(() => {
    const onPaste = async (e: ClipboardEvent) => {
      if (typingIn(e.target, ['INPUT', 'TEXTAREA'])) return;
      const text = e.clipboardData?.getData('text/plain');
      if (text?.trim()) await store.getState().importFiles([{ name: 'pasted', text }]);
    };
    const onKey = (e: KeyboardEvent) => {
      if (typingIn(e.target, ['INPUT', 'TEXTAREA', 'SELECT'])) return;
      const action = actionForKey(KEYED_ACTIONS, e);
      if (!action || !isEnabled(action, ctx.current)) return;
      e.preventDefault();
      void action.run(ctx.current);
    };
    window.addEventListener('paste', onPaste);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('keydown', onKey);
    };
  }, [store, ctx]);
};
