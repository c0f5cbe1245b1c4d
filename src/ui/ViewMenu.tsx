// The View menu of the toolbar: the settings a person changes now and then (theme, scope, excess reach, NACL ports, Cilium mode, New).
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import {
  CILIUM_ENFORCEMENT_MODES,
  type CiliumEnforcement,
  ciliumEnforcement,
  ephemeralPorts,
  parsePortRange,
  withCiliumEnforcement,
  withEphemeralPorts,
} from '../model/settings';
import type { AppStore } from '../store/store';

/**
 * The ports responses return to through AWS network ACLs: saved with the workspace (undoable), so the
 * CLI and a reload decide as the app does. Applied on Enter or when the field loses focus.
 */
const EphemeralPortsRow = ({ store }: { store: AppStore }) => {
  const workspace = useStore(store, (s) => s.workspace);
  const range = ephemeralPorts(workspace ?? {});
  const shown = `${range.from}-${range.to}`;
  const [problem, setProblem] = useState<string | null>(null);
  const apply = (text: string) => {
    const ws = store.getState().workspace;
    const parsed = parsePortRange(text);
    if (typeof parsed === 'string') return setProblem(parsed);
    setProblem(null);
    if (!ws || (parsed.from === range.from && parsed.to === range.to)) return;
    store.getState().setWorkspace(withEphemeralPorts(ws, parsed), `NACL ephemeral ports ${parsed.from}-${parsed.to}`, {
      setting: true,
    });
  };
  return (
    <label
      className="menu-row"
      title="Ports a client's responses come back to through AWS network ACLs (stateless): every one must be allowed. AWS advises 1024-65535; Linux clients use 32768-60999."
    >
      <span>NACL ephemeral ports</span>
      <input
        key={shown}
        type="text"
        size={11}
        defaultValue={shown}
        data-testid="ephemeral-ports"
        aria-label="network ACL ephemeral port range, like 1024-65535"
        aria-invalid={problem !== null}
        onBlur={(e) => apply(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply(e.currentTarget.value);
        }}
      />
      {problem ? (
        <span className="bad" data-testid="ephemeral-ports-problem">
          {problem}
        </span>
      ) : null}
    </label>
  );
};

/**
 * The Cilium agent's policy enforcement mode (docs.cilium.io, "Policy Enforcement Modes"): saved with the
 * workspace (undoable), so the CLI and a reload decide as the app does.
 */
const CiliumEnforcementRow = ({ store }: { store: AppStore }) => {
  const workspace = useStore(store, (s) => s.workspace);
  const mode = ciliumEnforcement(workspace ?? {});
  return (
    <label
      className="menu-row"
      title="Cilium's policyEnforcementMode: default — a pod is in default deny once a rule selects it; always — every pod is, even with no rule; never — no policy (Cilium or NetworkPolicy) is enforced"
    >
      <span>Cilium enforcement</span>
      <select
        data-testid="cilium-enforcement"
        aria-label="Cilium policy enforcement mode"
        value={mode}
        onChange={(e) => {
          const ws = store.getState().workspace;
          const next = e.currentTarget.value as CiliumEnforcement;
          if (ws && next !== mode)
            store.getState().setWorkspace(withCiliumEnforcement(ws, next), `Cilium policy enforcement ${next}`, {
              setting: true,
            });
        }}
      >
        {CILIUM_ENFORCEMENT_MODES.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </label>
  );
};

/** A button that opens a small popover below it; Escape or a click elsewhere closes it. */
export const Menu = ({
  label,
  title,
  testid,
  children,
}: {
  label: string;
  title: string;
  testid: string;
  children: ReactNode;
}) => {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('pointerdown', away);
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('pointerdown', away);
      window.removeEventListener('keydown', key);
    };
  }, [open]);
  return (
    <div className="menu" ref={root}>
      <button
        type="button"
        data-testid={testid}
        title={title}
        aria-label={title}
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {label} ▾
      </button>
      {open ? (
        // A command (a button) closes the menu; choosing in a select or ticking a box keeps it open.
        // biome-ignore lint/a11y/useKeyWithClickEvents: the buttons inside are the keyboard path
        // biome-ignore lint/a11y/noStaticElementInteractions: the click is delegated from those buttons
        <div
          className="menu-popover"
          data-testid={`${testid}-popover`}
          onClick={(e) => {
            if ((e.target as HTMLElement).closest('button')) setOpen(false);
          }}
        >
          {children}
        </div>
      ) : null}
    </div>
  );
};

/** Show one account or namespace only: the accounts and namespaces of the workspace. */
const ScopeRow = ({ store }: { store: AppStore }) => {
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
  return (
    <label className="menu-row">
      <span>Show</span>
      <select
        title="Show one account or namespace only"
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
    </label>
  );
};

export const ViewMenu = ({ store, onNew }: { store: AppStore; onNew(): void }) => {
  const theme = useStore(store, (s) => s.theme);
  const showExcess = useStore(store, (s) => s.showExcess);
  return (
    <Menu
      label="View"
      title="View settings: theme, scope, excess reach, NACL ephemeral ports, Cilium enforcement, new workspace"
      testid="view-menu"
    >
      <ScopeRow store={store} />
      <label className="menu-row" title="Also draw pairs that can reach each other but never call (dotted amber)">
        <input
          type="checkbox"
          data-testid="show-excess"
          aria-label="show excess reach: reachable pairs that never call"
          checked={showExcess}
          onChange={(e) => store.getState().setShowExcess(e.currentTarget.checked)}
        />
        <span>Excess reach (reachable, never called)</span>
      </label>
      <EphemeralPortsRow store={store} />
      <CiliumEnforcementRow store={store} />
      <button
        type="button"
        className="menu-row"
        data-testid="theme"
        title="Switch between the light and the dark theme (dark suits projectors)"
        aria-label="toggle dark theme"
        onClick={() => store.getState().setTheme(theme === 'light' ? 'dark' : 'light')}
      >
        {theme === 'light' ? '◐ Dark theme' : '◑ Light theme'}
      </button>
      <button
        type="button"
        className="menu-row"
        data-testid="new"
        title="Start an empty workspace (Undo brings this one back)"
        aria-label="new empty workspace"
        onClick={onNew}
      >
        New workspace
      </button>
    </Menu>
  );
};
