// The inspector of a selected service: what it is, its segments at every level, a reach check and its calls.
import type { AnalysisSummary } from '../analysis/types';
import { LEVEL_TITLES, LEVELS, type Service, type Workspace } from '../model/types';
import type { AppStore } from '../store/store';
import { PairCheck } from './PairCheck';
import { ServiceCalls } from './ServiceCalls';

export const ServiceInspector = ({
  store,
  service,
  workspace,
  analysis,
  onMove,
}: {
  store: AppStore;
  service: Service;
  workspace: Workspace;
  analysis: AnalysisSummary | null;
  onMove(): void;
}) => {
  const segName = (id: string) => workspace.segments.find((s) => s.id === id)?.name ?? id;
  const unexposed = analysis?.unexposed?.find((u) => u.service === service.id);
  return (
    <>
      <h2>{service.name}</h2>
      <button type="button" className="move" data-testid="move-to" onClick={onMove} title="Move to another segment (M)">
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
      <ServiceCalls store={store} service={service} workspace={workspace} analysis={analysis} />
    </>
  );
};
