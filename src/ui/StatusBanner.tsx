// The banner under the toolbar for what the person must know now: read-only tab, a restarted engine, long work to cancel.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { type AppStore, analysisProgressText } from '../store/store';
import './status-banner.css';

/** Work shorter than this shows only in the toolbar's status; longer work gets elapsed time and Cancel. */
const LONG_MS = 1000;

/** Seconds since `since` (null: not running), updated twice a second. */
const useElapsed = (running: boolean): number => {
  const [since, setSince] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (!running) {
      setSince(null);
      return;
    }
    const t0 = performance.now();
    setSince(t0);
    setNow(t0);
    const timer = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  return since === null ? 0 : now - since;
};

export const StatusBanner = ({ store, onTakeOver }: { store: AppStore; onTakeOver(): void }) => {
  const readOnly = useStore(store, (s) => s.readOnly);
  const notice = useStore(store, (s) => s.notice);
  const busy = useStore(store, (s) => s.busy);
  const theme = useStore(store, (s) => s.theme);
  const services = useStore(store, (s) => s.workspace?.services.length ?? 0);
  const analysing = useStore(store, (s) => s.workspace !== null && s.analysis === null);
  const progress = useStore(store, (s) => analysisProgressText(s));
  const work = busy ?? progress ?? (analysing ? `Analysing ${services.toLocaleString('en')} services…` : null);
  const elapsed = useElapsed(work !== null);
  const long = work !== null && elapsed >= LONG_MS;
  if (!readOnly && !notice && !long) return null;
  return (
    <section className={`status-banner ${theme}`} aria-label="status" data-testid="status-banner">
      {readOnly ? (
        <p role="alert" data-testid="read-only">
          {readOnly}{' '}
          <button type="button" data-testid="take-over" onClick={onTakeOver}>
            Take over here
          </button>
        </p>
      ) : null}
      {notice ? (
        <p role="status" data-testid="notice">
          {notice}{' '}
          <button type="button" aria-label="dismiss" onClick={() => store.setState({ notice: null })}>
            OK
          </button>
        </p>
      ) : null}
      {long ? (
        <p role="status" data-testid="progress">
          {work} {Math.floor(elapsed / 1000)} s{' '}
          <button type="button" data-testid="cancel" onClick={() => store.getState().cancel()}>
            Cancel
          </button>
        </p>
      ) : null}
    </section>
  );
};
