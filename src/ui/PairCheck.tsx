// "Can it reach…?": any pair's verdict per level, for a service and a chosen peer (not only its calls).
import { useEffect, useState } from 'react';
import type { PairVerdict } from '../analysis/types';
import type { Service } from '../model/types';
import type { AppStore } from '../store/store';
import { ChoiceSelect } from './ChoiceSelect';
import { PairVerdicts } from './PairVerdicts';

export const PairCheck = ({
  store,
  service,
  services,
}: {
  store: AppStore;
  service: Service;
  services: readonly Service[];
}) => {
  const [peer, setPeer] = useState('');
  const [port, setPort] = useState('');
  const [verdict, setVerdict] = useState<PairVerdict | null>(null);
  useEffect(() => {
    setVerdict(null);
    if (!peer) return;
    let live = true;
    const p = Number.parseInt(port, 10);
    void store
      .getState()
      .reach(service.id, peer, Number.isFinite(p) ? p : undefined)
      .then((v) => {
        if (live) setVerdict(v);
      });
    return () => {
      live = false;
    };
  }, [store, service.id, peer, port]);
  return (
    <section className="pair-check">
      <h3>Can it reach…</h3>
      <div className="edit-row">
        <ChoiceSelect
          label="peer service"
          testId="pair-peer"
          value={peer}
          first={{ value: '', text: 'choose a service' }}
          options={services
            .filter((s) => s.id !== service.id)
            .slice(0, 2000)
            .map((s) => ({ value: s.id, text: `${s.name}${s.namespace ? ` (${s.namespace})` : ''}` }))}
          onChange={setPeer}
        />
        <input
          aria-label="port"
          data-testid="pair-port"
          placeholder="port"
          inputMode="numeric"
          value={port}
          onChange={(e) => setPort(e.currentTarget.value)}
        />
      </div>
      {verdict ? (
        <>
          <p className={verdict.reachable ? 'ok' : 'bad'} data-testid="pair-reachable">
            {verdict.reachable
              ? 'reachable'
              : `not reachable: denied at ${Object.entries(verdict.levels)
                  .filter(([, v]) => v.verdict === 'deny')
                  .map(([l]) => l)
                  .join(', ')}`}
          </p>
          <PairVerdicts verdict={verdict} />
        </>
      ) : null}
    </section>
  );
};
