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
  // The names of the hubs shown only: a new workspace (no analysis yet) renders this panel in the
  // task that receives it, and a map of every service and segment cost ms there at thousands.
  const names = useMemo(() => {
    const shown = new Set([
      ...(hubs ?? []).slice(0, SHOWN).map((h) => h.service),
      ...(groupHubs ?? []).slice(0, SHOWN).map((h) => h.group),
    ]);
    const out = new Map<string, string>();
    if (shown.size === 0) return out;
    for (const x of [...(workspace?.services ?? []), ...(workspace?.segments ?? [])])
      if (shown.has(x.id)) out.set(x.id, x.name);
    return out;
  }, [workspace, hubs, groupHubs]);
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
