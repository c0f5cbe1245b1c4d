import { describe, expect, it } from 'vitest';
import type { Connection } from './connlist';
import { networkSections, type WorkloadNetworks } from './connlist-networks';

// Which section of the reference layout a line goes to (np-guard netpol-analyzer conns_formatter_txt.go groups
// the connections by the network that carries them: pod network, primary UDN/CUDN, secondary NAD).
const NETWORKS: Record<string, WorkloadNetworks> = {
  'a/x': { primary: { kind: 'UDN', name: 'a' }, secondary: ['shared/nad'] },
  'b/y': { primary: { kind: 'CUDN', name: 'warm' }, secondary: ['shared/nad'] },
  'c/z': { primary: { kind: 'CUDN', name: 'warm' }, secondary: [] },
  'd/w': { secondary: [] },
  'e/v': { secondary: [] },
};
const line = (from: string, to: string): Connection => ({ from, to, ports: 'all' });

describe('networkSections', () => {
  it('a pair on one primary network, or a range and a workload on it, goes to that network; the rest to the pod network', () => {
    const sections = networkSections(
      [
        line('0.0.0.0-255.255.255.255', 'a/x'),
        line('b/y', 'c/z'),
        line('d/w', 'e/v'),
        line('{ingress-nginx}', 'd/w'),
        line('c/z', '0.0.0.0-255.255.255.255'),
      ],
      NETWORKS,
    );
    expect(sections.map((s) => [s.kind ?? 'pod', s.name ?? '', s.connections.map((c) => `${c.from}>${c.to}`)])).toEqual(
      [
        ['pod', '', ['d/w>e/v', '{ingress-nginx}>d/w']],
        ['UDN', 'a', ['0.0.0.0-255.255.255.255>a/x']],
        ['CUDN', 'warm', ['b/y>c/z', 'c/z>0.0.0.0-255.255.255.255']],
      ],
    );
  });

  it('two workloads on different primary networks meet on the secondary network they share, in its own section after the primaries', () => {
    const sections = networkSections([line('a/x', 'b/y'), line('a/x', 'c/z')], NETWORKS);
    expect(sections.map((s) => [s.kind ?? 'pod', s.name ?? '', s.connections.length])).toEqual([
      ['pod', '', 1],
      ['NAD', 'shared/nad', 1],
    ]);
  });
});
