// One tab at a time edits the workspace: it holds a Web Lock for as long as it lives; another tab
// is read-only until it takes the lock over, and the tab that lost it turns read-only at once.
const NAME = 'segscope-workspace';

/**
 * Ask for the workspace lock. Resolves true when this tab holds it (`steal` takes it from the tab
 * that has it), false when another tab does; `onLost` runs if another tab takes it later.
 * Without Web Locks (an old browser) every tab edits, as before.
 */
export const claimWorkspace = (opts: { steal?: boolean; onLost(): void }): Promise<boolean> =>
  new Promise((resolve) => {
    if (typeof navigator === 'undefined' || !navigator.locks) {
      resolve(true);
      return;
    }
    navigator.locks
      .request(NAME, opts.steal ? { steal: true } : { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        // Held until the page goes away or another tab steals it.
        return lock ? new Promise<never>(() => undefined) : undefined;
      })
      .catch((e: Error) => {
        if (e.name === 'AbortError') opts.onLost();
      });
  });
