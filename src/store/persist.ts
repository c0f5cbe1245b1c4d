// Autosave in IndexedDB: the page's History, written the moment it changes; nothing leaves the browser.
//
// A loaded workspace is stored once, under a number; the session record holds the steps, with
// loads naming their workspace by that number, so an edit writes a few hundred bytes, not the
// workspace. Each change is one transaction issued synchronously (no debounce), so an edit the
// page has shown is on its way to disk before the next frame.
import type { Command } from '../model/commands';
import { type History, type Step, validHistory } from '../model/history';
import type { Workspace } from '../model/types';

const DB = 'segscope';
/** Version 1 had one store `workspace` holding {base, past, future} under `current`. */
const LEGACY = 'workspace';
const WORKSPACES = 'workspaces';
const SESSION = 'session';
const KEY = 'history';

export type SavedStep = Command | { type: 'load'; workspace: number; label: string; setting?: true };

/** The history as stored: workspaces by their number in the `workspaces` store. */
export interface SavedHistory {
  base: number;
  past: SavedStep[];
  future: SavedStep[];
}

const settingOf = (s: { setting?: true }): { setting?: true } => (s.setting ? { setting: true } : {});

export const encodeHistory = (h: History, keyOf: (ws: Workspace) => number): SavedHistory => {
  const step = (s: Step): SavedStep =>
    s.type === 'load' ? { type: 'load', workspace: keyOf(s.workspace), label: s.label, ...settingOf(s) } : s;
  return { base: keyOf(h.base), past: h.past.map(step), future: h.future.map(step) };
};

/** Undefined when a workspace the record names is missing; steps that no longer apply are dropped. */
export const decodeHistory = (
  saved: SavedHistory,
  get: (key: number) => Workspace | undefined,
): History | undefined => {
  const missing = new Set<number>();
  const ws = (key: number) => {
    const w = get(key);
    if (!w) missing.add(key);
    return w as Workspace;
  };
  const step = (s: SavedStep): Step =>
    s.type === 'load' ? { type: 'load', workspace: ws(s.workspace), label: s.label, ...settingOf(s) } : s;
  const h: History = { base: ws(saved.base), past: saved.past.map(step), future: saved.future.map(step) };
  return missing.size > 0 ? undefined : validHistory(h).history;
};

const referencedKeys = (saved: SavedHistory): number[] => [
  saved.base,
  ...[...saved.past, ...saved.future].flatMap((s) => (s.type === 'load' ? [s.workspace] : [])),
];

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const done = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('autosave aborted'));
  });

export class Autosave {
  private keys = new WeakMap<Workspace, number>();
  /** Workspace numbers known to be in the database. */
  private stored = new Set<number>();
  private nextKey = 1;
  private saved: History | null = null;

  private constructor(private db: IDBDatabase) {}

  static open(): Promise<Autosave> {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 2);
      req.onupgradeneeded = () => {
        const db = req.result;
        for (const name of [WORKSPACES, SESSION]) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
      };
      req.onsuccess = () => resolve(new Autosave(req.result));
      req.onerror = () => reject(req.error);
    });
  }

  /** The saved history (or the version-1 autosave), undefined when there is none. */
  async load(): Promise<History | undefined> {
    const names = [WORKSPACES, SESSION, ...(this.db.objectStoreNames.contains(LEGACY) ? [LEGACY] : [])];
    const tx = this.db.transaction(names, 'readonly');
    const keys = (await request(tx.objectStore(WORKSPACES).getAllKeys())) as number[];
    this.stored = new Set(keys);
    this.nextKey = Math.max(0, ...keys) + 1;
    this.keys = new WeakMap();
    const saved = (await request(tx.objectStore(SESSION).get(KEY))) as SavedHistory | undefined;
    if (saved) {
      const byKey = new Map<number, Workspace>();
      for (const key of new Set(referencedKeys(saved))) {
        const ws = (await request(tx.objectStore(WORKSPACES).get(key))) as Workspace | undefined;
        if (ws) {
          byKey.set(key, ws);
          this.keys.set(ws, key);
        }
      }
      const h = decodeHistory(saved, (k) => byKey.get(k));
      this.saved = h ?? null;
      return h;
    }
    if (!names.includes(LEGACY)) return undefined;
    const old = (await request(tx.objectStore(LEGACY).get('current'))) as
      | { base: Workspace; past: Command[]; future: Command[] }
      | undefined;
    return old ? validHistory(old).history : undefined;
  }

  /**
   * Write the history now: new workspaces, the session record, and the removal of workspaces no
   * step names any more, in one transaction. Resolves when it is on disk.
   */
  save(h: History): Promise<void> {
    const tx = this.db.transaction([WORKSPACES, SESSION], 'readwrite');
    const store = tx.objectStore(WORKSPACES);
    const written: number[] = [];
    const keyOf = (ws: Workspace) => {
      let key = this.keys.get(ws);
      if (key === undefined) {
        key = this.nextKey++;
        this.keys.set(ws, key);
      }
      if (!this.stored.has(key)) {
        store.put(ws, key);
        this.stored.add(key);
        written.push(key);
      }
      return key;
    };
    const saved = encodeHistory(h, keyOf);
    tx.objectStore(SESSION).put(saved, KEY);
    const keep = new Set(referencedKeys(saved));
    for (const key of [...this.stored]) {
      if (keep.has(key)) continue;
      store.delete(key);
      this.stored.delete(key);
    }
    tx.commit?.();
    this.saved = h;
    return done(tx).catch((e) => {
      // Not written: the next save writes these workspaces again.
      for (const key of written) this.stored.delete(key);
      this.saved = null;
      throw e;
    });
  }

  /** Leaving the page: write the history if the last save was not of it. */
  flush(h: History | null): Promise<void> | undefined {
    return h && h !== this.saved ? this.save(h) : undefined;
  }
}
