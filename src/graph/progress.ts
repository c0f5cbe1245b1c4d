// A note over the canvas while a drawing is being built in tasks, shown only once it has taken a while.
//
// DESIGN.md: anything that keeps the person waiting longer than 300 ms shows progress. A band built in
// tasks (tasks.ts) leaves the previous drawing on screen meanwhile; the note says a new one is coming.

/** A wait shorter than this shows nothing. */
export const PROGRESS_AFTER_MS = 300;

export class DrawProgress {
  private readonly note: HTMLDivElement;
  private timer = 0;

  constructor(container: HTMLElement) {
    this.note = document.createElement('div');
    this.note.dataset.testid = 'draw-progress';
    this.note.setAttribute('role', 'status');
    this.note.hidden = true;
    Object.assign(this.note.style, {
      position: 'absolute',
      top: '8px',
      left: '50%',
      transform: 'translateX(-50%)',
      zIndex: '10',
      padding: '4px 10px',
      borderRadius: '4px',
      font: '13px system-ui, sans-serif',
      background: 'rgba(32, 33, 36, 0.85)',
      color: '#fff',
      pointerEvents: 'none',
    });
    container.append(this.note);
  }

  /** A drawing is being built: say so if it is still going after PROGRESS_AFTER_MS. */
  start(text: string): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.note.textContent = text;
      this.note.hidden = false;
    }, PROGRESS_AFTER_MS);
  }

  /** The drawing is there (or was abandoned for a newer one, which starts its own). */
  stop(): void {
    window.clearTimeout(this.timer);
    this.timer = 0;
    this.note.hidden = true;
  }

  destroy(): void {
    this.stop();
    this.note.remove();
  }
}
