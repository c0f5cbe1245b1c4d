// The toolbar, one row at 1280 px: panels, Open, Samples, focus level, search, undo/redo, Export, View.
import type { RefObject } from 'react';
import { useStore } from 'zustand';
import type { AppStore } from '../store/store';
import { FocusLevels } from './FocusLevels';
import { type MenuEntry, MenuSelect } from './MenuSelect';
import { OpenFiles } from './OpenFiles';
import { type PanelState, PanelToggle } from './PanelToggle';
import { UndoRedo } from './UndoRedo';
import { ViewMenu } from './ViewMenu';
import { WorkspaceStatus } from './WorkspaceStatus';

export interface ToolbarProps {
  store: AppStore;
  /** The Samples menu's entries (actions/openSample.ts), by id. */
  samples: MenuEntry[];
  onSample(id: string): void;
  /** View → New workspace (actions/newWorkspace.ts). */
  onNew(): void;
  /** The hidden file input the Open action clicks (the action's own file: actions/openFiles.ts). */
  fileInput: RefObject<HTMLInputElement | null>;
  onOpen(): void;
  /** The Export menu's entries, in groups (view, formats, change plan). */
  exports: { label: string; entries: MenuEntry[] }[];
  onExport(id: string): void;
  panels: PanelState;
  onTogglePanel(side: keyof PanelState): void;
  onLessons(): void;
}

export const Toolbar = ({
  store,
  samples,
  onSample,
  onNew,
  fileInput,
  onOpen,
  exports,
  onExport,
  panels,
  onTogglePanel,
  onLessons,
}: ToolbarProps) => {
  const search = useStore(store, (s) => s.search);
  return (
    <header className="toolbar">
      <PanelToggle side="left" panels={panels} what="findings, hubs, history" onToggle={onTogglePanel} />
      <strong className="brand">segscope</strong>
      <OpenFiles store={store} fileInput={fileInput} onOpen={onOpen} />
      <MenuSelect
        testId="samples"
        title="Open a sample topology that ships with segscope"
        label="open a sample"
        prompt="Samples…"
        entries={samples}
        onPick={onSample}
      />
      <button
        type="button"
        data-testid="lessons"
        title="Lessons: the segmentation antipatterns of the talk as guided stories, with a presentation mode"
        aria-label="lessons"
        onClick={onLessons}
      >
        Lessons
      </button>
      <FocusLevels store={store} />
      <input
        type="search"
        placeholder="search service, segment, label"
        title="Search services, segments and labels; matches are highlighted"
        aria-label="search"
        data-testid="search"
        value={search}
        onChange={(e) => store.getState().setSearch(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && store.getState().revealSearch(e.currentTarget.value)}
      />
      <UndoRedo store={store} />
      <MenuSelect
        testId="export"
        title="Export the view (PNG, SVG), the workspace in any format segscope writes, or the change plan"
        label="export"
        prompt="Export…"
        groups={exports}
        onPick={onExport}
      />
      <ViewMenu store={store} onNew={onNew} />
      <WorkspaceStatus store={store} />
      <PanelToggle side="right" panels={panels} what="inspector, what-if" onToggle={onTogglePanel} />
    </header>
  );
};
