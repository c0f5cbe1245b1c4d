// Autosave in IndexedDB: the page's History, written the moment it changes; nothing leaves the browser.
//
// A loaded workspace is stored once, under a number; the session record holds the steps, with
// loads naming their workspace by that number, so an edit writes a few hundred bytes, not the
// workspace. Each change is one transaction issued synchronously (no debounce), so an edit the
// page has shown is on its way to disk before the next frame.
//
// A loaded workspace is written by the engine worker, which holds the same one (writing it here
// clones it on the main thread: 0.7 s at 5,000 services). The page numbers it and names it in the
// session record at once; the worker's write is issued before it analyses the load. Until the worker
// confirms, leaving the page writes it here, and a worker that fails hands it back to be written here.
import { type History, type Step, validHistory } from '../model/history';
import type { Workspace } from '../model/types';
import {
  done,
  LEGACY,
  type LegacyRecord,
  openDatabase,
  request,
  type SavedHistory,
  type SavedStep,
  SESSION,
  SESSION_KEY,
  WORKSPACES,
  writeWorkspaces,
} from '../storage/database';

const settingOf = (s: { setting?: true }): { setting?: true } => (s.setting ? { setting: true } : {});

export const encodeHistory = (h: History, keyOf: (ws: Workspace) => number): SavedHistory => {
  const step = (s: Step): SavedStep =>
    s.type === 'load' ? { type: 'load', workspace: keyOf(s.workspace), label: s.label, ...settingOf(s) } : s;
  return { base: keyOf(h.base), past: h.past.map(step), future: h.future.map(step) };
};

/**
 * The history a record names. A load whose workspace is not stored (the worker's write of it never
 * landed) ends it there: the steps before it are restored, that load and what follows are not.
 * Undefined when the base itself is missing; steps that no longer apply are dropped.
 */
export const decodeHistory = (
  saved: SavedHistory,
  get: (key: number) => Workspace | undefined,
): History | undefined => {
  const base = get(saved.base);
  if (!base) return undefined;
  const steps: Step[] = [];
  for (const s of [...saved.past, ...saved.future]) {
    if (s.type !== 'load') {
      steps.push(s);
      continue;
    }
    const workspace = get(s.workspace);
    if (!workspace) break;
    steps.push({ type: 'load', workspace, label: s.label, ...settingOf(s) });
  }
  const applied = Math.min(saved.past.length, steps.length);
  const h: History = { base, past: steps.slice(0, applied), future: steps.slice(applied) };
  return validHistory(h).history;
};

const referencedKeys = (saved: SavedHistory): number[] => [
  saved.base,
  ...[...saved.past, ...saved.future].flatMap((s) => (s.type === 'load' ? [s.workspace] : [])),
];

/** Workspaces written, by the thread that wrote them (the page or the engine worker). */
export interface AutosaveWrites {
  page: number;
  worker: number;
}

export class Autosave {
  private keys = new WeakMap<Workspace, number>();
  /** Workspace numbers known to be in the database. */
  private stored = new Set<number>();
  private nextKey = 1;
  private saved: History | null = null;
  /** Workspaces another thread is writing, by number, not yet confirmed on disk. */
  private pending = new Map<number, Workspace>();
  readonly writes: AutosaveWrites = { page: 0, worker: 0 };

  private constructor(
    private db: IDBDatabase,
    private readonly onWritten: () => void,
  ) {}

  /** `onWritten` is told whenever workspaces land (see `writes`). */
  static open(onWritten: () => void = () => undefined): Promise<Autosave> {
    return openDatabase().then((db) => new Autosave(db, onWritten));
  }

  /**
   * A new workspace that another thread writes (`write` stores it under the number it is given): from
   * now on the session record names it by that number and the page never clones it. A failed write
   * is done here instead.
   */
  delegate(ws: Workspace, write: (key: number) => Promise<void>): void {
    if (this.keys.has(ws)) return;
    const key = this.nextKey++;
    this.keys.set(ws, key);
    this.stored.add(key);
    this.pending.set(key, ws);
    write(key).then(
      () => {
        if (!this.pending.delete(key)) return;
        this.writes.worker++;
        this.onWritten();
      },
      () => {
        if (!this.pending.delete(key) || !this.stored.has(key)) return;
        this.writeHere([[key, ws]]).catch(() => this.stored.delete(key));
      },
    );
  }

  /** The saved history (or the version-1 autosave), undefined when there is none. */
  async load(): Promise<History | undefined> {
    const names = [WORKSPACES, SESSION, ...(this.db.objectStoreNames.contains(LEGACY) ? [LEGACY] : [])];
    const tx = this.db.transaction(names, 'readonly');
    const keys = (await request(tx.objectStore(WORKSPACES).getAllKeys())) as number[];
    this.stored = new Set(keys);
    this.nextKey = Math.max(0, ...keys) + 1;
    this.keys = new WeakMap();
    const saved = (await request(tx.objectStore(SESSION).get(SESSION_KEY))) as SavedHistory | undefined;
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
    const old = (await request(tx.objectStore(LEGACY).get('current'))) as LegacyRecord | undefined;
    return old ? validHistory(old).history : undefined;
  }

  /**
   * Write the history now: new workspaces, the session record, and the removal of workspaces no
   * step names any more, in one transaction. Resolves when it is on disk.
   */
  save(h: History, late: [number, Workspace][] = []): Promise<void> {
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
    tx.objectStore(SESSION).put(saved, SESSION_KEY);
    const keep = new Set(referencedKeys(saved));
    for (const [key, ws] of late) {
      if (!keep.has(key)) continue;
      store.put(ws, key);
      written.push(key);
    }
    for (const key of [...this.stored]) {
      if (keep.has(key)) continue;
      store.delete(key);
      this.stored.delete(key);
      this.pending.delete(key);
    }
    tx.commit?.();
    this.saved = h;
    return done(tx).then(
      () => {
        if (written.length === 0) return;
        this.writes.page += written.length;
        this.onWritten();
      },
      (e) => {
        // Not written: the next save writes these workspaces again.
        for (const key of written) this.stored.delete(key);
        this.saved = null;
        throw e;
      },
    );
  }

  /** Leaving the page: write the history if the last save was not of it, and here what another thread has not confirmed. */
  flush(h: History | null): Promise<void> | undefined {
    const late = [...this.pending];
    this.pending.clear();
    return h && (h !== this.saved || late.length > 0) ? this.save(h, late) : undefined;
  }

  /** Workspaces another thread failed to write, written here in a transaction of their own. */
  private writeHere(entries: [number, Workspace][]): Promise<void> {
    return writeWorkspaces(this.db, entries).then(() => {
      this.writes.page += entries.length;
      this.onWritten();
    });
  }
}
