import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import { toNative } from './write';

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

// Cilium rules (docs.cilium.io, security/policy/language): an entry's section decides Allow or Deny, a peer
// names one of endpoints, an entity from Cilium's fixed list, a CIDR set, FQDNs or nodes; toPorts ports are
// TCP/UDP/SCTP/ANY 0–65535 (the reader keeps no port for 0, every port), endPort ≥ port, or a port name.
const cnp = (id: string, change: (r: Record<string, unknown>) => void = () => {}) => {
  const r: Record<string, unknown> = {
    id,
    type: 'cilium-network-policy',
    level: 'policy',
    kind: 'CiliumNetworkPolicy',
    name: id,
    namespace: 'shop',
    endpointSelector: { matchLabels: { app: 'db', 'io.kubernetes.pod.namespace': 'shop' } },
    ingress: [
      {
        section: 'ingress',
        index: 0,
        peers: [{ endpoints: { matchLabels: { app: 'api' } } }, { entity: 'cluster' }],
        ports: [{ protocol: 'TCP', port: 5432 }],
      },
    ],
    egress: [],
    ingressDeny: [
      {
        section: 'ingressDeny',
        index: 0,
        peers: [{ cidr: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { entity: 'world' }],
        ports: [
          { protocol: 'ANY', port: 8000, endPort: 8010 },
          { protocol: 'TCP', namedPort: 'http' },
        ],
      },
    ],
    egressDeny: [],
    defaultDeny: { ingress: true, egress: false },
  };
  change(r);
  return r;
};
const entry = (r: Record<string, unknown>, section: string) =>
  (r[section] as Record<string, unknown>[])[0] as Record<string, unknown>;

describe('native Cilium rules: a value the Cilium reader would not write is an error, the rule is dropped', () => {
  it('ports, CIDRs and entities: port 70000 or "eighty", endPort below port, protocol ICMP, CIDR /33, entity "everything"', () => {
    const { ids, where } = load([
      cnp('port', (r) => {
        entry(r, 'ingress').ports = [{ protocol: 'TCP', port: 70000 }];
      }),
      cnp('eighty', (r) => {
        entry(r, 'ingressDeny').ports = [{ protocol: 'TCP', port: 'eighty' }];
      }),
      cnp('range', (r) => {
        entry(r, 'ingressDeny').ports = [{ protocol: 'UDP', port: 8010, endPort: 8000 }];
      }),
      cnp('proto', (r) => {
        entry(r, 'ingressDeny').ports = [{ protocol: 'ICMP', port: 8 }];
      }),
      cnp('cidr', (r) => {
        entry(r, 'ingressDeny').peers = [{ cidr: { cidr: '10.0.0.0/33' } }];
      }),
      cnp('except', (r) => {
        entry(r, 'ingressDeny').peers = [{ cidr: { cidr: '10.0.0.0/8', except: ['10.1.0.0/99'] } }];
      }),
      cnp('entity', (r) => {
        entry(r, 'ingressDeny').peers = [{ entity: 'everything' }];
      }),
      cnp('ok'),
    ]);
    expect(ids).toEqual(['ok']);
    expect(where.map((w) => w.replace(/^\d+:\d+ /, ''))).toEqual([
      'error rules[0] skipped: ingress.0.ports.0.port: 70000 is not a port number from 1 to 65535',
      'error rules[1] skipped: ingressDeny.0.ports.0.port: "eighty" is not a port number from 1 to 65535',
      'error rules[2] skipped: ingressDeny.0.ports.0.endPort: 8000 is not a port number ≥ port',
      'error rules[3] skipped: ingressDeny.0.ports.0.protocol: "ICMP" is not TCP, UDP, SCTP, ANY',
      'error rules[4] skipped: ingressDeny.0.peers.0.cidr.cidr: "10.0.0.0/33" is not a CIDR',
      'error rules[5] skipped: ingressDeny.0.peers.0.cidr.except.0: "10.1.0.0/99" is not a CIDR',
      `error rules[6] skipped: ingressDeny.0.peers.0.entity: "everything" is not one of all, world, world-ipv4, world-ipv6, cluster, host, remote-node, kube-apiserver, ingress, health, init, unmanaged, none`,
    ]);
    // Located at the value itself (line and column of `70000` in the file as written above).
    expect(where[0]).toMatch(/^\d+:\d+ /);
    const text = JSON.stringify(
      {
        segscope: 1,
        services: [],
        segments: [],
        calls: [],
        rules: [
          cnp('port', (r) => {
            entry(r, 'ingress').ports = [{ protocol: 'TCP', port: 70000 }];
          }),
        ],
      },
      null,
      2,
    );
    const line = text.split('\n').findIndex((l) => l.includes('70000')) + 1;
    expect(where[0]?.startsWith(`${line}:`)).toBe(true);
  });

  it('shapes the engine trusts: a deny entry filed as an allow, a peer naming nothing or two things, no defaultDeny, a bad selector', () => {
    const { ids, where } = load([
      cnp('section', (r) => {
        entry(r, 'ingressDeny').section = 'ingress';
      }),
      cnp('empty-peer', (r) => {
        entry(r, 'ingressDeny').peers = [{}];
      }),
      cnp('two-fields', (r) => {
        entry(r, 'ingressDeny').peers = [{ entity: 'world', cidr: { cidr: '0.0.0.0/0' } }];
      }),
      cnp('peers-not-list', (r) => {
        entry(r, 'ingressDeny').peers = { entity: 'world' };
      }),
      cnp('no-default-deny', (r) => {
        delete r.defaultDeny;
      }),
      cnp('no-deny-list', (r) => {
        r.egressDeny = null;
      }),
      cnp('selector', (r) => {
        r.endpointSelector = { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['db'] }] };
      }),
      cnp('fqdn', (r) => {
        entry(r, 'ingressDeny').peers = [{ fqdn: { matchName: 5 } }];
      }),
      cnp('ok'),
    ]);
    expect(ids).toEqual(['ok']);
    expect(where.map((w) => w.replace(/^\d+:\d+ /, ''))).toEqual([
      'error rules[0] skipped: ingressDeny.0.section: "ingress" is not "ingressDeny"',
      'error rules[1] skipped: ingressDeny.0.peers.0: a peer names exactly one of endpoints, entity, cidr, fqdn, nodes',
      'error rules[2] skipped: ingressDeny.0.peers.0: a peer names exactly one of endpoints, entity, cidr, fqdn, nodes',
      'error rules[3] skipped: ingressDeny.0.peers: is not a list',
      'error rules[4] skipped: defaultDeny: is not { ingress: true|false, egress: true|false }',
      'error rules[5] skipped: egressDeny: is not a list',
      'error rules[6] skipped: endpointSelector.matchExpressions.0: is not a key, In/NotIn/Exists/DoesNotExist and values',
      'error rules[7] skipped: ingressDeny.0.peers.0.fqdn: has no matchName or matchPattern string',
    ]);
  });

  it('every Cilium rule the reader makes of the sample passes the check when saved and loaded again', () => {
    const sample = readFileSync('public/samples/k8s/cilium-policies.yaml', 'utf8');
    const first = importFiles([{ name: 'cilium-policies.yaml', text: sample }]);
    const cilium = first.workspace.rules.filter((r) => r.type === 'cilium-network-policy');
    expect(cilium.length).toBeGreaterThan(3);
    const again = importFiles([{ name: 'ws.segscope.json', text: toNative(first.workspace) }]);
    expect(again.report.files[0]?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(again.workspace.rules.filter((r) => r.type === 'cilium-network-policy')).toEqual(cilium);
  });

  it('Istio rules: every rule the reader makes of the sample passes the check; a bad action, port, CIDR or mode drops the rule', () => {
    const sample = readFileSync('public/samples/k8s/istio-bookinfo.yaml', 'utf8');
    const first = importFiles([{ name: 'istio-bookinfo.yaml', text: sample }]);
    const istio = first.workspace.rules.filter((r) => r.type.startsWith('istio-'));
    expect(istio.length).toBe(7);
    const again = importFiles([{ name: 'ws.segscope.json', text: toNative(first.workspace) }]);
    expect(again.report.files[0]?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(again.workspace.rules.filter((r) => r.type.startsWith('istio-'))).toEqual(istio);
    const authz = (id: string, extra: Record<string, unknown>) => ({
      id,
      type: 'istio-authorization',
      level: 'role',
      name: id,
      namespace: 'shop',
      action: 'ALLOW',
      rules: [{ index: 0, from: [{ ipBlocks: ['10.0.0.0/8'] }], to: [{ ports: [8080] }] }],
      ...extra,
    });
    const { ids, where } = load([
      authz('action', { action: 'PERMIT' }),
      authz('port', { rules: [{ index: 0, to: [{ ports: ['8080'] }] }] }),
      authz('cidr', { rules: [{ index: 0, from: [{ ipBlocks: ['10.0.0.0/33'] }] }] }),
      { id: 'mode', type: 'istio-peer-authentication', level: 'role', name: 'm', namespace: 'shop', mode: 'OFF' },
      authz('ok', {}),
    ]);
    expect(ids).toEqual(['ok']);
    expect(where.map((w) => w.replace(/^\d+:\d+ /, ''))).toEqual([
      'error rules[0] skipped: action: "PERMIT" is not ALLOW, DENY, CUSTOM or AUDIT',
      'error rules[1] skipped: rules.0.to.0.ports.0: "8080" is not a port number',
      'error rules[2] skipped: rules.0.from.0.ipBlocks.0: "10.0.0.0/33" is not an address or CIDR',
      'error rules[3] skipped: mode: "OFF" is not STRICT, PERMISSIVE or DISABLE',
    ]);
  });
});
