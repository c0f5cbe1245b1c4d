// The toolbar's workspace title and status line (what is loading, how far the analysis is).
import { useStore } from 'zustand';
import type { Workspace } from '../model/types';
import { type AppStore, analysisProgressText } from '../store/store';

/** The toolbar's title: the workspace's own name, else the files it was read from (a Compose or AWS file names nothing). */
const workspaceTitle = (ws: Workspace | null | undefined): string | undefined => {
  if (!ws) return undefined;
  if (ws.name) return ws.name;
  const files = (ws.sources ?? []).map((f) => f.name.split('/').pop() ?? f.name);
  if (files.length === 0) return undefined;
  return files.length === 1 ? files[0] : `${files[0]} + ${files.length - 1} more`;
};

export const WorkspaceStatus = ({ store }: { store: AppStore }) => {
  const busy = useStore(store, (s) => s.busy);
  const progress = useStore(store, (s) => analysisProgressText(s));
  const name = useStore(store, (s) => workspaceTitle(s.workspace));
  return (
    <>
      <span className="title" data-testid="workspace-name" title={name ?? ''}>
        {name ?? ''}
      </span>
      <span className="busy" role="status" data-testid="status">
        {busy ?? progress ?? ''}
      </span>
    </>
  );
};
