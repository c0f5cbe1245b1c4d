// The Lessons gallery: the eight points of the talk, each opened as a guided story or presented full screen.
import { useEffect, useRef, useState } from 'react';
import type { LessonEntry, LessonStore } from '../store/lesson';

export const LessonGallery = ({
  lessons,
  onOpen,
  onClose,
}: {
  lessons: LessonStore;
  onOpen(id: string, present: boolean): void;
  onClose(): void;
}) => {
  const [list, setList] = useState<LessonEntry[] | null>(lessons.getState().catalogue);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    lessons
      .getState()
      .loadCatalogue()
      .then(setList)
      .catch((e: Error) => setError(e.message));
  }, [lessons]);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="lesson-gallery"
      data-testid="lesson-gallery"
      aria-label="Lessons"
      onClose={onClose}
      onCancel={onClose}
    >
      <header>
        <h2>Lessons</h2>
        <p className="muted">
          Each lesson loads a small topology and walks through it step by step: ← → or a presenter's clicker step
          through, "Do it" performs the step's edit with its consequences shown.
        </p>
        <button
          type="button"
          className="icon close"
          data-testid="lesson-gallery-close"
          aria-label="close"
          onClick={onClose}
        >
          ✕
        </button>
      </header>
      {error ? <p className="bad">{error}</p> : null}
      {list === null && !error ? <p className="muted">Loading…</p> : null}
      <ol>
        {(list ?? []).map((l) => (
          <li key={l.id} data-testid={`lesson-card-${l.id}`}>
            <span className="number">{l.lesson}</span>
            <div>
              <h3>{l.title}</h3>
              <p>{l.summary}</p>
            </div>
            <span className="actions">
              <button type="button" data-testid={`lesson-open-${l.id}`} onClick={() => onOpen(l.id, false)}>
                Open
              </button>
              <button
                type="button"
                className="primary"
                data-testid={`lesson-present-${l.id}`}
                title="Full screen, large captions; ← → to step, Escape to leave"
                onClick={() => onOpen(l.id, true)}
              >
                Present
              </button>
            </span>
          </li>
        ))}
      </ol>
    </dialog>
  );
};
