// The inspector: a selected call's verdict per level with the deciding rule, a selected service's or segment's details, by name.
import { useStore } from 'zustand';
import type { AppStore } from '../store/store';
import { CallInspector } from './CallInspector';
import { SegmentInspector } from './SegmentInspector';
import { ServiceInspector } from './ServiceInspector';

export const Inspector = ({ store, onMove }: { store: AppStore; onMove(): void }) => {
  const selection = useStore(store, (s) => s.selection);
  const workspace = useStore(store, (s) => s.workspace);
  const analysis = useStore(store, (s) => s.analysis);
  if (!workspace) return <section className="inspector" />;
  const call = selection.callIndex === undefined ? undefined : workspace.calls[selection.callIndex];
  const segment = selection.segmentId ? workspace.segments.find((s) => s.id === selection.segmentId) : undefined;
  const callVerdict =
    selection.callIndex === undefined ? undefined : analysis?.calls.find((c) => c.index === selection.callIndex);
  const service = selection.serviceId ? workspace.services.find((s) => s.id === selection.serviceId) : undefined;
  return (
    <section className="inspector" data-testid="inspector" aria-label="inspector">
      {segment ? <SegmentInspector key={segment.id} store={store} segment={segment} /> : null}
      {call ? <CallInspector store={store} call={call} verdict={callVerdict} workspace={workspace} /> : null}
      {service ? (
        <ServiceInspector store={store} service={service} workspace={workspace} analysis={analysis} onMove={onMove} />
      ) : call || segment ? null : (
        <p className="muted">
          {workspace.services.length} services · {workspace.segments.length} segments · {workspace.calls.length} calls.
          Select a service to see its segments at every level.
        </p>
      )}
    </section>
  );
};
