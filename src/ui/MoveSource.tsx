// The Move dialog's first row: which level, which membership the service leaves, and whether it keeps it (add).
import { LEVEL_TITLES, LEVELS, type Level } from '../model/types';
import type { MoveChoice } from './MoveDialog';

export const MoveSource = ({
  move,
  onLevel,
  onFrom,
  onAdd,
}: {
  move: MoveChoice;
  onLevel(level: Level): void;
  onFrom(from: string): void;
  onAdd(add: boolean): void;
}) => {
  const { store, workspace, service, level, from, add, multi } = move;
  const memberships = service.memberships[level] ?? [];
  const segName = (id: string) => workspace.segments.find((s) => s.id === id)?.name ?? id;
  return (
    <div className="row">
      <label>
        level{' '}
        <select
          data-testid="move-level"
          value={level}
          onChange={(e) => {
            const l = e.currentTarget.value as Level;
            onLevel(l);
            onFrom(service.memberships[l]?.[0] ?? '');
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
          <select data-testid="move-from" value={from} onChange={(e) => onFrom(e.currentTarget.value)}>
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
              onAdd(e.currentTarget.checked);
              const d = store.getState().drag;
              if (d?.target) store.getState().dragTarget(d.target, e.currentTarget.checked ? 'add' : 'move');
            }}
          />{' '}
          add (keep {from ? segName(from) : 'current'})
        </label>
      ) : null}
    </div>
  );
};
