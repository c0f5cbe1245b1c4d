// The hubs panel: the popular services everyone calls, with their callers, share and rule cost.
import { useStore } from 'zustand';
import type { AppStore } from '../store/store';

export const HubsPanel = ({ store }: { store: AppStore }) => {
  const hubs = useStore(store, (s) => s.analysis?.hubs);
  const names = useStore(store, (s) => s.workspace?.services);
  if (!hubs || hubs.length === 0) return null;
  const name = (id: string) => names?.find((s) => s.id === id)?.name ?? id;
  return (
    <section className="panel" data-testid="hubs" aria-label="hubs">
      <h2>Hubs</h2>
      <table className="hubs">
        <thead>
          <tr>
            <th>service</th>
            <th title="distinct callers">callers</th>
            <th title="share of all services calling it">share</th>
            <th title="rules its segments carry for its callers">rules</th>
          </tr>
        </thead>
        <tbody>
          {hubs.slice(0, 20).map((h) => (
            <tr key={h.service} data-testid="hub">
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    store.getState().select({ serviceId: h.service });
                    store.getState().reveal({ serviceIds: [h.service] });
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
    </section>
  );
};
