import { describe, expect, it } from 'vitest';
import { call, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const world = (callers: number) =>
  ws({
    services: [svc('s:db'), ...Array.from({ length: 6 }, (_, i) => svc(`s:c${i}`))],
    calls: Array.from({ length: callers }, (_, i) => call(`s:c${i}`, 's:db')),
  });

describe('hub', () => {
  it('marks a service most others call', () => {
    expect(findingsOf(world(4), 'hub').map((f) => [f.key, f.severity, f.message])).toEqual([
      [
        'hub:s:db',
        'info',
        'db is a hub: 4 services call it (67 % of all), betweenness 0.000; it costs 0 ingress rules on its segments.',
      ],
    ]);
  });

  it('needs three callers', () => {
    expect(findingsOf(world(2), 'hub')).toEqual([]);
  });
});
