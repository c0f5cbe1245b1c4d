import { describe, expect, it } from 'vitest';
import { importFiles } from '../import/index';
import { type ConnlistDiff, diffConnlists, formatDiff } from './conndiff';
import { computeConnlist } from './connlist';

const ANY = '0.0.0.0-255.255.255.255';

const connlistOf = (...texts: string[]) => {
  const { workspace, report } = importFiles(texts.map((text, i) => ({ name: `m${i}.yaml`, text })));
  expect(report.files.flatMap((f) => f.diagnostics).filter((d) => d.severity === 'error')).toEqual([]);
  return computeConnlist(workspace);
};

const deployment = (name: string, ports = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: main
        image: example/${name}${ports ? `\n        ports: ${ports}` : ''}
`;
const apiIn = (ports: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: ${ports}
`;
const webOut = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: api}}}]
`;
const join = (...docs: string[]) => docs.join('\n---\n');
const api = deployment('api', '[{containerPort: 8080, name: http}, {containerPort: 9090, name: metrics}]');
const baseline = join(deployment('web'), api, apiIn('[{port: http}, {port: metrics}]'));

describe('diffConnlists on imported manifests', () => {
  it('a policy made stricter: fewer ports on one pair, egress now restricted', () => {
    const before = connlistOf(baseline);
    const after = connlistOf(join(deployment('web'), api, apiIn('[{port: http}]'), webOut));
    expect(diffConnlists(before, after)).toEqual<ConnlistDiff>({
      added: [],
      removed: [{ from: 'shop/web', to: ANY, ports: 'all', peers: 'both' }],
      changed: [
        { from: 'shop/web', to: 'shop/api', before: ['TCP 8080', 'TCP 9090'], after: ['TCP 8080'], peers: 'both' },
      ],
      // ANY => web, api => ANY, api => web
      unchanged: 3,
    });
  });

  it('a workload added: its pairs are added with a new peer', () => {
    const before = connlistOf(baseline);
    const after = connlistOf(join(baseline, deployment('worker')));
    expect(diffConnlists(before, after)).toEqual<ConnlistDiff>({
      added: [
        { from: ANY, to: 'shop/worker', ports: 'all', peers: 'new' },
        { from: 'shop/api', to: 'shop/worker', ports: 'all', peers: 'new' },
        { from: 'shop/web', to: 'shop/worker', ports: 'all', peers: 'new' },
        { from: 'shop/worker', to: ANY, ports: 'all', peers: 'new' },
        // api accepts only web, so worker → api is not there
        { from: 'shop/worker', to: 'shop/web', ports: 'all', peers: 'new' },
      ],
      removed: [],
      changed: [],
      unchanged: 5,
    });
    // And back: the same pairs removed, with a removed peer.
    const back = diffConnlists(after, before);
    expect(back.removed.map((e) => [e.from, e.to, e.peers])).toEqual([
      [ANY, 'shop/worker', 'removed'],
      ['shop/api', 'shop/worker', 'removed'],
      ['shop/web', 'shop/worker', 'removed'],
      ['shop/worker', ANY, 'removed'],
      ['shop/worker', 'shop/web', 'removed'],
    ]);
    expect(back.added).toEqual([]);
  });

  it('identical inputs: no difference', () => {
    const d = diffConnlists(connlistOf(baseline), connlistOf(baseline));
    expect(d).toEqual({ added: [], removed: [], changed: [], unchanged: 5 });
    expect(formatDiff(d)).toBe('no difference (5 unchanged)');
  });
});

describe('diffConnlists: address ranges on common pieces', () => {
  it('an except carved out of an ipBlock removes exactly that range', () => {
    const d = diffConnlists(
      { connections: [{ from: '10.0.0.0-10.255.255.255', to: 'edge/gw', ports: ['TCP 443'] }], workloads: ['edge/gw'] },
      {
        connections: [
          { from: '10.0.0.0-10.0.255.255', to: 'edge/gw', ports: ['TCP 443'] },
          { from: '10.2.0.0-10.255.255.255', to: 'edge/gw', ports: ['TCP 443'] },
        ],
        workloads: ['edge/gw'],
      },
    );
    expect(d).toEqual<ConnlistDiff>({
      added: [],
      removed: [{ from: '10.1.0.0-10.1.255.255', to: 'edge/gw', ports: ['TCP 443'], peers: 'both' }],
      changed: [],
      unchanged: 2,
    });
  });

  it('adjacent pieces with the same outcome are joined again', () => {
    const d = diffConnlists(
      { connections: [{ from: 'w', to: ANY, ports: 'all' }] },
      {
        connections: [
          { from: 'w', to: '0.0.0.0-9.255.255.255', ports: ['UDP 53'] },
          { from: 'w', to: '10.0.0.0-10.255.255.255', ports: ['UDP 53'] },
          { from: 'w', to: '11.0.0.0-255.255.255.255', ports: 'all' },
        ],
      },
    );
    expect(d).toEqual<ConnlistDiff>({
      added: [],
      removed: [],
      changed: [{ from: 'w', to: '0.0.0.0-10.255.255.255', before: 'all', after: ['UDP 53'], peers: 'both' }],
      unchanged: 1,
    });
  });

  it('ranges a side did not have at all are new peers there', () => {
    const d = diffConnlists(
      { connections: [{ from: 'shop/a', to: 'shop/b', ports: 'all' }], workloads: ['shop/a', 'shop/b'] },
      {
        connections: [
          { from: ANY, to: 'shop/a', ports: ['TCP 80'] },
          { from: 'shop/a', to: 'shop/b', ports: 'all' },
        ],
        workloads: ['shop/a', 'shop/b'],
        ranges: { sources: [ANY], destinations: [ANY] },
      },
    );
    expect(d.added).toEqual([{ from: ANY, to: 'shop/a', ports: ['TCP 80'], peers: 'new' }]);
    expect(d.unchanged).toBe(1);
  });
});

describe('formatDiff', () => {
  it('one line per difference and a count line', () => {
    expect(
      formatDiff({
        added: [{ from: 'a/x', to: 'a/y', ports: ['TCP 80'], peers: 'new' }],
        removed: [{ from: 'a/y', to: ANY, ports: 'all', peers: 'both' }],
        changed: [{ from: 'a/x', to: 'a/z', before: 'all', after: ['TCP 80', 'UDP 53'], peers: 'both' }],
        unchanged: 4,
      }).split('\n'),
    ).toEqual([
      'added: a/x => a/y : TCP 80 (new peer)',
      `removed: a/y => ${ANY} : all`,
      'changed: a/x => a/z : all -> TCP 80,UDP 53',
      '1 added, 1 removed, 1 changed, 4 unchanged',
    ]);
  });
});
