// The segment inspector: what a segment is, its members and quota figures; rename, create, split, merge, delete.
import { useState } from 'react';
import { useStore } from 'zustand';
import { quotaBySegment } from '../graph/elements';
import type { Segment } from '../model/types';
import type { AppStore } from '../store/store';
import { SegmentMembers } from './SegmentMembers';
import { SegmentMerge } from './SegmentMerge';
import { SegmentQuotas } from './SegmentQuotas';
import { SegmentSplit } from './SegmentSplit';

export const SegmentInspector = ({ store, segment }: { store: AppStore; segment: Segment }) => {
  const workspace = useStore(store, (s) => s.workspace);
  const analysis = useStore(store, (s) => s.analysis);
  const [name, setName] = useState(segment.name);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  if (!workspace) return null;
  const members = workspace.services.filter((s) => s.memberships[segment.level]?.includes(segment.id));
  const siblings = workspace.segments.filter((s) => s.level === segment.level && s.id !== segment.id);
  const parent = segment.parent ? workspace.segments.find((s) => s.id === segment.parent) : undefined;
  return (
    <section data-testid="segment-inspector">
      <h2>{segment.name}</h2>
      <p className="muted">
        {segment.level} segment{typeof segment.attributes?.kind === 'string' ? ` (${segment.attributes.kind})` : ''}
        {parent ? ` in ${parent.name}` : ''}
        {segment.cidrs?.length ? ` · ${segment.cidrs.join(', ')}` : ''}
      </p>
      <SegmentQuotas quotas={quotaBySegment(analysis).get(segment.id) ?? []} />
      <SegmentMembers members={members} picked={picked} onPick={setPicked} />
      <form
        className="edit-row"
        onSubmit={(e) => {
          e.preventDefault();
          store.getState().apply({ type: 'renameSegment', segment: segment.id, name });
        }}
      >
        <input
          aria-label="segment name"
          data-testid="segment-name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" data-testid="segment-rename">
          Rename
        </button>
      </form>
      <SegmentSplit store={store} workspace={workspace} segment={segment} picked={picked} onPick={setPicked} />
      <SegmentMerge store={store} segment={segment} siblings={siblings} members={members.length} />
    </section>
  );
};
