// Long work on the main thread as steps in tasks of their own, so the page answers input between them.
//
// A step is what a generator does between two `yield`s. DESIGN.md: the main thread never blocks
// more than 50 ms; a redraw of thousands of elements in one task did (the verdicts landing at
// 5,000 services: one task of several hundred ms). Run as steps, input and frames slip in between.

/** Runs `run` in a task of its own, after what is queued now. */
export type TaskSchedule = (run: () => void) => void;

/** A new task at once (a message to ourselves): timers are clamped to 4 ms when nested, and throttled. */
export const nextTask: TaskSchedule = (run) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    run();
  };
  channel.port2.postMessage(null);
};

/** Run every step now (the same work in one task). */
export const drain = <T>(steps: Generator<void, T>): T => {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
};

/** How long a task of stepped work goes on taking steps (ms): well under the 50 ms a task may take, a step's length to spare. */
export const TASK_BUDGET_MS = 20;

/**
 * One piece of stepped work at a time: a newer one (or a cancel) abandons the one in progress.
 * A task takes steps until `budgetMs` have passed (at least one step; 0: one step per task).
 */
export class TaskRunner {
  private run = 0;
  private active = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly schedule: TaskSchedule = nextTask,
    private readonly budgetMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether work is in progress. */
  get busy(): boolean {
    return this.active;
  }

  /** Run `steps` in tasks (as many steps per task as the budget allows), the first in a task of its own too; replaces the work in progress. */
  start(steps: Generator<void, void>): void {
    const id = ++this.run;
    this.active = true;
    const task = () => {
      if (id !== this.run) return;
      const from = this.now();
      do {
        let done = true;
        try {
          done = !!steps.next().done;
        } finally {
          // A step that threw ends the work: whoever waits for it must not wait forever.
          if (done && id === this.run) this.finish();
        }
        if (done) return;
        // A step may have started newer work (or cancelled this): stop here, its steps are not ours.
        if (id !== this.run) return;
      } while (this.now() - from < this.budgetMs);
      this.schedule(task);
    };
    this.schedule(task);
  }

  /** Abandon the work in progress (its remaining steps never run); whoever waits for it is answered. */
  cancel(): void {
    this.run++;
    if (this.active) this.finish();
  }

  /** Resolves once no work is in progress. */
  settled(): Promise<void> {
    if (!this.active) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private finish(): void {
    this.active = false;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
