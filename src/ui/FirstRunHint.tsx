// The first-run hint: offers the 2-minute tour (the Compose v1 vs v2 lesson) until it is taken or dismissed, once.
import { useState } from 'react';

export const TOUR_LESSON = 'compose-v1-v2';
const KEY = 'segscope.tour-offered';

const dismissed = (): boolean => {
  try {
    return window.localStorage.getItem(KEY) === 'done';
  } catch {
    return false;
  }
};

const remember = () => {
  try {
    window.localStorage.setItem(KEY, 'done');
  } catch {
    // Storage refused (private mode): the hint may come back next time, nothing else is lost.
  }
};

export const FirstRunHint = ({ onTour }: { onTour(): void }) => {
  const [shown, setShown] = useState(() => !dismissed());
  if (!shown) return null;
  return (
    <aside className="first-run" data-testid="first-run-hint" aria-label="first run">
      <span>New to segscope?</span>
      <button
        type="button"
        className="primary"
        data-testid="take-tour"
        onClick={() => {
          remember();
          setShown(false);
          onTour();
        }}
      >
        Take the 2-minute tour
      </button>
      <button
        type="button"
        className="icon"
        data-testid="dismiss-tour"
        title="Do not offer the tour again"
        aria-label="dismiss"
        onClick={() => {
          remember();
          setShown(false);
        }}
      >
        ✕
      </button>
    </aside>
  );
};
