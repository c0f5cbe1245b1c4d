// Local autosave in IndexedDB: the workspace survives a reload; nothing leaves the browser.
import { applyCommand, type Command, describeCommand } from '../model/commands';
import type { Workspace } from '../model/types';
import type { HistoryEntry } from './store';

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

/** What is saved: the loaded workspace and the commands since, so history survives a reload compactly. */
export interface Saved {
  base: Workspace;
  past: Command[];
  future: Command[];
}

export const saveSession = (saved: Saved): Promise<unknown> => run('readwrite', (s) => s.put(saved, KEY));

export const clearSession = (): Promise<unknown> => run('readwrite', (s) => s.delete(KEY));

/** Replay saved commands into a workspace and history entries; a command that no longer applies ends the replay. */
export const restore = (
  saved: Saved,
): { workspace: Workspace; base: Workspace; past: HistoryEntry[]; future: HistoryEntry[] } => {
  let ws = saved.base;
  const past: HistoryEntry[] = [];
  for (const command of saved.past) {
    try {
      const next = applyCommand(ws, command);
      past.push({ command, label: describeCommand(ws, command), before: ws });
      ws = next;
    } catch {
      break;
    }
  }
  const future: HistoryEntry[] = [];
  let cursor = ws;
  for (const command of saved.future) {
    try {
      const next = applyCommand(cursor, command);
      future.push({ command, label: describeCommand(cursor, command), before: next });
      cursor = next;
    } catch {
      break;
    }
  }
  return { workspace: ws, base: saved.base, past, future };
};

export const loadSession = async (): Promise<Saved | undefined> => {
  try {
    return (await run('readonly', (s) => s.get(KEY))) as Saved | undefined;
  } catch {
    return undefined;
  }
};
