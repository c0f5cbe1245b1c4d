// The open lesson: its caption at the bottom, back / do it / next, and presentation mode (its keys: ui/actions/lesson.ts).
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { beatsOf, stateAt, stepCommand } from '../lessons/walk';
import type { LessonStore } from '../store/lesson';
import { LessonControls } from './LessonControls';
import { usePresentationFullScreen } from './usePresentationFullScreen';

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

  usePresentationFullScreen(lessons, active !== null, presenting);

  if (!active || !beat)
    return error ? (
      <p className="lesson-error bad" role="alert">
        {error}
      </p>
    ) : null;
  const step = active.story.steps[beat.step];
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
      <LessonControls
        lessons={lessons}
        first={active.beat === 0}
        last={active.beat === active.beats - 1}
        pending={pending}
        presenting={presenting}
      />
    </section>
  );
};
