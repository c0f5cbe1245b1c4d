// The legend: what shapes, borders and edge styles mean.
import { useState } from 'react';

const ITEMS: { swatch: string; label: string }[] = [
  { swatch: 'sw-service', label: 'service' },
  { swatch: 'sw-datastore', label: 'datastore' },
  { swatch: 'sw-gateway', label: 'gateway' },
  { swatch: 'sw-exposed', label: 'exposed to the internet' },
  { swatch: 'sw-critical', label: 'critical' },
  { swatch: 'sw-hub', label: '★ hub (many callers)' },
  { swatch: 'sw-quota-warn', label: 'segment ≥ 80 % of a quota' },
  { swatch: 'sw-quota-error', label: 'segment over a quota' },
  { swatch: 'sw-allowed', label: 'call allowed at every level' },
  { swatch: 'sw-broken', label: 'call broken at some level' },
  { swatch: 'sw-excess', label: 'reachable, never called' },
  { swatch: 'sw-aggregate', label: 'calls between segments (count)' },
];

export const Legend = () => {
  const [open, setOpen] = useState(true);
  return (
    <section className="legend" data-testid="legend" aria-label="legend">
      <button type="button" className="legend-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        Legend
      </button>
      {open ? (
        <ul>
          {ITEMS.map((i) => (
            <li key={i.swatch}>
              <span className={`swatch ${i.swatch}`} aria-hidden="true" />
              {i.label}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
};
