// The legend: what shapes, badges, borders and line styles mean (opened from its corner button).

const ITEMS: { swatch: string; label: string }[] = [
  { swatch: 'sw-service', label: 'service' },
  { swatch: 'sw-datastore', label: 'datastore' },
  { swatch: 'sw-gateway', label: 'gateway' },
  { swatch: 'sw-exposed', label: '⚑ exposed to the internet' },
  { swatch: 'sw-critical', label: 'critical' },
  { swatch: 'sw-hub', label: '★ hub (many callers or references)' },
  { swatch: 'sw-quota-warn', label: '△ segment ≥ 80 % of a quota' },
  { swatch: 'sw-quota-error', label: '▲ segment over a quota' },
  { swatch: 'sw-allowed', label: 'call allowed at every level' },
  { swatch: 'sw-broken', label: 'call broken at some level (dashed)' },
  { swatch: 'sw-excess', label: 'reachable, never called (dotted)' },
  { swatch: 'sw-aggregate', label: 'calls between segments (count)' },
  { swatch: 'sw-plan-opens', label: 'a previewed plan opens reach here (dashed ring)' },
  { swatch: 'sw-plan-closes', label: 'a previewed plan closes reach here (solid ring)' },
  { swatch: 'sw-plan-changed', label: 'changed by a previewed plan (dotted border)' },
];

export const Legend = () => (
  <section className="legend" data-testid="legend" aria-label="legend">
    <h2>Legend</h2>
    <ul>
      {ITEMS.map((i) => (
        <li key={i.swatch}>
          <span className={`swatch ${i.swatch}`} aria-hidden="true" />
          {i.label}
        </li>
      ))}
    </ul>
  </section>
);
