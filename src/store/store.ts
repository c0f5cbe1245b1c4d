// The app store (zustand, vanilla): workspace, import report, focus level, selection; named actions.
import { createStore } from 'zustand/vanilla';
import type { FileInput, ImportReport } from '../import/types';
import type { Level, Workspace } from '../model/types';
import type { Engine } from '../worker/client';

export interface Selection {
  serviceId?: string;
  segmentId?: string;
  callIndex?: number;
}

export interface AppState {
  workspace: Workspace | null;
  /** Report of the last import, kept even when the import failed and the workspace stayed. */
  report: ImportReport | null;
  focus: Level;
  selection: Selection;
  busy: string | null;
  importFiles(files: FileInput[]): Promise<ImportReport>;
  setWorkspace(ws: Workspace): void;
  setFocus(level: Level): void;
  select(selection: Selection): void;
}

export type AppStore = ReturnType<typeof createAppStore>;

export const createAppStore = (engine: Engine, opts: { onWorkspace?: (ws: Workspace) => void } = {}) =>
  createStore<AppState>()((set) => ({
    workspace: null,
    report: null,
    focus: 'group',
    selection: {},
    busy: null,
    importFiles: async (files) => {
      set({ busy: `Reading ${files.length} file${files.length === 1 ? '' : 's'}…` });
      try {
        const { workspace, report } = await engine.importFiles(files);
        // A failed import (nothing readable) keeps the previous workspace: the user loses nothing.
        if (report.failed) set({ report, busy: null });
        else {
          set({ workspace, report, selection: {}, busy: null });
          opts.onWorkspace?.(workspace);
        }
        return report;
      } catch (e) {
        const report: ImportReport = {
          files: files.map((f) => ({
            name: f.name,
            format: 'unknown',
            services: 0,
            segments: 0,
            calls: 0,
            rules: 0,
            diagnostics: [],
          })),
          diagnostics: [
            {
              file: files[0]?.name ?? '(input)',
              line: 1,
              column: 1,
              severity: 'error',
              message: `import failed: ${(e as Error).message}`,
            },
          ],
          failed: true,
        };
        set({ report, busy: null });
        return report;
      }
    },
    setWorkspace: (workspace) => set({ workspace, selection: {} }),
    setFocus: (focus) => set({ focus }),
    select: (selection) => set({ selection }),
  }));
