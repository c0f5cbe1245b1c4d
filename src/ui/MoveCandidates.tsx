// The Move dialog's target picker: a filter over the level's segments and the list, walked with ↑ ↓ and Enter.
import { type KeyboardEvent, type RefObject, useRef } from 'react';
import type { Level, Segment } from '../model/types';
import type { AppStore } from '../store/store';

/** ↑ ↓ move between the list's buttons; ↑ from the first goes back to the filter. */
const walkList = (
  e: KeyboardEvent<HTMLUListElement>,
  list: HTMLUListElement | null,
  filter: HTMLInputElement | null,
) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const buttons = Array.from(list?.querySelectorAll('button') ?? []);
  const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const next = e.key === 'ArrowDown' ? buttons[i + 1] : i <= 0 ? filter : buttons[i - 1];
  if (next) {
    e.preventDefault();
    next.focus();
  }
};

export const MoveCandidates = ({
  store,
  level,
  candidates,
  query,
  onQuery,
  add,
  target,
  search,
}: {
  store: AppStore;
  level: Level;
  candidates: Segment[];
  query: string;
  onQuery(query: string): void;
  add: boolean;
  /** The segment picked so far (the drag state's target). */
  target: string | null | undefined;
  /** The filter, which the dialog focuses when it opens. */
  search: RefObject<HTMLInputElement | null>;
}) => {
  const list = useRef<HTMLUListElement>(null);
  const pick = (id: string) => store.getState().dragTarget(id, add ? 'add' : 'move');
  return (
    <>
      <input
        ref={search}
        type="search"
        placeholder={`search ${level} segments`}
        aria-label="search segments"
        data-testid="move-search"
        value={query}
        onChange={(e) => onQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Enter picks the one segment the filter leaves (or the one named exactly); ↓ goes to the list.
          const only =
            candidates.length === 1
              ? candidates[0]
              : candidates.find((c) => c.name.toLowerCase() === query.trim().toLowerCase());
          if (e.key === 'Enter' && only) {
            e.preventDefault();
            pick(only.id);
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            list.current?.querySelector('button')?.focus();
          }
        }}
      />
      <p className="muted" aria-live="polite" data-testid="move-matches">
        {candidates.length === 1
          ? '1 segment matches: Enter picks it'
          : `${candidates.length.toLocaleString('en-US')} segments match`}
      </p>
      {/* ↑ ↓ move between segments; ↑ from the first goes back to the filter. */}
      <ul
        ref={list}
        className="candidates"
        aria-label="segments"
        onKeyDown={(e) => walkList(e, list.current, search.current)}
      >
        {candidates.slice(0, 200).map((s) => (
          <li key={s.id}>
            <button
              type="button"
              data-testid="move-candidate"
              aria-pressed={target === s.id}
              className={target === s.id ? 'active' : ''}
              onClick={() => pick(s.id)}
            >
              {s.name}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
};
