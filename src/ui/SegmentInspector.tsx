// The segment inspector: what a segment is, its members and quota figures; rename, create, split, merge, delete.
import { useState } from 'react';
import { useStore } from 'zustand';
import { figure, quotaNoun, quotaPercent } from '../analysis/wording';
import { quotaBySegment } from '../graph/elements';
import type { Segment } from '../model/types';
import type { AppStore } from '../store/store';

/** A new segment id that does not collide: `<level>:<name>` with a counter when needed. */
const freshId = (segments: readonly Segment[], level: string, name: string): string => {
  const base = `${level}:${name.trim().replace(/\s+/g, '-')}`;
  let id = base;
  for (let i = 2; segments.some((s) => s.id === id); i++) id = `${base}-${i}`;
  return id;
};

export const SegmentInspector = ({ store, segment }: { store: AppStore; segment: Segment }) => {
  const workspace = useStore(store, (s) => s.workspace);
  const analysis = useStore(store, (s) => s.analysis);
  const [name, setName] = useState(segment.name);
  const [newName, setNewName] = useState('');
  const [target, setTarget] = useState('');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  if (!workspace) return null;
  const members = workspace.services.filter((s) => s.memberships[segment.level]?.includes(segment.id));
  const siblings = workspace.segments.filter((s) => s.level === segment.level && s.id !== segment.id);
  const parent = segment.parent ? workspace.segments.find((s) => s.id === segment.parent) : undefined;
  const quotas = quotaBySegment(analysis).get(segment.id) ?? [];
  const apply = store.getState().apply;
  return (
    <section data-testid="segment-inspector">
      <h2>{segment.name}</h2>
      <p className="muted">
        {segment.level} segment{typeof segment.attributes?.kind === 'string' ? ` (${segment.attributes.kind})` : ''}
        {parent ? ` in ${parent.name}` : ''}
        {segment.cidrs?.length ? ` · ${segment.cidrs.join(', ')}` : ''}
      </p>
      {quotas.length > 0 ? (
        <ul className="quota-list" data-testid="segment-quotas">
          {quotas.map((q) => (
            <li key={q.quota} className={`q-${q.state}`} title={q.label}>
              {q.state === 'error' ? '▲ ' : q.state === 'warn' ? '△ ' : ''}
              {figure(q.used)} of {figure(q.limit)} {quotaNoun(q.quota, q.label)} ({quotaPercent(q)} %)
            </li>
          ))}
        </ul>
      ) : null}
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
                  setPicked(next);
                }}
              />{' '}
              {s.name}
            </label>
          </li>
        ))}
      </ul>
      <form
        className="edit-row"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ type: 'renameSegment', segment: segment.id, name });
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
          setPicked(new Set());
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
      <div className="edit-row">
        <select
          aria-label="other segment"
          data-testid="segment-target"
          value={target}
          onChange={(e) => setTarget(e.currentTarget.value)}
        >
          <option value="">(no segment)</option>
          {siblings.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
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
              ? `its ${members.length} members move to ${siblings.find((s) => s.id === target)?.name}`
              : `its ${members.length} members lose this ${segment.level} membership`;
            if (window.confirm(`Delete ${segment.name}? ${where}. (Undo restores it.)`)) {
              apply({ type: 'deleteSegment', segment: segment.id, moveMembersTo: target || null });
            }
          }}
        >
          Delete
        </button>
      </div>
    </section>
  );
};
