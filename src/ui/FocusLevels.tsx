// The toolbar's focus buttons: one per level, the pressed one is the band the canvas draws.
import { useStore } from 'zustand';
import { LEVEL_TITLES, LEVELS, type Level } from '../model/types';
import type { AppStore } from '../store/store';

const LEVEL_SHORT: Record<Level, string> = {
  account: 'acct',
  role: 'role',
  network: 'net',
  group: 'group',
  policy: 'policy',
  overlay: 'overlay',
};

export const FocusLevels = ({ store }: { store: AppStore }) => {
  const focus = useStore(store, (s) => s.focus);
  return (
    <fieldset className="focus" aria-label="focus level">
      <legend>focus</legend>
      {LEVELS.map((level) => (
        <button
          key={level}
          type="button"
          data-testid={`focus-${level}`}
          title={`Focus the ${LEVEL_TITLES[level]} band: its calls drawn service to service`}
          // The visible abbreviation starts the name, so speech input ("click acct") finds it.
          aria-label={`${LEVEL_SHORT[level]}: focus ${LEVEL_TITLES[level]}`}
          aria-pressed={focus === level}
          className={focus === level ? 'active' : ''}
          onClick={() => store.getState().setFocus(level)}
        >
          {LEVEL_SHORT[level]}
        </button>
      ))}
    </fieldset>
  );
};
