// The toolbar: Open (file picker), Samples, focus level switch, fit.
import { useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { LEVELS, type Level } from '../model/types';
import type { AppStore } from '../store/store';

/** A sample: one or several files (paths under public/samples/) that load together. */
export interface SampleEntry {
  title: string;
  files: string[];
}

const LEVEL_SHORT: Record<Level, string> = {
  account: 'acct',
  role: 'role',
  network: 'net',
  group: 'group',
  policy: 'policy',
  overlay: 'overlay',
};

export const readFileInputs = async (list: FileList | File[]) =>
  Promise.all(
    Array.from(list).map(async (f) => ({
      name: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name,
      text: await f.text(),
    })),
  );

export type ExportKind = 'png' | 'svg' | 'native' | 'plan-md' | 'plan-json';

export const Toolbar = ({
  store,
  samples,
  onOpenSample,
  onExport,
}: {
  store: AppStore;
  samples: SampleEntry[];
  onOpenSample(sample: SampleEntry): void;
  onExport(kind: ExportKind): void;
}) => {
  const focus = useStore(store, (s) => s.focus);
  const theme = useStore(store, (s) => s.theme);
  const showExcess = useStore(store, (s) => s.showExcess);
  const search = useStore(store, (s) => s.search);
  const scope = useStore(store, (s) => s.scope);
  const workspace = useStore(store, (s) => s.workspace);
  const scopes = useMemo(() => {
    const accounts = (workspace?.segments ?? []).filter(
      (s) => s.level === 'account' && s.attributes?.kind !== 'organization',
    );
    const namespaces = [
      ...new Set((workspace?.services ?? []).map((s) => s.namespace).filter((n): n is string => !!n)),
    ].sort();
    return { accounts, namespaces };
  }, [workspace]);
  const busy = useStore(store, (s) => s.busy);
  const name = useStore(store, (s) => s.workspace?.name);
  const input = useRef<HTMLInputElement>(null);
  return (
    <header className="toolbar">
      <strong className="brand">segscope</strong>
      <button
        type="button"
        data-testid="new"
        title="Start an empty workspace"
        onClick={() => {
          const { past, workspace } = store.getState();
          const what = workspace
            ? `"${workspace.name ?? 'this workspace'}"${past.length ? ` and its ${past.length} edit${past.length === 1 ? '' : 's'}` : ''}`
            : 'nothing';
          if (window.confirm(`Discard ${what} and start an empty workspace? Export it first to keep it.`)) {
            store
              .getState()
              .setWorkspace({ segscope: 1, name: 'New workspace', services: [], segments: [], calls: [], rules: [] });
          }
        }}
      >
        New
      </button>
      <button type="button" data-testid="open" onClick={() => input.current?.click()}>
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
      <label className="samples">
        Samples{' '}
        <select
          data-testid="samples"
          value=""
          onChange={(e) => {
            const sample = samples.find((x) => x.title === e.currentTarget.value);
            if (sample) onOpenSample(sample);
          }}
        >
          <option value="">choose…</option>
          {samples.map((s) => (
            <option key={s.title} value={s.title}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="focus" aria-label="focus level">
        <legend>focus</legend>
        {LEVELS.map((level) => (
          <button
            key={level}
            type="button"
            data-testid={`focus-${level}`}
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
        aria-label="search"
        data-testid="search"
        value={search}
        onChange={(e) => store.getState().setSearch(e.currentTarget.value)}
      />
      <select
        aria-label="show one account or namespace"
        data-testid="scope"
        value={scope ? (scope.kind === 'account' ? `a:${scope.segment}` : `n:${scope.namespace}`) : ''}
        onChange={(e) => {
          const v = e.currentTarget.value;
          store
            .getState()
            .setScope(
              v.startsWith('a:')
                ? { kind: 'account', segment: v.slice(2) }
                : v.startsWith('n:')
                  ? { kind: 'namespace', namespace: v.slice(2) }
                  : null,
            );
        }}
      >
        <option value="">all accounts and namespaces</option>
        {scopes.accounts.map((a) => (
          <option key={a.id} value={`a:${a.id}`}>
            account {a.name}
          </option>
        ))}
        {scopes.namespaces.map((n) => (
          <option key={n} value={`n:${n}`}>
            namespace {n}
          </option>
        ))}
      </select>
      <label>
        <input
          type="checkbox"
          data-testid="show-excess"
          checked={showExcess}
          onChange={(e) => store.getState().setShowExcess(e.currentTarget.checked)}
        />{' '}
        excess
      </label>
      <select
        data-testid="export"
        aria-label="export"
        value=""
        onChange={(e) => {
          const v = e.currentTarget.value as ExportKind | '';
          if (v) onExport(v);
        }}
      >
        <option value="">Export…</option>
        <option value="png">View as PNG</option>
        <option value="svg">View as SVG</option>
        <option value="native">Workspace (segscope JSON)</option>
        <option value="plan-md">Change plan (Markdown)</option>
        <option value="plan-json">Change plan (JSON)</option>
      </select>
      <button
        type="button"
        data-testid="theme"
        aria-label="toggle dark theme"
        onClick={() => store.getState().setTheme(theme === 'light' ? 'dark' : 'light')}
      >
        {theme === 'light' ? 'Dark' : 'Light'}
      </button>
      <span className="title" data-testid="workspace-name">
        {name ?? ''}
      </span>
      <span className="busy" role="status" data-testid="status">
        {busy ?? ''}
      </span>
    </header>
  );
};
