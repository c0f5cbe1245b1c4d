// The inspector: the selected service's memberships per level (the "why" answers grow here).
import { useStore } from 'zustand';
import { LEVEL_TITLES, LEVELS } from '../model/types';
import type { AppStore } from '../store/store';

export const Inspector = ({ store }: { store: AppStore }) => {
  const selection = useStore(store, (s) => s.selection);
  const workspace = useStore(store, (s) => s.workspace);
  if (!workspace) return <aside className="inspector" />;
  const service = selection.serviceId ? workspace.services.find((s) => s.id === selection.serviceId) : undefined;
  const segName = (id: string) => workspace.segments.find((s) => s.id === id)?.name ?? id;
  return (
    <aside className="inspector" data-testid="inspector" aria-label="inspector">
      {service ? (
        <>
          <h2>{service.name}</h2>
          <p className="muted">
            {service.kind}
            {service.namespace ? ` · ${service.namespace}` : ''}
            {service.exposed ? ' · exposed' : ''}
            {service.critical ? ' · critical' : ''}
          </p>
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
          <h3>Calls</h3>
          <ul>
            {workspace.calls
              .filter((c) => c.from === service.id || c.to === service.id)
              .map((c) => (
                <li key={`${c.from}>${c.to}:${c.port ?? ''}`}>
                  {c.from === service.id ? `→ ${c.to}` : `← ${c.from}`}
                  {c.port ? `:${c.port}` : ''}
                </li>
              ))}
          </ul>
        </>
      ) : (
        <p className="muted">
          {workspace.services.length} services · {workspace.segments.length} segments · {workspace.calls.length} calls.
          Select a service to see its segments at every level.
        </p>
      )}
    </aside>
  );
};
