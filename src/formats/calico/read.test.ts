import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import type { CalicoPolicyRule } from '../../model/types';
import { calicoEndpointLabels } from './conventions';
import { calicoReader } from './read';

const read = (text: string, name = 'c.yaml') => calicoReader.read({ name, text });
const policies = (r: ReturnType<typeof read>) =>
  r.fragment.rules.filter((x): x is CalicoPolicyRule => x.type === 'calico-policy');

describe('calicoReader', () => {
  it('reads policies with tier, order, selector, types and actions (Allow, Deny, Pass, Log) in order', () => {
    const r = read(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.gate
spec:
  tier: security
  order: 10.5
  selector: has(app) && env != 'dev'
  namespaceSelector: team == 'shop'
  types: [Ingress, Egress]
  ingress:
    - action: Log
    - action: Deny
      protocol: TCP
      source:
        nets: [198.51.100.0/24]
        notSelector: trusted == 'true'
      destination:
        ports: [22, '6000:6010', http]
    - action: Pass
      source:
        serviceAccounts: { names: [api], selector: "role == 'frontend'" }
  egress:
    - action: Allow
      protocol: 17
      destination:
        namespaceSelector: global()
        notNets: [10.0.0.0/8]
        notPorts: [53]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: db
spec:
  selector: app == 'db'
  ingress:
    - action: Allow
`);
    expect(r.diagnostics).toEqual([]);
    expect(policies(r)).toEqual([
      {
        id: 'calico:global/gnp/security.gate',
        type: 'calico-policy',
        level: 'policy',
        name: 'security.gate',
        tier: 'security',
        order: 10.5,
        selector: "has(app) && env != 'dev'",
        namespaceSelector: "team == 'shop'",
        types: ['Ingress', 'Egress'],
        ingress: [
          { action: 'Log' },
          {
            action: 'Deny',
            protocol: 'TCP',
            source: { nets: ['198.51.100.0/24'], notSelector: "trusted == 'true'" },
            destination: { ports: [22, '6000:6010', 'http'] },
          },
          { action: 'Pass', source: { serviceAccounts: { names: ['api'], selector: "role == 'frontend'" } } },
        ],
        egress: [
          {
            action: 'Allow',
            protocol: '17',
            destination: { notNets: ['10.0.0.0/8'], namespaceSelector: 'global()', notPorts: [53] },
          },
        ],
        source: { file: 'c.yaml', line: 1, column: 1 },
      },
      {
        // Namespace `default` and tier `default` when not given; types from the rules present.
        id: 'calico:default/netpol/db',
        type: 'calico-policy',
        level: 'policy',
        name: 'db',
        namespace: 'default',
        tier: 'default',
        selector: "app == 'db'",
        types: ['Ingress'],
        ingress: [{ action: 'Allow' }],
        source: { file: 'c.yaml', line: 31, column: 1 },
      },
    ]);
  });

  it.each([
    ['no rules', '', ['Ingress']],
    ['ingress rules only', '  ingress: [{ action: Allow }]', ['Ingress']],
    ['egress rules only', '  egress: [{ action: Allow }]', ['Egress']],
    ['both', '  ingress: [{ action: Allow }]\n  egress: [{ action: Deny }]', ['Ingress', 'Egress']],
    ['explicit types win', '  types: [Egress]\n  ingress: [{ action: Allow }]', ['Egress']],
  ])('types default per Calico: %s', (_name, rules, want) => {
    const r = read(`apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: p, namespace: shop }
spec:
  selector: all()
${rules}
`);
    expect(policies(r)[0]?.types).toEqual(want);
  });

  it.each([
    ['a plain scalar', "  selector: app = 'db'", 5, 17],
    ['a double-quoted scalar', `  selector: "app == 'db' &&"`, 5, 28],
    ['a single-quoted scalar', "  selector: 'has(app'", 5, 21],
  ])(
    'reports a bad selector in %s at its line and column, and skips the policy',
    (_name, line, wantLine, wantColumn) => {
      const r = read(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: bad }
spec:
${line}
  ingress: [{ action: Allow }]
`);
      expect(r.fragment.rules).toEqual([]);
      expect(r.diagnostics.map((d) => [d.line, d.column, d.severity, d.path])).toEqual([
        [wantLine, wantColumn, 'error', '/spec/selector'],
        [1, 1, 'error', '/'],
      ]);
      expect(r.diagnostics[0]?.message).toMatch(
        /^GlobalNetworkPolicy bad: bad selector ".*": .* \(at character \d+\); the policy is skipped$/,
      );
    },
  );

  it('points into a rule selector, in JSON too', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'NetworkPolicy',
        metadata: { name: 'p', namespace: 'shop' },
        spec: { selector: 'all()', ingress: [{ action: 'Allow', source: { selector: "role in {'a' 'b'}" } }] },
      },
      null,
      2,
    );
    const r = read(text, 'p.json');
    expect(r.diagnostics[0]).toEqual({
      file: 'p.json',
      line: 14,
      column: 37,
      severity: 'error',
      message:
        "NetworkPolicy shop/p: bad selector \"role in {'a' 'b'}\": expected '}' but found string 'b' (at character 14); the policy is skipped",
      path: '/spec/ingress/0/source/selector',
    });
    expect(text.split('\n')[13]?.slice(36, 39)).toBe("'b'");
  });

  it('skips a policy with an unknown action, and keeps the others', () => {
    const r = read(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: a }
spec:
  ingress: [{ action: Accept }]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: b }
spec:
  ingress: [{ action: Deny }]
`);
    expect(policies(r).map((p) => p.name)).toEqual(['b']);
    expect(r.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [5, 23, 'GlobalNetworkPolicy a: ingress rule 1 has action "Accept"; expected Allow, Deny, Pass or Log'],
      [1, 1, 'GlobalNetworkPolicy a skipped because of the errors above'],
    ]);
  });

  it('keeps the host-endpoint flags preDNAT, doNotTrack and applyOnForward; rejects what the API server rejects', () => {
    // https://docs.tigera.io/calico/latest/reference/resources/globalnetworkpolicy — preDNAT and doNotTrack need
    // applyOnForward, exclude each other, and a preDNAT policy has ingress rules only.
    const r = read(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: nodeports }
spec:
  preDNAT: true
  applyOnForward: true
  ingress: [{ action: Deny }]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: memcached }
spec:
  doNotTrack: true
  ingress: [{ action: Allow }]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: local, namespace: shop }
spec:
  preDNAT: true
  applyOnForward: true
`);
    expect(policies(r).map((p) => [p.name, p.preDNAT, p.doNotTrack, p.applyOnForward])).toEqual([
      ['nodeports', true, undefined, true],
    ]);
    expect(r.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [13, 15, 'GlobalNetworkPolicy memcached: applyOnForward must be true when preDNAT or doNotTrack is'],
      [9, 1, 'GlobalNetworkPolicy memcached skipped because of the errors above'],
      [20, 12, 'NetworkPolicy shop/local: preDNAT is only valid in a GlobalNetworkPolicy'],
      [21, 19, 'NetworkPolicy shop/local: applyOnForward is only valid in a GlobalNetworkPolicy'],
      [16, 1, 'NetworkPolicy shop/local skipped because of the errors above'],
    ]);
  });

  it('reads tiers (with defaultAction) and network sets; warns when a name prefix disagrees with spec.tier', () => {
    const r = read(`apiVersion: projectcalico.org/v3
kind: Tier
metadata: { name: security }
spec: { order: 100, defaultAction: Pass }
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: { name: feed, labels: { threat: "yes" } }
spec: { nets: [198.51.100.0/24, 2001:db8::/32, 192.0.2.1] }
---
apiVersion: crd.projectcalico.org/v1
kind: NetworkSet
metadata: { name: partners, namespace: shop, labels: { partner: acme } }
spec: { nets: [203.0.113.0/24] }
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: security.misplaced }
spec:
  selector: all()
`);
    expect(r.fragment.rules.map((x) => ({ ...x, source: x.source?.line }))).toEqual([
      {
        id: 'calico:global/tier/security',
        type: 'calico-tier',
        level: 'policy',
        name: 'security',
        order: 100,
        defaultAction: 'Pass',
        source: 1,
      },
      {
        id: 'calico:global/globalnetset/feed',
        type: 'calico-network-set',
        level: 'policy',
        name: 'feed',
        labels: { threat: 'yes' },
        nets: ['198.51.100.0/24', '2001:db8::/32', '192.0.2.1'],
        source: 6,
      },
      {
        id: 'calico:shop/netset/partners',
        type: 'calico-network-set',
        level: 'policy',
        name: 'partners',
        namespace: 'shop',
        labels: { partner: 'acme' },
        nets: ['203.0.113.0/24'],
        source: 11,
      },
      {
        id: 'calico:global/gnp/security.misplaced',
        type: 'calico-policy',
        level: 'policy',
        name: 'security.misplaced',
        tier: 'default',
        selector: 'all()',
        types: ['Ingress'],
        source: 16,
      },
    ]);
    expect(r.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [
        16,
        'warn',
        'policy "security.misplaced" is named after tier "security" but is in tier "default" (spec.tier decides)',
      ],
    ]);
  });

  it('reports unknown kinds (warn), non-policy Calico kinds and staged policies (info)', () => {
    const r = read(`apiVersion: projectcalico.org/v3
kind: Gizmo
metadata: { name: g }
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: pool }
---
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: { name: try }
`);
    expect(r.diagnostics.map((d) => [d.line, d.column, d.severity, d.message])).toEqual([
      [2, 7, 'warn', 'unknown Calico kind "Gizmo"; skipped'],
      [5, 1, 'info', 'Calico IPPool pool is not a policy object; ignored'],
      [9, 1, 'info', 'Calico StagedGlobalNetworkPolicy try: staged policies are not enforced; ignored'],
    ]);
  });

  it('loads the valid documents of a file with a broken one', () => {
    const r = read(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: a }
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: [b
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: c }
`);
    expect(policies(r).map((p) => p.name)).toEqual(['a', 'c']);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.severity === 'error' && d.line >= 7 && d.line <= 8)).toBe(true);
  });

  it('detects files whose objects are all Calico (both API groups)', () => {
    const f = { name: 'x', text: '' };
    expect(calicoReader.detect(f, { apiVersion: 'projectcalico.org/v3', kind: 'Tier' })).toBe(true);
    expect(calicoReader.detect(f, [{ apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy' }])).toBe(
      true,
    );
    expect(
      calicoReader.detect(f, [
        { apiVersion: 'projectcalico.org/v3', kind: 'Tier' },
        { apiVersion: 'v1', kind: 'Namespace' },
      ]),
    ).toBe(false);
    expect(calicoReader.detect(f, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' })).toBe(false);
  });

  it('gives endpoints the labels Calico selectors see', () => {
    expect(calicoEndpointLabels({ app: 'db' }, 'data', 'db-sa')).toEqual({
      app: 'db',
      'projectcalico.org/namespace': 'data',
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': 'db-sa',
    });
  });
});

describe('tiers sample', () => {
  const tiers = readFileSync(new URL('../../../public/samples/calico/tiers.yaml', import.meta.url), 'utf8');
  const shop = readFileSync(new URL('../../../public/samples/k8s/shop.yaml', import.meta.url), 'utf8');

  it('imports alone with no diagnostics: 3 tiers, 1 network set, 10 policies ordered in their tiers', () => {
    const r = read(tiers, 'tiers.yaml');
    expect(r.diagnostics).toEqual([]);
    const byType = (t: string) => r.fragment.rules.filter((x) => x.type === t).length;
    expect([byType('calico-tier'), byType('calico-network-set'), byType('calico-policy')]).toEqual([3, 1, 10]);
    expect(policies(r).map((p) => `${p.tier}/${p.order}/${p.name}`)).toEqual([
      'security/10/security.quarantine',
      'security/20/security.block-threats',
      'security/30/security.pci-isolation',
      'security/1000/security.pass-rest',
      'platform/100/platform.allow-dns',
      'platform/200/platform.data-tier-ingress',
      'platform/1000/platform.pass-rest',
      'default/100/orders-db-access',
      'default/110/cart-redis-access',
      'default/120/queue-access',
    ]);
  });

  it('imports together with the shop: Calico label sets fit the shop labels', () => {
    const { workspace, report } = importFiles([
      { name: 'shop.yaml', text: shop },
      { name: 'tiers.yaml', text: tiers },
    ]);
    expect(report.files.map((f) => [f.name, f.format, f.diagnostics.length])).toEqual([
      ['shop.yaml', 'k8s', 0],
      ['tiers.yaml', 'calico', 0],
    ]);
    expect(workspace.rules.length).toBe(13 + 14);
    const payment = workspace.services.find((s) => s.id === 'k8s:shop/payment');
    expect(payment?.labels?.pci).toBe('true');
  });
});

describe('calicoReader: damaged documents', () => {
  it('a document whose apiVersion is damaged does not send the file to another reader: the rest loads (found by npm run fuzz)', () => {
    const text = [
      'apiVersion: null',
      'kind: Tier',
      'metadata: {name: broken}',
      '---',
      'apiVersion: projectcalico.org/v3',
      'kind: Tier',
      'metadata: {name: security}',
      'spec: {order: 100}',
      '',
    ].join('\n');
    const { workspace, report } = importFiles([{ name: 'tiers.yaml', text }]);
    expect(report.files[0]?.format).toBe('calico');
    expect(workspace.rules.map((r) => r.id)).toEqual(['calico:global/tier/security']);
    expect(report.files[0]?.diagnostics[0]).toMatchObject({ line: 1, severity: 'warn' });
  });
});

describe('calicoReader: never throws', () => {
  it('reads damaged copies of the tiers sample without throwing', () => {
    const text = readFileSync(new URL('../../../public/samples/calico/tiers.yaml', import.meta.url), 'utf8');
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(40), fc.string({ maxLength: 5 }), (at, cut, insert) => {
        const r = read(text.slice(0, at) + insert + text.slice(at + cut), 'tiers.yaml');
        for (const d of r.diagnostics) expect(d.line >= 1 && d.column >= 1).toBe(true);
      }),
      { numRuns: 100 },
    );
  }, 30000);

  it('reads arbitrary Calico-shaped objects without throwing', () => {
    const kinds = fc.constantFrom('NetworkPolicy', 'GlobalNetworkPolicy', 'Tier', 'NetworkSet', 'GlobalNetworkSet');
    fc.assert(
      fc.property(fc.array(fc.tuple(kinds, fc.jsonValue({ maxDepth: 4 })), { maxLength: 4 }), (objs) => {
        const text = objs
          .map(([kind, spec]) =>
            JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'x' }, spec }),
          )
          .join('\n---\n');
        read(text);
      }),
      { numRuns: 300 },
    );
  });
});
