// A segment's members in its inspector, each with a box to pick it for a split.
import type { Service } from '../model/types';

export const SegmentMembers = ({
  members,
  picked,
  onPick,
}: {
  members: readonly Service[];
  picked: ReadonlySet<string>;
  onPick(picked: ReadonlySet<string>): void;
}) => (
  <>
    <h3>{members.length} members</h3>
    <ul className="members">
      {members.map((s) => (
        <li key={s.id}>
          <label>
            <input
              type="checkbox"
              aria-label={`pick ${s.name} for a split`}
              checked={picked.has(s.id)}
              onChange={(e) => {
                const next = new Set(picked);
                if (e.currentTarget.checked) next.add(s.id);
                else next.delete(s.id);
                onPick(next);
              }}
            />{' '}
            {s.name}
          </label>
        </li>
      ))}
    </ul>
  </>
);
