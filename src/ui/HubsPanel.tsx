// The hubs panel: popular services (callers, share, rule cost) and groups many groups reference; a click selects and reveals.
import { useMemo } from 'react';
import type { AppStore } from '../store/store';
import { HubTable } from './HubTable';
import type { Reveal } from './reveal';
import { useDeferredAnalysis } from './useDeferredAnalysis';

const SHOWN = 20;

export const HubsPanel = ({ store, onReveal }: { store: AppStore; onReveal: Reveal }) => {
  const { workspace, analysis } = useDeferredAnalysis(store);
  const hubs = analysis?.hubs;
  const groupHubs = analysis?.groupHubs;
  const names = useMemo(
    () =>
      new Map([
        ...(workspace?.services ?? []).map((s) => [s.id, s.name] as const),
        ...(workspace?.segments ?? []).map((s) => [s.id, s.name] as const),
      ]),
    [workspace],
  );
  if ((hubs?.length ?? 0) + (groupHubs?.length ?? 0) === 0) return null;
  const name = (id: string) => names.get(id) ?? id;
  return (
    <section className="panel" data-testid="hubs" aria-label="hubs">
      <h2>Hubs</h2>
      {hubs && hubs.length > 0 ? (
        <HubTable
          rowTestId="hub"
          heads={[
            { text: 'service' },
            { text: 'callers', title: 'distinct services calling it' },
            { text: 'share', title: 'share of all services calling it' },
            { text: 'rules', title: 'rules its segments carry for its callers' },
          ]}
          rows={hubs.slice(0, SHOWN).map((h) => ({
            key: h.service,
            name: name(h.service),
            onSelect: () => {
              store.getState().select({ serviceId: h.service });
              onReveal({ serviceIds: [h.service] });
            },
            figures: [h.callers, <>{Math.round(h.share * 100)} %</>, h.ruleCost],
          }))}
        />
      ) : null}
      {groupHubs && groupHubs.length > 0 ? (
        <HubTable
          testId="group-hubs"
          rowTestId="group-hub"
          heads={[
            { text: 'security group' },
            { text: 'referenced by', title: 'other security groups with a rule naming it' },
            { text: 'rules', title: 'rules naming it, over all referencing groups' },
          ]}
          rows={groupHubs.slice(0, SHOWN).map((h) => ({
            key: h.group,
            name: name(h.group),
            onSelect: () => {
              store.getState().select({ segmentId: h.group });
              onReveal({ segmentIds: [h.group], level: 'group' });
            },
            figures: [
              <>
                {h.references} groups ({Math.round(h.share * 100)} %)
              </>,
              h.ruleCost,
            ],
          }))}
        />
      ) : null}
    </section>
  );
};
