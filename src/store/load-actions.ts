// The store's loads: importing files, opening a workspace (New), restoring a history, restarts and Cancel.
import { rememberStripCounts } from '../graph/strips';
import { type FileInput, type ImportReport, unreadFileReport } from '../import/types';
import { currentWorkspace, recordStep, type Step } from '../model/history';
import { EngineStopped } from '../worker/client';
import type { AppState, StoreKit } from './state';

/** The label of a load in the history panel: the file, or how many. */
const loadLabel = (files: FileInput[]) =>
  files.length === 1 ? (files[0]?.name ?? 'file') : `${files.length} files (${files[0]?.name ?? ''}, …)`;

/** A report for files that could not be read at all (the engine failed or the reading was cancelled). */
const failedReport = (files: FileInput[], message: string): ImportReport => ({
  files: files.map((f) => unreadFileReport(f.name)),
  diagnostics: [{ file: files[0]?.name ?? '(input)', line: 1, column: 1, severity: 'error', message }],
  failed: true,
});

/** Read files in the engine and record them as one undoable load; a failed import keeps the workspace. */
const importFilesAction =
  (k: StoreKit, ready: Promise<void> | undefined): AppState['importFiles'] =>
  async (files, { atStart = false, label } = {}) => {
    const { set, get, engine } = k;
    const bytes = files.reduce((n, f) => n + (f.unreadBytes ?? f.blob?.size ?? f.text.length), 0);
    set({
      pendingLoads: get().pendingLoads + 1,
      busy: `Reading ${files.length} file${files.length === 1 ? '' : 's'} (${(bytes / 1048576).toFixed(1)} MB)…`,
    });
    try {
      // A load made while the app starts waits for the start, then goes on top of what it restored.
      if (!atStart) await ready;
      if (k.refused()) {
        set({ busy: null });
        return failedReport(files, get().readOnly ?? 'read-only');
      }
      const { workspace, report, importId, strips } = await engine.importFiles(files);
      // A failed import (nothing readable) keeps the previous workspace: the user loses nothing.
      if (report.failed) {
        set({ report, busy: null });
        return report;
      }
      // The strips' counts came with the workspace: the render of the new workspace does not count them.
      if (strips) rememberStripCounts(workspace, strips);
      const step: Step = { type: 'load', workspace, label: label ?? loadLabel(files) };
      const history = recordStep(get().history, step);
      void engine.recordImport(importId, step.label).catch(() => undefined);
      k.commit(history, step, { report, busy: null });
      return report;
    } catch (e) {
      const report = failedReport(
        files,
        e instanceof EngineStopped && e.message === 'cancelled'
          ? 'reading cancelled; the previous workspace is kept'
          : `import failed: ${(e as Error).message}`,
      );
      set({ report, busy: null });
      return report;
    } finally {
      set({ pendingLoads: get().pendingLoads - 1 });
    }
  };

type LoadActions = Pick<AppState, 'importFiles' | 'setWorkspace' | 'restoreHistory' | 'engineRestarted' | 'cancel'>;

export const loadActions = (k: StoreKit, ready: Promise<void> | undefined): LoadActions => {
  const { set, get, engine } = k;
  return {
    importFiles: importFilesAction(k, ready),
    setWorkspace: (workspace, label = 'New', opts) => {
      if (k.refused()) return;
      const step: Step = { type: 'load', workspace, label, ...opts };
      const history = recordStep(get().history, step);
      void engine.record(step);
      k.commit(history, step);
    },
    restoreHistory: (history) => {
      void engine.reset(history);
      k.commit(history, undefined, k.fresh(currentWorkspace(history)));
    },
    engineRestarted: (reason) => {
      const { history } = get();
      void engine.reset(history);
      if (reason === 'stopped')
        set({ notice: 'The analysis engine stopped (out of memory?) and was restarted; no edit was lost.' });
      if (history) k.publish(currentWorkspace(history), { busy: null });
    },
    cancel: () => {
      const { busy, analysis, history } = get();
      if (!busy && analysis !== null) return;
      const last = history?.past.at(-1);
      engine.cancel();
      // Analysing a load that was just made: take the load back, so the page is as before it.
      if (!busy && last?.type === 'load') get().undo();
    },
  };
};
