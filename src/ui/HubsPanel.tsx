// The hubs panel: popular services (callers, share, rule cost) and groups many groups reference; a click selects and reveals.
import { useMemo } from 'react';
import type { AppStore } from '../store/store';
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
        <table className="hubs">
          <thead>
            <tr>
              <th>service</th>
              <th title="distinct services calling it">callers</th>
              <th title="share of all services calling it">share</th>
              <th title="rules its segments carry for its callers">rules</th>
            </tr>
          </thead>
          <tbody>
            {hubs.slice(0, SHOWN).map((h) => (
              <tr key={h.service} data-testid="hub">
                <td>
                  <button
                    type="button"
                    className="link"
                    title={`Select ${name(h.service)} and show it in the graph`}
                    onClick={() => {
                      store.getState().select({ serviceId: h.service });
                      onReveal({ serviceIds: [h.service] });
                    }}
                  >
                    ★ {name(h.service)}
                  </button>
                </td>
                <td>{h.callers}</td>
                <td>{Math.round(h.share * 100)} %</td>
                <td>{h.ruleCost}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {groupHubs && groupHubs.length > 0 ? (
        <table className="hubs" data-testid="group-hubs">
          <thead>
            <tr>
              <th>security group</th>
              <th title="other security groups with a rule naming it">referenced by</th>
              <th title="rules naming it, over all referencing groups">rules</th>
            </tr>
          </thead>
          <tbody>
            {groupHubs.slice(0, SHOWN).map((h) => (
              <tr key={h.group} data-testid="group-hub">
                <td>
                  <button
                    type="button"
                    className="link"
                    title={`Select ${name(h.group)} and show it in the graph`}
                    onClick={() => {
                      store.getState().select({ segmentId: h.group });
                      onReveal({ segmentIds: [h.group], level: 'group' });
                    }}
                  >
                    ★ {name(h.group)}
                  </button>
                </td>
                <td>
                  {h.references} groups ({Math.round(h.share * 100)} %)
                </td>
                <td>{h.ruleCost}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
};
