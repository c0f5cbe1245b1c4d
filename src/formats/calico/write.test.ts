import { describe, expect, it } from 'vitest';
import type { CalicoPolicyRule, Workspace } from '../../model/types';
import { load, normalise, reimport, sampleFiles } from '../testing';
import { exportCalico } from './write';

const ws = (rules: Workspace['rules']): Workspace => ({ segscope: 1, services: [], segments: [], calls: [], rules });

describe('exportCalico', () => {
  it('tiers.yaml: the same rules and label sets come back', () => {
    const before = load(sampleFiles('public/samples/calico/tiers.yaml'));
    const out = exportCalico(before);
    expect(out.files.map((f) => f.name)).toEqual(['calico.yaml']);
    expect(out.notes).toEqual([]);
    const back = reimport(out);
    expect(back.diagnostics).toEqual([]);
    expect(normalise(back.workspace)).toEqual(normalise(before));
    const sets = (w: Workspace) => w.segments.map(({ source: _s, ...rest }) => rest);
    expect(sets(back.workspace)).toEqual(sets(before));
  });

  it('writes a policy as people write it: default tier and empty selector implicit, numeric protocols as numbers', () => {
    const policy: CalicoPolicyRule = {
      id: 'calico:data/netpol/db',
      type: 'calico-policy',
      level: 'policy',
      name: 'db',
      namespace: 'data',
      tier: 'default',
      order: 10,
      selector: '',
      types: ['Ingress'],
      ingress: [
        {
          action: 'Allow',
          protocol: '6',
          source: { selector: "app == 'api'", serviceAccounts: { names: ['api'] }, notNets: ['10.9.0.0/16'] },
          destination: { ports: [5432, '8000:8080', 'metrics'] },
        },
        { action: 'Deny' },
      ],
    };
    expect(exportCalico(ws([policy])).files[0]?.text).toBe(
      [
        'apiVersion: projectcalico.org/v3',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: db',
        '  namespace: data',
        'spec:',
        '  order: 10',
        '  types:',
        '    - Ingress',
        '  ingress:',
        '    - action: Allow',
        '      protocol: 6',
        '      source:',
        '        notNets:',
        '          - 10.9.0.0/16',
        "        selector: app == 'api'",
        '        serviceAccounts:',
        '          names:',
        '            - api',
        '      destination:',
        '        ports:',
        '          - 5432',
        '          - 8000:8080',
        '          - metrics',
        '    - action: Deny',
        '',
      ].join('\n'),
    );
  });

  it('writes tiers, then network sets, then policies; a namespaced set is a NetworkSet', () => {
    const text =
      exportCalico(
        ws([
          {
            id: 'p',
            type: 'calico-policy',
            level: 'policy',
            name: 'x.p',
            tier: 'x',
            selector: 'all()',
            types: ['Egress'],
          },
          {
            id: 's',
            type: 'calico-network-set',
            level: 'policy',
            name: 'n',
            namespace: 'ns',
            labels: {},
            nets: ['10.0.0.0/8'],
          },
          { id: 't', type: 'calico-tier', level: 'policy', name: 'x', order: 5, defaultAction: 'Pass' },
        ]),
      ).files[0]?.text ?? '';
    expect(text.split('---\n').map((d) => d.split('\n')[1])).toEqual([
      'kind: Tier',
      'kind: NetworkSet',
      'kind: GlobalNetworkPolicy',
    ]);
    expect(text).toContain('spec:\n  order: 5\n  defaultAction: Pass\n');
  });

  it('says what it cannot write: a namespaceSelector on a namespaced policy, and no Calico data at all', () => {
    const bad: CalicoPolicyRule = {
      id: 'calico:a/netpol/p',
      type: 'calico-policy',
      level: 'policy',
      name: 'p',
      namespace: 'a',
      tier: 'default',
      selector: 'all()',
      namespaceSelector: "team == 'x'",
      types: ['Ingress'],
    };
    expect(exportCalico(ws([bad])).notes).toEqual([
      'namespaceSelector left out (only valid in a GlobalNetworkPolicy): calico:a/netpol/p',
    ]);
    expect(exportCalico(ws([]))).toEqual({
      files: [],
      notes: ['the workspace has no Calico tier, policy or network set'],
    });
  });
});
