// The toolbar, one row at 1280 px: panels, Open, Samples, focus level, search, undo/redo, Export, View.
import type { RefObject } from 'react';
import { useStore } from 'zustand';
import { canRedo, canUndo } from '../model/history';
import { LEVEL_TITLES, LEVELS, type Level, type Workspace } from '../model/types';
import { type AppStore, analysisProgressText } from '../store/store';
import { readFileInputs } from './readFiles';
import { ViewMenu } from './ViewMenu';

const LEVEL_SHORT: Record<Level, string> = {
  account: 'acct',
  role: 'role',
  network: 'net',
  group: 'group',
  policy: 'policy',
  overlay: 'overlay',
};

/** An entry of the Samples or Export menu: an action's id and label (src/ui/actions). */
export interface MenuEntry {
  id: string;
  label: string;
}

/** Which side panels are shown; the toolbar's edge buttons toggle them. */
export interface PanelState {
  left: boolean;
  right: boolean;
}

/** The toolbar's title: the workspace's own name, else the files it was read from (a Compose or AWS file names nothing). */
const workspaceTitle = (ws: Workspace | null | undefined): string | undefined => {
  if (!ws) return undefined;
  if (ws.name) return ws.name;
  const files = (ws.sources ?? []).map((f) => f.name.split('/').pop() ?? f.name);
  if (files.length === 0) return undefined;
  return files.length === 1 ? files[0] : `${files[0]} + ${files.length - 1} more`;
};

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
}: {
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
}) => {
  const focus = useStore(store, (s) => s.focus);
  const search = useStore(store, (s) => s.search);
  const busy = useStore(store, (s) => s.busy);
  const progress = useStore(store, (s) => analysisProgressText(s));
  const name = useStore(store, (s) => workspaceTitle(s.workspace));
  const undoable = useStore(store, (s) => canUndo(s.history));
  const redoable = useStore(store, (s) => canRedo(s.history));
  const input = fileInput;
  const panelTitle = (side: keyof PanelState, what: string) =>
    `${panels[side] ? 'Hide' : 'Show'} the ${side} panel (${what})`;
  return (
    <header className="toolbar">
      <button
        type="button"
        className="icon"
        data-testid="toggle-left"
        title={panelTitle('left', 'findings, hubs, history')}
        aria-label={panelTitle('left', 'findings, hubs, history')}
        aria-pressed={panels.left}
        onClick={() => onTogglePanel('left')}
      >
        ◧
      </button>
      <strong className="brand">segscope</strong>
      <button
        type="button"
        data-testid="open"
        title="Open topology files: Compose, docker network inspect, Kubernetes, Calico, AWS, Terraform, segscope JSON (or drop or paste them) (Ctrl+O)"
        aria-label="open files"
        onClick={onOpen}
      >
        Open…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept=".json,.yaml,.yml"
        data-testid="file-input"
        hidden
        onChange={async (e) => {
          const files = e.currentTarget.files;
          if (files && files.length > 0) await store.getState().importFiles(await readFileInputs(files));
          if (input.current) input.current.value = '';
        }}
      />
      <select
        data-testid="samples"
        title="Open a sample topology that ships with segscope"
        aria-label="open a sample"
        value=""
        onChange={(e) => {
          if (e.currentTarget.value) onSample(e.currentTarget.value);
        }}
      >
        <option value="">Samples…</option>
        {samples.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        data-testid="lessons"
        title="Lessons: the segmentation antipatterns of the talk as guided stories, with a presentation mode"
        aria-label="lessons"
        onClick={onLessons}
      >
        Lessons
      </button>
      <fieldset className="focus" aria-label="focus level">
        <legend>focus</legend>
        {LEVELS.map((level) => (
          <button
            key={level}
            type="button"
            data-testid={`focus-${level}`}
            title={`Focus the ${LEVEL_TITLES[level]} band: its calls drawn service to service`}
            // The visible abbreviation starts the name, so speech input ("click acct") finds it.
            aria-label={`${LEVEL_SHORT[level]}: focus ${LEVEL_TITLES[level]}`}
            aria-pressed={focus === level}
            className={focus === level ? 'active' : ''}
            onClick={() => store.getState().setFocus(level)}
          >
            {LEVEL_SHORT[level]}
          </button>
        ))}
      </fieldset>
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
      <span className="undo-redo">
        <button
          type="button"
          className="icon"
          data-testid="undo"
          disabled={!undoable}
          onClick={() => store.getState().undo()}
          title="Undo the last edit (Ctrl+Z)"
          aria-label="undo"
        >
          ↶
        </button>
        <button
          type="button"
          className="icon"
          data-testid="redo"
          disabled={!redoable}
          onClick={() => store.getState().redo()}
          title="Redo (Shift+Ctrl+Z)"
          aria-label="redo"
        >
          ↷
        </button>
      </span>
      <select
        data-testid="export"
        title="Export the view (PNG, SVG), the workspace in any format segscope writes, or the change plan"
        aria-label="export"
        value=""
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (v) onExport(v);
        }}
      >
        <option value="">Export…</option>
        {exports.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.entries.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <ViewMenu store={store} onNew={onNew} />
      <span className="title" data-testid="workspace-name" title={name ?? ''}>
        {name ?? ''}
      </span>
      <span className="busy" role="status" data-testid="status">
        {busy ?? progress ?? ''}
      </span>
      <button
        type="button"
        className="icon"
        data-testid="toggle-right"
        title={panelTitle('right', 'inspector, what-if')}
        aria-label={panelTitle('right', 'inspector, what-if')}
        aria-pressed={panels.right}
        onClick={() => onTogglePanel('right')}
      >
        ◨
      </button>
    </header>
  );
};
