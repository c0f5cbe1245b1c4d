// The lesson bar's buttons: back, do it / next, present, close.
import type { LessonStore } from '../store/lesson';
import { fullScreen } from './usePresentationFullScreen';

export const LessonControls = ({
  lessons,
  first,
  last,
  pending,
  presenting,
}: {
  lessons: LessonStore;
  first: boolean;
  last: boolean;
  /** The label of the edit this step is about to do, as the history will show it; null when it does none. */
  pending: string | null;
  presenting: boolean;
}) => (
  <div className="lesson-controls">
    <button
      type="button"
      data-testid="lesson-prev"
      disabled={first}
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
);
