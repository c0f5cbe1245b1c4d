// Latest wins: a request made while an earlier one runs waits, and a newer one replaces it, so only the newest is computed.
//
// The engine worker computes one request at a time and cannot stop one half-way, so during a drag
// every hover target posted would be computed in turn, each answer later than the last. Here at
// most one request is in flight; those made meanwhile are held, and each newer one replaces the
// held one, which resolves to `undefined` without ever reaching the worker.

export const latestWins = <A extends unknown[], R>(
  run: (...args: A) => Promise<R>,
): ((...args: A) => Promise<R | undefined>) => {
  let running = false;
  let held: { args: A; resolve(v: R | undefined): void; reject(e: unknown): void } | null = null;
  const start = (args: A, resolve: (v: R | undefined) => void, reject: (e: unknown) => void) => {
    running = true;
    run(...args)
      .then(resolve, reject)
      .finally(() => {
        running = false;
        const next = held;
        held = null;
        if (next) start(next.args, next.resolve, next.reject);
      });
  };
  return (...args: A) =>
    new Promise<R | undefined>((resolve, reject) => {
      if (!running) {
        start(args, resolve, reject);
        return;
      }
      held?.resolve(undefined);
      held = { args, resolve, reject };
    });
};
