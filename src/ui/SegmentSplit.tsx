// A segment's new-segment row in its inspector: split the picked members off, or create a sibling when none is picked.
import { useState } from 'react';
import type { Segment, Workspace } from '../model/types';
import type { AppStore } from '../store/store';

/** A new segment id that does not collide: `<level>:<name>` with a counter when needed. */
const freshId = (segments: readonly Segment[], level: string, name: string): string => {
  const base = `${level}:${name.trim().replace(/\s+/g, '-')}`;
  let id = base;
  for (let i = 2; segments.some((s) => s.id === id); i++) id = `${base}-${i}`;
  return id;
};

export const SegmentSplit = ({
  store,
  workspace,
  segment,
  picked,
  onPick,
}: {
  store: AppStore;
  workspace: Workspace;
  segment: Segment;
  picked: ReadonlySet<string>;
  onPick(picked: ReadonlySet<string>): void;
}) => {
  const [newName, setNewName] = useState('');
  const apply = store.getState().apply;
  return (
    <form
      className="edit-row"
      onSubmit={(e) => {
        e.preventDefault();
        if (!newName.trim()) return;
        const id = freshId(workspace.segments, segment.level, newName);
        if (picked.size > 0)
          apply({
            type: 'splitSegment',
            segment: segment.id,
            newSegment: { id, name: newName.trim() },
            services: [...picked],
          });
        else {
          const created: Segment = { id, level: segment.level, name: newName.trim() };
          if (segment.parent) created.parent = segment.parent;
          apply({ type: 'createSegment', segment: created });
        }
        setNewName('');
        onPick(new Set());
      }}
    >
      <input
        aria-label="new segment name"
        data-testid="segment-new-name"
        placeholder="new segment name"
        value={newName}
        onChange={(e) => setNewName(e.currentTarget.value)}
      />
      <button type="submit" data-testid="segment-split">
        {picked.size > 0 ? `Split ${picked.size} off` : 'Create sibling'}
      </button>
    </form>
  );
};
