// A selected service's calls in the inspector: each opens its verdict per level, each peer is selected and revealed.
import type { AnalysisSummary } from '../analysis/types';
import type { Service, Workspace } from '../model/types';
import type { AppStore } from '../store/store';

export const ServiceCalls = ({
  store,
  service,
  workspace,
  analysis,
}: {
  store: AppStore;
  service: Service;
  workspace: Workspace;
  analysis: AnalysisSummary | null;
}) => {
  const svcName = (id: string) => workspace.services.find((s) => s.id === id)?.name ?? id;
  return (
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
  );
};
