// Local autosave in IndexedDB: the workspace survives a reload; nothing leaves the browser.
import type { Workspace } from '../model/types';

const DB = 'segscope';
const STORE = 'workspace';
const KEY = 'current';

const open = (): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const run = async <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = op(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
};

export const saveWorkspace = (ws: Workspace): Promise<unknown> => run('readwrite', (s) => s.put(ws, KEY));

export const loadSavedWorkspace = async (): Promise<Workspace | undefined> => {
  try {
    return (await run('readonly', (s) => s.get(KEY))) as Workspace | undefined;
  } catch {
    return undefined;
  }
};
