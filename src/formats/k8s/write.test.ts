import { describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { importFiles } from '../../import/index';
import { applyCommand } from '../../model/commands';
import type { K8sNetworkPolicyRule, Service, Workspace } from '../../model/types';
import { exportCalico } from '../calico/write';
import { load, normalise, reimport, sampleFiles } from '../testing';
import { k8sReader } from './read';
import { exportK8s } from './write';

type Doc = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };
type PodTemplate = {
  metadata: unknown;
  spec: { serviceAccountName?: string; containers: { ports: unknown[] }[] };
};
const docsOf = (ws: Workspace) => {
  const out = exportK8s(ws);
  const docs = parseAllDocuments(out.files[0]?.text ?? '').map((d) => d.toJS() as Doc);
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
  /** The pod template of a Deployment. */
  const template = (name: string) => {
    const t = find('Deployment', name)?.spec?.template as PodTemplate | undefined;
    if (!t) throw new Error(`no Deployment ${name}`);
    return t;
  };
  return { out, docs, find, template };
};
const shop = () => load(sampleFiles('public/samples/k8s/shop.yaml'));
const byId = (ws: Workspace, id: string) => ws.services.find((s) => s.id === id) as Service;

describe('exportK8s round trip', () => {
  it('shop.yaml: the same services, memberships, calls and rules', () => {
    const ws = shop();
    const out = exportK8s(ws);
    const back = reimport(out);
    expect(back.diagnostics).toEqual([]);
    expect(normalise(back.workspace)).toEqual(normalise(ws));
    expect(out.notes).toEqual([
      'container images are not in the workspace; placeholder images segscope.invalid/<name> for k8s:shop/frontend, k8s:shop/cart, k8s:shop/catalog, k8s:shop/checkout, k8s:shop/payment, … (8 in all)',
    ]);
  });

  it('shop.yaml with the Calico tiers: both exports read back together give the same workspace', () => {
    const ws = load([
      ...sampleFiles('public/samples/k8s/shop.yaml'),
      ...sampleFiles('public/samples/calico/tiers.yaml'),
    ]);
    const back = importFiles([...exportK8s(ws).files, ...exportCalico(ws).files]).workspace;
    expect(normalise(back)).toEqual(normalise(ws));
  });

  it('writes the objects of the sample in order: namespaces, accounts, workloads, Services, Ingress, policies', () => {
    const { docs, find } = docsOf(shop());
    expect(docs.map((d) => `${d.kind} ${d.metadata.namespace ?? ''}/${d.metadata.name}`).slice(0, 7)).toEqual([
      'Namespace /data',
      'Namespace /shop',
      'ServiceAccount shop/frontend',
      'ServiceAccount shop/checkout',
      'ServiceAccount shop/payment',
      'Deployment shop/frontend',
      'Deployment shop/cart',
    ]);
    expect(docs.filter((d) => d.kind === 'NetworkPolicy')).toHaveLength(13);
    expect(find('Namespace', 'shop')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', labels: { team: 'shop', env: 'prod' } },
    });
    expect(find('Deployment', 'checkout')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'checkout', namespace: 'shop' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'checkout', tier: 'api' } },
        template: {
          metadata: { labels: { app: 'checkout', tier: 'api' } },
          spec: {
            serviceAccountName: 'checkout',
            containers: [
              {
                name: 'checkout',
                image: 'segscope.invalid/checkout',
                ports: [{ name: 'grpc', containerPort: 7000 }],
                env: [
                  { name: 'SEGSCOPE_CALL_PAYMENT', value: 'payment.shop:8080' },
                  { name: 'SEGSCOPE_CALL_ORDERS_DB', value: 'orders-db.data:5432' },
                  { name: 'SEGSCOPE_CALL_QUEUE', value: 'queue.data:5672' },
                ],
              },
            ],
          },
        },
      },
    });
    expect(find('StatefulSet', 'cart-redis')?.spec?.serviceName).toBe('cart-redis');
    // The sample's Ingress is `shop` (Service frontend port 80 → targetPort http, 8080): written under its own name.
    expect(find('Ingress', 'frontend')).toBeUndefined();
    expect(find('Ingress', 'shop')?.spec).toEqual({
      defaultBackend: { service: { name: 'frontend', port: { number: 8080 } } },
    });
    expect(find('Service', 'queue')?.spec).toEqual({
      selector: { app: 'queue', tier: 'data' },
      ports: [
        { name: 'amqp', port: 5672 },
        { name: 'management', port: 15672 },
        { name: 'prometheus', port: 15692 },
      ],
    });
  });

  it('writes NetworkPolicies exactly from the rules: peers, ports and policyTypes', () => {
    const { find } = docsOf(shop());
    expect(find('NetworkPolicy', 'queue-ingress')?.spec).toEqual({
      podSelector: { matchLabels: { app: 'queue' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { team: 'shop' } } }],
          ports: [{ protocol: 'TCP', port: 'amqp' }],
        },
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
          ports: [{ protocol: 'TCP', port: 15672, endPort: 15692 }],
        },
      ],
    });
    expect(find('NetworkPolicy', 'frontend-ingress')?.spec?.ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }],
        ports: [{ protocol: 'TCP', port: 'http' }],
      },
    ]);
    expect(find('NetworkPolicy', 'default-deny')?.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
  });
});

describe('exportK8s of an edited workspace', () => {
  it('moving a service to another label set changes its pod labels to match that selector', () => {
    // The move command itself gives the service the selector's labels (model/commands.ts), so the
    // exporter writes them as they are and has nothing to adjust.
    const ws = applyCommand(shop(), {
      type: 'moveService',
      service: 'k8s:shop/cart',
      level: 'policy',
      from: 'policy:k8s:ns:shop:sel:app=cart',
      to: 'policy:k8s:ns:shop:sel:app=catalog',
    });
    const { out, find, template } = docsOf(ws);
    const labels = { app: 'catalog', tier: 'api', 'segscope.io/workload': 'cart' };
    expect(template('cart').metadata).toEqual({ labels });
    expect(find('Service', 'cart')?.spec?.selector).toEqual(labels);
    expect(byId(ws, 'k8s:shop/cart').labels).toEqual({ app: 'catalog', tier: 'api' });
    expect(out.notes.slice(0, 1)).toEqual([
      'label segscope.io/workload added where a Service selector would also select another workload: k8s:shop/cart (k8s:shop/catalog); k8s:shop/catalog (k8s:shop/cart)',
    ]);
    const back = reimport(out).workspace;
    expect(byId(back, 'k8s:shop/cart').memberships.policy).toEqual([
      'policy:k8s:ns:shop:sel:app in (cart,catalog,checkout)',
      'policy:k8s:ns:shop:sel:app=catalog',
    ]);
    expect(back.calls.filter((c) => c.to === 'k8s:shop/cart').map((c) => c.from)).toEqual(['k8s:shop/frontend']);
  });

  it('leaving every label set removes the label the selectors need', () => {
    const ws = applyCommand(shop(), {
      type: 'moveService',
      service: 'k8s:shop/payment',
      level: 'policy',
      from: 'policy:k8s:ns:shop:sel:app=payment',
      to: 'policy:k8s:ns:shop',
    });
    const back = reimport(exportK8s(ws)).workspace;
    expect(byId(back, 'k8s:shop/payment').labels).toEqual({ tier: 'api', pci: 'true' });
    expect(byId(back, 'k8s:shop/payment').memberships.policy).toEqual(['policy:k8s:ns:shop']);
  });

  it('a role move changes serviceAccountName; a namespace move changes the namespace and says the id changes', () => {
    let ws = applyCommand(shop(), {
      type: 'moveService',
      service: 'k8s:shop/payment',
      level: 'role',
      from: 'role:k8s:sa:shop/payment',
      to: 'role:k8s:sa:shop/checkout',
    });
    ws = applyCommand(ws, {
      type: 'moveService',
      service: 'k8s:data/queue',
      level: 'network',
      from: 'network:k8s:ns:data',
      to: 'network:k8s:ns:shop',
    });
    const { out, find, template } = docsOf(ws);
    expect(template('payment').spec.serviceAccountName).toBe('checkout');
    expect(find('Deployment', 'queue')?.metadata.namespace).toBe('shop');
    expect(out.notes).toContain(
      'moved to another namespace, so read back under a new id: k8s:data/queue → k8s:shop/queue',
    );
    const back = reimport(out).workspace;
    expect(byId(back, 'k8s:shop/payment').memberships.role).toEqual(['role:k8s:sa:shop/checkout']);
    expect(byId(back, 'k8s:shop/queue').memberships.network).toEqual(['network:k8s:ns:shop']);
    expect(back.calls.filter((c) => c.to === 'k8s:shop/queue').map((c) => c.from)).toEqual([
      'k8s:shop/checkout',
      'k8s:shop/payment',
    ]);
  });

  it('a new NetworkPolicy rule is written and selects the pods its selector names', () => {
    const ws = shop();
    const rule: K8sNetworkPolicyRule = {
      id: 'k8s:data/netpol/queue-egress',
      type: 'k8s-network-policy',
      level: 'policy',
      name: 'queue-egress',
      namespace: 'data',
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['queue'] }] },
      policyTypes: ['Egress'],
      egress: [{}],
    };
    ws.rules.push(rule);
    const { find, out } = docsOf(ws);
    expect(find('NetworkPolicy', 'queue-egress')?.spec).toEqual({
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['queue'] }] },
      policyTypes: ['Egress'],
      egress: [{}],
    });
    const back = reimport(out).workspace;
    expect(back.rules.find((r) => r.id === rule.id)).toEqual({ ...rule, source: expect.anything() });
    expect(byId(back, 'k8s:data/queue').memberships.policy).toEqual([
      'policy:k8s:ns:data:sel:app=queue',
      'policy:k8s:ns:data:sel:app in (queue)',
    ]);
  });
});

describe('exportK8s exposure, aliases and conversion', () => {
  const svc = (name: string, extra: Partial<Service>): Service => ({
    id: `k8s:x/${name}`,
    name,
    kind: 'service',
    namespace: 'x',
    labels: { app: name },
    memberships: { network: ['network:k8s:ns:x'] },
    ...extra,
  });
  const small = (services: Service[]): Workspace => ({
    segscope: 1,
    services,
    segments: [
      {
        id: 'network:k8s:ns:x',
        level: 'network',
        name: 'x',
        attributes: { kind: 'namespace-network', namespace: 'x' },
      },
    ],
    calls: [],
    rules: [],
  });

  it.each([
    ['exposed, every port published: a LoadBalancer Service', true, [true, true], 'LoadBalancer', false, false],
    [
      'exposed, a port not published: an Ingress, published ports as hostPort',
      true,
      [true, false],
      undefined,
      true,
      true,
    ],
    ['published, not exposed: hostPort only', false, [true, false], undefined, true, false],
    ['neither: a ClusterIP Service', false, [false, false], undefined, false, false],
  ])('%s', (_label, exposed, published, type, hostPort, ingress) => {
    const ports = [
      { port: 80, protocol: 'TCP' as const, name: 'http', ...(published[0] ? { published: true } : {}) },
      { port: 9090, protocol: 'TCP' as const, name: 'admin', ...(published[1] ? { published: true } : {}) },
    ];
    const ws = small([svc('web', { ports, ...(exposed ? { exposed: true } : {}) })]);
    const { find, out, template } = docsOf(ws);
    expect(find('Service', 'web')?.spec?.type).toBe(type);
    const container = template('web').spec.containers[0];
    expect(container?.ports[0]).toEqual({ name: 'http', containerPort: 80, ...(hostPort ? { hostPort: 80 } : {}) });
    expect(find('Ingress', 'web') !== undefined).toBe(ingress);
    const back = byId(reimport(out).workspace, 'k8s:x/web');
    expect(Boolean(back.exposed)).toBe(exposed);
    expect(back.ports?.map((p) => Boolean(p.published))).toEqual(published);
  });

  it('Ingress and Route objects keep their own names and the ports they route to (one Ingress, two workloads; a Route)', () => {
    const port = (n: number, routed: string[]) => ({ port: n, protocol: 'TCP' as const, routed });
    const ws = small([
      svc('web', { exposed: true, ports: [port(80, ['Ingress x/edge']), port(9090, [])] }),
      svc('api', { exposed: true, ports: [port(8080, ['Ingress x/edge', 'Route x/api-route'])] }),
    ]);
    const { find, out } = docsOf(ws);
    expect(find('Ingress', 'web')).toBeUndefined();
    expect(find('Ingress', 'edge')?.spec).toEqual({
      rules: [
        {
          http: {
            paths: [
              { path: '/web/80', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
              { path: '/api/8080', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } },
            ],
          },
        },
      ],
    });
    expect(find('Route', 'api-route')?.spec).toEqual({
      to: { kind: 'Service', name: 'api' },
      port: { targetPort: 8080 },
    });
    const back = reimport(out);
    expect(back.diagnostics).toEqual([]);
    const routed = (id: string) => byId(back.workspace, id).ports?.map((p) => [p.port, p.routed ?? []]);
    expect(routed('k8s:x/web')).toEqual([
      [80, ['Ingress x/edge']],
      [9090, []],
    ]);
    expect(routed('k8s:x/api')).toEqual([[8080, ['Ingress x/edge', 'Route x/api-route']]]);
  });

  it('a Service alias selecting several workloads is written with their common labels', () => {
    const ws = small([
      svc('api-v1', {
        labels: { app: 'api', v: '1' },
        ports: [{ port: 80, protocol: 'TCP' }],
        extra: { k8sKind: 'Deployment', aliases: ['api'] },
      }),
      svc('api-v2', {
        labels: { app: 'api', v: '2' },
        ports: [{ port: 80, protocol: 'TCP' }],
        extra: { k8sKind: 'Deployment', aliases: ['api'] },
      }),
    ]);
    const { find, out } = docsOf(ws);
    expect(find('Service', 'api')?.spec).toEqual({ selector: { app: 'api' }, ports: [{ name: 'tcp-80', port: 80 }] });
    expect(reimport(out).workspace.services.map((s) => s.extra?.aliases)).toEqual([['api'], ['api']]);
  });

  it('an ExternalName service and a cluster name come back', () => {
    const ws = small([
      svc('payments', {
        kind: 'external',
        labels: {},
        memberships: {},
        extra: { k8sKind: 'Service', externalName: 'pay.example.com' },
      }),
    ]);
    ws.segments.push({
      id: 'account:k8s:cluster:prod',
      level: 'account',
      name: 'prod',
      attributes: { kind: 'cluster' },
    });
    const { find, out } = docsOf(ws);
    expect(find('Service', 'payments')?.spec).toEqual({ type: 'ExternalName', externalName: 'pay.example.com' });
    const back = reimport(out).workspace;
    expect(byId(back, 'k8s:x/payments').kind).toBe('external');
    expect(back.segments.some((s) => s.id === 'account:k8s:cluster:prod')).toBe(true);
  });

  it('converts Compose services into Deployments of their project namespace, with calls as addresses', () => {
    const ws = load(sampleFiles('public/samples/compose/v2-front-back.yml'));
    const { find, out, template } = docsOf(ws);
    expect(template('web').spec).toEqual({
      containers: [
        {
          name: 'web',
          image: 'segscope.invalid/web',
          ports: [{ containerPort: 3000 }],
          // depends_on (no port) and API_URL (port 4000) are two calls.
          env: [{ name: 'SEGSCOPE_CALL_API', value: 'api.v2-front-back api.v2-front-back:4000' }],
        },
      ],
    });
    expect(find('Deployment', 'db')?.spec?.selector).toEqual({ matchLabels: { app: 'db' } });
    expect(out.notes).toContain(
      "call(s) without a port read back with the only port of the callee's Service: compose:v2-front-back/proxy → compose:v2-front-back/web:3000, compose:v2-front-back/web → compose:v2-front-back/api:4000",
    );
    const back = reimport(out).workspace;
    expect(back.services.map((s) => s.id)).toEqual(ws.services.map((s) => s.id.replace('compose:', 'k8s:')));
  });
});

describe('exportK8s says what the manifests cannot carry without reading them back (issue #17: the round trip is checked in tests and convert --check)', () => {
  it('never reads its own output', () => {
    const read = vi.spyOn(k8sReader, 'read');
    try {
      exportK8s(shop());
      expect(read).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
  });

  it('kinds the image does not tell, exposure without a Service, network attachments and ports a call gains', () => {
    const ws: Workspace = {
      segscope: 1,
      services: [
        {
          id: 'k8s:x/edge',
          name: 'edge',
          kind: 'gateway',
          namespace: 'x',
          exposed: true,
          memberships: { network: ['network:k8s:ns:x', 'network:k8s:net:x/storage'] },
        },
        {
          id: 'k8s:x/api',
          name: 'api',
          kind: 'service',
          namespace: 'x',
          ports: [{ port: 8080 }],
          memberships: { network: ['network:k8s:ns:x'] },
        },
      ],
      segments: [
        {
          id: 'network:k8s:ns:x',
          level: 'network',
          name: 'x',
          attributes: { kind: 'namespace-network', namespace: 'x' },
        },
        {
          id: 'network:k8s:net:x/storage',
          level: 'network',
          name: 'storage',
          attributes: { kind: 'secondary-network', namespace: 'x' },
        },
      ],
      calls: [{ from: 'k8s:x/edge', to: 'k8s:x/api', origin: 'declared' }],
      rules: [],
    };
    const out = exportK8s(ws);
    expect(out.notes.slice(-4)).toEqual([
      'network memberships that read back differently: k8s:x/edge → [network:k8s:ns:x]',
      'kinds that read back differently: k8s:x/edge → service',
      'exposure that reads back differently: k8s:x/edge → not exposed',
      "call(s) without a port read back with the only port of the callee's Service: k8s:x/edge → k8s:x/api:8080",
    ]);
    // What the notes say is what the reader gives.
    const back = reimport(out).workspace;
    expect(byId(back, 'k8s:x/edge')).toMatchObject({ kind: 'service', memberships: { network: ['network:k8s:ns:x'] } });
    expect(byId(back, 'k8s:x/edge').exposed).toBeUndefined();
    expect(back.calls.map((c) => `${c.from} → ${c.to}:${c.port}`)).toEqual(['k8s:x/edge → k8s:x/api:8080']);
  });

  it.each([
    'admin-policies.yaml',
    'cilium-policies.yaml',
    'istio-bookinfo.yaml',
    'shop.yaml',
    'user-defined-networks.yaml',
  ])('%s reads back with the same services and calls, but for what the notes name', (file) => {
    const ws = load(sampleFiles(`public/samples/k8s/${file}`));
    const out = exportK8s(ws);
    const back = reimport(out);
    expect(back.diagnostics).toEqual([]);
    // The one note of this kind names each service and the memberships it reads back with.
    const flagged = new Map(
      (out.notes.find((n) => n.startsWith('network memberships that read back differently: '))?.split(': ')[1] ?? '')
        .split('; ')
        .filter(Boolean)
        .map((item) => item.split(' → ') as [string, string]),
    );
    const expected = ws.services.map((s) =>
      flagged.has(s.id) ? { ...s, memberships: { ...s.memberships, network: [`network:k8s:ns:${s.namespace}`] } } : s,
    );
    expect(normalise(back.workspace).services).toEqual(normalise({ ...ws, services: expected }).services);
    expect(normalise(back.workspace).calls).toEqual(normalise(ws).calls);
  });
});
