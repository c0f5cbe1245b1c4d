// The autosave's IndexedDB database: its stores, the record shapes, and the writes both the page and the engine worker make.
//
// The page (src/store/persist.ts) keeps the session record and the engine worker (src/worker/engine.worker.ts)
// writes the workspaces it loaded, so both open the same database; what both need lives here, below the
// store and the worker, so neither imports the other's layer.
import type { Command } from '../model/commands';
import type { Workspace } from '../model/types';

const DB = 'segscope';
/** Version 1 had one store `workspace` holding {base, past, future} under `current`. */
export const LEGACY = 'workspace';
/** Workspaces by number. */
export const WORKSPACES = 'workspaces';
/** The session record (`SavedHistory`) under `SESSION_KEY`. */
export const SESSION = 'session';
export const SESSION_KEY = 'history';

export type SavedStep = Command | { type: 'load'; workspace: number; label: string; setting?: true };

/** The history as stored: workspaces by their number in the `workspaces` store. */
export interface SavedHistory {
  base: number;
  past: SavedStep[];
  future: SavedStep[];
}

/** The version-1 record under `current` in the `LEGACY` store. */
export interface LegacyRecord {
  base: Workspace;
  past: Command[];
  future: Command[];
}

export const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

export const done = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('autosave aborted'));
  });

/** The autosave's database, created or upgraded on first use (the page and the engine worker both open it). */
export const openDatabase = (): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of [WORKSPACES, SESSION]) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

/**
 * Store workspaces under their numbers in one transaction (the engine worker's half of the autosave, and
 * the page's when the worker's write failed). The transaction is committed at once, so it lands while the
 * thread goes on with other work (an analysis).
 */
export const writeWorkspaces = (db: IDBDatabase, entries: [number, Workspace][]): Promise<void> => {
  const tx = db.transaction(WORKSPACES, 'readwrite');
  for (const [key, ws] of entries) tx.objectStore(WORKSPACES).put(ws, key);
  tx.commit?.();
  return done(tx);
};

/** Store one workspace under its number. */
export const writeWorkspace = (db: IDBDatabase, key: number, ws: Workspace): Promise<void> =>
  writeWorkspaces(db, [[key, ws]]);
