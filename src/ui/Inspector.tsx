// The inspector: a selected call's verdict per level with the deciding rule, a selected service's or segment's details, by name.
import { useStore } from 'zustand';
import { LEVEL_TITLES, LEVELS } from '../model/types';
import type { AppStore } from '../store/store';
import { CallInspector } from './CallInspector';
import { PairCheck } from './PairCheck';
import { SegmentInspector } from './SegmentInspector';

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
  const segName = (id: string) => workspace.segments.find((s) => s.id === id)?.name ?? id;
  const svcName = (id: string) => workspace.services.find((s) => s.id === id)?.name ?? id;
  const unexposed = service ? analysis?.unexposed?.find((u) => u.service === service.id) : undefined;
  return (
    <section className="inspector" data-testid="inspector" aria-label="inspector">
      {segment ? <SegmentInspector key={segment.id} store={store} segment={segment} /> : null}
      {call ? <CallInspector store={store} call={call} verdict={callVerdict} workspace={workspace} /> : null}
      {service ? (
        <>
          <h2>{service.name}</h2>
          <button
            type="button"
            className="move"
            data-testid="move-to"
            onClick={onMove}
            title="Move to another segment (M)"
          >
            Move to… <kbd>M</kbd>
          </button>
          <p className="muted">
            {service.kind}
            {service.namespace ? ` · ${service.namespace}` : ''}
            {service.exposed && !unexposed ? ' · exposed' : ''}
            {service.critical ? ' · critical' : ''}
          </p>
          {unexposed ? (
            <p className="muted" data-testid="unexposed">
              public address, not exposed: {unexposed.reason}
              {unexposed.source ? (
                <code>
                  {' '}
                  {unexposed.source.file}:{unexposed.source.line}
                </code>
              ) : null}
            </p>
          ) : null}
          <dl>
            {LEVELS.map((level) => (
              <div key={level}>
                <dt>{LEVEL_TITLES[level]}</dt>
                <dd data-testid={`membership-${level}`}>
                  {(service.memberships[level] ?? []).map(segName).join(', ') || <span className="muted">no data</span>}
                </dd>
              </div>
            ))}
          </dl>
          <PairCheck key={service.id} store={store} service={service} services={workspace.services} />
          <h3>Calls</h3>
          <ul>
            {workspace.calls
              .filter((c) => c.from === service.id || c.to === service.id)
              .map((c) => {
                const index = workspace.calls.indexOf(c);
                const cls = analysis?.calls.find((v) => v.index === index)?.class;
                const peer = c.from === service.id ? c.to : c.from;
                return (
                  <li key={`${c.from}>${c.to}:${c.port ?? ''}`} className={cls ? `call-${cls}` : ''}>
                    <button
                      type="button"
                      className="link"
                      data-testid="inspector-call"
                      title="Show this call's verdict at every level"
                      onClick={() => store.getState().select({ serviceId: service.id, callIndex: index })}
                    >
                      {c.from === service.id ? '→' : '←'}
                      {c.port ? ` :${c.port}` : ''}
                    </button>{' '}
                    <button
                      type="button"
                      className="link"
                      data-testid="inspector-peer"
                      data-service={peer}
                      title={`Select ${svcName(peer)} and show it in the graph`}
                      onClick={() => {
                        // The peer becomes the selection and is revealed: what holds it opens, framed readably.
                        store.getState().select({ serviceId: peer });
                        store.getState().reveal({ serviceIds: [peer] });
                      }}
                    >
                      {svcName(peer)}
                    </button>
                    {cls === 'broken' ? <span className="bad"> broken</span> : null}
                  </li>
                );
              })}
          </ul>
        </>
      ) : call || segment ? null : (
        <p className="muted">
          {workspace.services.length} services · {workspace.segments.length} segments · {workspace.calls.length} calls.
          Select a service to see its segments at every level.
        </p>
      )}
    </section>
  );
};
