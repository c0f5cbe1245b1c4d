// A segment's merge-or-delete row in its inspector: merge into another segment of its level, or delete it (members to the one chosen).
import { useState } from 'react';
import type { Segment } from '../model/types';
import type { AppStore } from '../store/store';
import { ChoiceSelect } from './ChoiceSelect';

export const SegmentMerge = ({
  store,
  segment,
  siblings,
  members,
}: {
  store: AppStore;
  segment: Segment;
  /** The other segments of its level. */
  siblings: readonly Segment[];
  members: number;
}) => {
  const [target, setTarget] = useState('');
  const apply = store.getState().apply;
  return (
    <div className="edit-row">
      <ChoiceSelect
        label="other segment"
        testId="segment-target"
        value={target}
        first={{ value: '', text: '(no segment)' }}
        options={siblings.map((s) => ({ value: s.id, text: s.name }))}
        onChange={setTarget}
      />
      <button
        type="button"
        data-testid="segment-merge"
        disabled={!target}
        onClick={() => apply({ type: 'mergeSegments', from: segment.id, into: target })}
      >
        Merge into
      </button>
      <button
        type="button"
        data-testid="segment-delete"
        onClick={() => {
          const where = target
            ? `its ${members} members move to ${siblings.find((s) => s.id === target)?.name}`
            : `its ${members} members lose this ${segment.level} membership`;
          if (window.confirm(`Delete ${segment.name}? ${where}. (Undo restores it.)`)) {
            apply({ type: 'deleteSegment', segment: segment.id, moveMembersTo: target || null });
          }
        }}
      >
        Delete
      </button>
    </div>
  );
};
