// The open lesson: its caption at the bottom, back / do it / next, and presentation mode (its keys: ui/actions/lesson.ts).
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { beatsOf, stateAt, stepCommand } from '../lessons/walk';
import type { LessonStore } from '../store/lesson';

/** Full screen where the browser allows it (it needs a click or key); the layout is full-window either way. */
const fullScreen = (on: boolean) => {
  if (on && !document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => undefined);
  if (!on && document.fullscreenElement) document.exitFullscreen?.().catch(() => undefined);
};

export const LessonBar = ({ lessons }: { lessons: LessonStore }) => {
  const active = useStore(lessons, (s) => s.active);
  const presenting = useStore(lessons, (s) => s.presenting);
  const error = useStore(lessons, (s) => s.error);
  const beat = useMemo(() => (active ? beatsOf(active.story)[active.beat] : undefined), [active]);
  // The label of the action this step is about to perform, as the history will show it.
  const pending = useMemo(() => {
    if (!active || !beat || beat.done || !active.story.steps[beat.step]?.action) return null;
    return (
      stepCommand(stateAt(active.base, active.story, active.beat).workspace, active.story, beat.step)?.label ?? null
    );
  }, [active, beat]);

  // The keys (←/→, PageUp/PageDown, Escape) are actions (ui/actions/lesson.ts); leaving the
  // browser's full screen (its own Escape) leaves presentation mode too.
  useEffect(() => {
    if (!active) return;
    const onFullScreen = () => {
      if (!document.fullscreenElement && lessons.getState().presenting) lessons.getState().setPresenting(false);
    };
    document.addEventListener('fullscreenchange', onFullScreen);
    return () => document.removeEventListener('fullscreenchange', onFullScreen);
  }, [active, lessons]);
  useEffect(() => {
    if (!presenting) fullScreen(false);
  }, [presenting]);

  if (!active || !beat)
    return error ? (
      <p className="lesson-error bad" role="alert">
        {error}
      </p>
    ) : null;
  const step = active.story.steps[beat.step];
  const last = active.beat === active.beats - 1;
  return (
    <section className="lesson-bar" data-testid="lesson-bar" aria-label={`lesson: ${active.story.title}`}>
      <div className="lesson-meta">
        <strong>
          {active.story.lesson}. {active.story.title}
        </strong>
        <span data-testid="lesson-step">
          step {beat.step + 1} of {active.story.steps.length}
          {beat.done ? ' · done' : ''}
        </span>
      </div>
      <p className="lesson-caption" data-testid="lesson-caption" aria-live="polite">
        {step?.caption}
      </p>
      <div className="lesson-controls">
        <button
          type="button"
          data-testid="lesson-prev"
          disabled={active.beat === 0}
          title="Back one step, undoing its edit (← or PageUp)"
          onClick={() => void lessons.getState().prev()}
        >
          ←
        </button>
        {pending ? (
          <button
            type="button"
            className="primary"
            data-testid="lesson-do"
            title={`Do it: ${pending} (→ or PageDown)`}
            onClick={() => void lessons.getState().next()}
          >
            Do it ▶
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="lesson-next"
            disabled={last}
            title="Next step (→ or PageDown)"
            onClick={() => void lessons.getState().next()}
          >
            {last ? 'End' : 'Next →'}
          </button>
        )}
        <button
          type="button"
          data-testid="lesson-present"
          title={presenting ? 'Leave presentation mode (Escape)' : 'Present: full screen, large captions'}
          onClick={() => {
            lessons.getState().setPresenting(!presenting);
            fullScreen(!presenting);
          }}
        >
          {presenting ? 'Exit' : 'Present'}
        </button>
        {presenting ? null : (
          <button
            type="button"
            className="icon"
            data-testid="lesson-close"
            title="Close the lesson (the workspace stays)"
            aria-label="close the lesson"
            onClick={() => lessons.getState().close()}
          >
            ✕
          </button>
        )}
      </div>
    </section>
  );
};
