import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';

// The native format carries rules in the levels' own terms; the values that decide what a rule lets through
// are held to what the format readers accept (aws/permission.ts, k8s/network-policy.ts): a port that is
// not a number, a CIDR that is not one, is a located error and the rule is dropped — never read as wider.

const load = (rules: unknown[]) => {
  const text = JSON.stringify({ segscope: 1, services: [], segments: [], calls: [], rules }, null, 2);
  const r = importFiles([{ name: 'ws.segscope.json', text }]);
  return {
    ids: r.workspace.rules.map((x) => x.id),
    where: (r.report.files[0]?.diagnostics ?? []).map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`),
  };
};

const sg = (id: string, extra: Record<string, unknown>) => ({
  id,
  type: 'sg-permission',
  level: 'group',
  group: 'group:sg-1',
  direction: 'ingress',
  protocol: 'tcp',
  fromPort: 443,
  toPort: 443,
  peer: { kind: 'cidr', cidr: '10.0.0.0/8' },
  ...extra,
});

const netpol = (id: string, ports: unknown[], peers: unknown[] = []) => ({
  id,
  type: 'k8s-network-policy',
  level: 'policy',
  name: id,
  namespace: 'shop',
  podSelector: {},
  policyTypes: ['Ingress'],
  ingress: [{ ports, peers }],
});

describe('native rules: unreadable values are errors, the rule is dropped', () => {
  it('security group permissions: FromPort "eighty", ToPort 70000, CIDR /33', () => {
    const { ids, where } = load([
      sg('bad-from', { fromPort: 'eighty' }),
      sg('bad-to', { toPort: 70000 }),
      sg('bad-cidr', { peer: { kind: 'cidr', cidr: '10.0.0.0/33' } }),
      sg('ok', {}),
    ]);
    expect(ids).toEqual(['ok']);
    expect(where).toEqual([
      '14:7 error rules[0] skipped: fromPort: "eighty" is not a port number',
      '29:7 error rules[1] skipped: toPort: 70000 is not a port number',
      '46:9 error rules[2] skipped: peer.cidr: "10.0.0.0/33" is not a CIDR',
    ]);
  });

  it('NetworkPolicy ports and ipBlocks: port 70000, endPort below port, protocol TPC, cidr /33', () => {
    const { ids, where } = load([
      netpol('p1', [{ protocol: 'TCP', port: 70000 }]),
      netpol('p2', [{ protocol: 'TCP', port: 8080, endPort: 80 }]),
      netpol('p3', [{ protocol: 'TPC', port: 80 }]),
      netpol('p4', [], [{ ipBlock: { cidr: '10.0.0.0/33' } }]),
      netpol('ok', [
        { protocol: 'TCP', port: 'http' },
        { protocol: 'UDP', port: 53, endPort: 54 },
      ]),
    ]);
    expect(ids).toEqual(['ok']);
    expect(where.map((w) => w.replace(/^\d+:\d+ /, ''))).toEqual([
      'error rules[0] skipped: ingress.0.ports.0.port: 70000 is not a port number or name',
      'error rules[1] skipped: ingress.0.ports.0.endPort: 80 is not a port number ≥ port',
      'error rules[2] skipped: ingress.0.ports.0.protocol: "TPC" is not TCP, UDP or SCTP',
      'error rules[3] skipped: ingress.0.peers.0.ipBlock.cidr: "10.0.0.0/33" is not a CIDR',
    ]);
  });
});
