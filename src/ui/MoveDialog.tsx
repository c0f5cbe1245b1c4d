// "Move to…" (shortcut M): the keyboard equivalent of a drag, with the same what-if delta before confirming.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { SINGLE_MEMBERSHIP_LEVELS } from '../model/commands';
import { LEVELS, type Level, type Service, type Workspace } from '../model/types';
import type { AppStore } from '../store/store';
import { MoveCandidates } from './MoveCandidates';
import { MoveConfirm } from './MoveConfirm';
import { MoveSource } from './MoveSource';

/** What the three parts of the dialog share: the service, the membership it leaves and whether it keeps it. */
export interface MoveChoice {
  store: AppStore;
  workspace: Workspace;
  service: Service;
  level: Level;
  from: string;
  add: boolean;
  /** The level lets a service be in several segments: it may join one and keep the other. */
  multi: boolean;
}

export const MoveDialog = ({ store, onClose }: { store: AppStore; onClose(): void }) => {
  const workspace = useStore(store, (s) => s.workspace);
  const serviceId = useStore(store, (s) => s.selection.serviceId);
  const focus = useStore(store, (s) => s.focus);
  const target = useStore(store, (s) => s.drag?.target);
  const service = workspace?.services.find((s) => s.id === serviceId);
  const firstLevel = service
    ? service.memberships[focus]?.length
      ? focus
      : (LEVELS.find((l) => service.memberships[l]?.length) ?? focus)
    : focus;
  const [level, setLevel] = useState<Level>(firstLevel);
  const [from, setFrom] = useState<string>(service?.memberships[firstLevel]?.[0] ?? '');
  const [query, setQuery] = useState('');
  const [add, setAdd] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  // Focus the filter; on closing, give the focus back to where M was pressed (the canvas, the inspector).
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    search.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);
  // The dialog drives the same drag state as the mouse, so the delta is computed the same way.
  useEffect(() => {
    if (service && from) store.getState().dragStart({ service: service.id, level, from });
    return () => store.getState().dragCancel();
  }, [store, service, level, from]);
  const candidates = useMemo(
    () =>
      (workspace?.segments ?? []).filter(
        (s) => s.level === level && s.id !== from && s.name.toLowerCase().includes(query.trim().toLowerCase()),
      ),
    [workspace, level, from, query],
  );
  if (!workspace || !service) {
    return (
      <div className="dialog" role="dialog" aria-label="move to" data-testid="move-dialog">
        <p>Select a service first, then press M.</p>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    );
  }
  const move = { store, workspace, service, level, from, add, multi: !SINGLE_MEMBERSHIP_LEVELS.includes(level) };
  return (
    <div
      className="dialog"
      role="dialog"
      aria-modal="true"
      aria-label={`move ${service.name} to`}
      data-testid="move-dialog"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <h2>Move {service.name} to…</h2>
      <MoveSource move={move} onLevel={setLevel} onFrom={setFrom} onAdd={setAdd} />
      <MoveCandidates
        {...move}
        candidates={candidates}
        query={query}
        onQuery={setQuery}
        target={target}
        search={search}
      />
      <MoveConfirm move={move} onClose={onClose} />
    </div>
  );
};
