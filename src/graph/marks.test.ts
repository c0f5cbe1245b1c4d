import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { highlightService, markSearch } from './marks';

const band = () =>
  cytoscape({
    headless: true,
    elements: [
      { data: { id: 'seg:a', kind: 'segment', segmentId: 'a', label: 'prod-core' } },
      { data: { id: 'svc:auth', kind: 'service', serviceId: 'auth', label: 'auth', parent: 'seg:a' } },
      { data: { id: 'svc:cart', kind: 'service', serviceId: 'cart', label: 'Cart API', parent: 'seg:a' } },
      { data: { id: 'ctx:x', kind: 'context', label: 'auth context' } },
      { data: { id: 'call', source: 'svc:cart', target: 'svc:auth' } },
    ],
  });

const marked = (cy: cytoscape.Core, cls: string) =>
  cy
    .elements(`.${cls}`)
    .map((e) => e.id())
    .sort();

describe('marks on the drawn band', () => {
  it('search marks services and segments by label or id, case-insensitive, never contexts, and clears the last search', () => {
    const cy = band();
    expect(markSearch(cy, ' AUTH ').map((n) => n.id())).toEqual(['svc:auth']);
    expect(markSearch(cy, 'cart api').map((n) => n.id())).toEqual(['svc:cart']);
    expect(marked(cy, 'match')).toEqual(['svc:cart']);
    expect(markSearch(cy, 'a').length).toBe(3); // prod-core (segment id "a"), auth, Cart API
    expect(markSearch(cy, '   ').length).toBe(0);
    expect(marked(cy, 'match')).toEqual([]);
  });

  it('a selected service is marked with its calls; another selection or none clears it', () => {
    const cy = band();
    highlightService(cy, 'auth');
    expect(marked(cy, 'highlight')).toEqual(['call', 'svc:auth']);
    highlightService(cy, undefined);
    expect(marked(cy, 'highlight')).toEqual([]);
  });
});
