// window.segscope: the stable test hook of DESIGN.md (load, workspace, cy; more as features land).
import type { Core } from 'cytoscape';
import type { FileInput, ImportReport } from './import/types';
import type { Workspace } from './model/types';
import type { AppStore } from './store/store';

export interface SegscopeHook {
  load(files: FileInput[]): Promise<ImportReport>;
  workspace(): Workspace | null;
  readonly cy: Core | undefined;
}

declare global {
  interface Window {
    segscope: SegscopeHook;
  }
}

export const installTestHook = (store: AppStore, getCy: () => Core | undefined): SegscopeHook => {
  const hook: SegscopeHook = {
    load: (files) => store.getState().importFiles(files),
    // A deep copy: callers get plain JSON and cannot mutate the store.
    workspace: () => {
      const ws = store.getState().workspace;
      return ws ? (JSON.parse(JSON.stringify(ws)) as Workspace) : null;
    },
    get cy() {
      return getCy();
    },
  };
  window.segscope = hook;
  return hook;
};
