// "Move to…" (shortcut M): the keyboard equivalent of a drag, with the same what-if delta before confirming.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { SINGLE_MEMBERSHIP_LEVELS } from '../model/commands';
import { LEVEL_TITLES, LEVELS, type Level } from '../model/types';
import type { AppStore } from '../store/store';
import { DeltaSummary } from './DeltaPanel';

export const MoveDialog = ({ store, onClose }: { store: AppStore; onClose(): void }) => {
  const workspace = useStore(store, (s) => s.workspace);
  const serviceId = useStore(store, (s) => s.selection.serviceId);
  const focus = useStore(store, (s) => s.focus);
  const drag = useStore(store, (s) => s.drag);
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
  const list = useRef<HTMLUListElement>(null);
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
  const memberships = service.memberships[level] ?? [];
  const multi = !SINGLE_MEMBERSHIP_LEVELS.includes(level);
  const segName = (id: string) => workspace.segments.find((s) => s.id === id)?.name ?? id;
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
      <div className="row">
        <label>
          level{' '}
          <select
            data-testid="move-level"
            value={level}
            onChange={(e) => {
              const l = e.currentTarget.value as Level;
              setLevel(l);
              setFrom(service.memberships[l]?.[0] ?? '');
            }}
          >
            {LEVELS.map((l) => (
              <option key={l} value={l} disabled={!service.memberships[l]?.length}>
                {LEVEL_TITLES[l]}
              </option>
            ))}
          </select>
        </label>
        {memberships.length > 1 ? (
          <label>
            from{' '}
            <select data-testid="move-from" value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
              {memberships.map((id) => (
                <option key={id} value={id}>
                  {segName(id)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="muted">from {from ? segName(from) : '—'}</span>
        )}
        {multi ? (
          <label>
            <input
              type="checkbox"
              data-testid="move-add"
              checked={add}
              onChange={(e) => {
                setAdd(e.currentTarget.checked);
                const d = store.getState().drag;
                if (d?.target) store.getState().dragTarget(d.target, e.currentTarget.checked ? 'add' : 'move');
              }}
            />{' '}
            add (keep {from ? segName(from) : 'current'})
          </label>
        ) : null}
      </div>
      <input
        ref={search}
        type="search"
        placeholder={`search ${level} segments`}
        aria-label="search segments"
        data-testid="move-search"
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Enter picks the one segment the filter leaves (or the one named exactly); ↓ goes to the list.
          const only =
            candidates.length === 1
              ? candidates[0]
              : candidates.find((c) => c.name.toLowerCase() === query.trim().toLowerCase());
          if (e.key === 'Enter' && only) {
            e.preventDefault();
            store.getState().dragTarget(only.id, add ? 'add' : 'move');
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            list.current?.querySelector('button')?.focus();
          }
        }}
      />
      <p className="muted" aria-live="polite" data-testid="move-matches">
        {candidates.length === 1
          ? '1 segment matches: Enter picks it'
          : `${candidates.length.toLocaleString('en-US')} segments match`}
      </p>
      {/* ↑ ↓ move between segments; ↑ from the first goes back to the filter. */}
      <ul
        ref={list}
        className="candidates"
        aria-label="segments"
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
          const buttons = Array.from(list.current?.querySelectorAll('button') ?? []);
          const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
          const next = e.key === 'ArrowDown' ? buttons[i + 1] : i <= 0 ? search.current : buttons[i - 1];
          if (next) {
            e.preventDefault();
            next.focus();
          }
        }}
      >
        {candidates.slice(0, 200).map((s) => (
          <li key={s.id}>
            <button
              type="button"
              data-testid="move-candidate"
              aria-pressed={drag?.target === s.id}
              className={drag?.target === s.id ? 'active' : ''}
              onClick={() => store.getState().dragTarget(s.id, add ? 'add' : 'move')}
            >
              {s.name}
            </button>
          </li>
        ))}
      </ul>
      <div className="preview">
        {drag?.target ? (
          drag.delta ? (
            <DeltaSummary delta={drag.delta} workspace={workspace} />
          ) : (
            <p className="muted">computing…</p>
          )
        ) : null}
      </div>
      <div className="row end">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          data-testid="move-confirm"
          disabled={!drag?.target}
          onClick={() => {
            store.getState().dragDrop();
            onClose();
          }}
        >
          {add ? 'Add' : 'Move'}
        </button>
        {multi && from ? (
          <button
            type="button"
            data-testid="move-remove"
            title={`remove ${service.name} from ${segName(from)}`}
            onClick={() => {
              store.getState().apply({ type: 'moveService', service: service.id, level, from, to: null });
              onClose();
            }}
          >
            Remove from {segName(from)}
          </button>
        ) : null}
      </div>
    </div>
  );
};
