import { describe, expect, it } from 'vitest';
import type { Service } from '../model/types';
import { importFiles } from './index';
import { mergeFragments, type NamedFragment } from './merge';
import { emptyFragment, type Fragment } from './types';

const svc = (id: string, name: string, extra: Partial<Service> = {}): Service => ({
  id,
  name,
  kind: 'service',
  memberships: {},
  ...extra,
});
const part = (file: string, format: string, fragment: Partial<Fragment>): NamedFragment => ({
  file,
  format,
  fragment: { ...emptyFragment(), ...fragment },
});
const messages = (r: ReturnType<typeof mergeFragments>) => r.diagnostics.map((d) => `${d.severity}: ${d.message}`);

const composeShop = part('docker-compose.yml', 'compose', {
  services: [
    svc('compose:shop/front', 'front', { memberships: { overlay: ['overlay:shop_default'] } }),
    svc('compose:shop/cart', 'cart', {
      kind: 'datastore',
      namespace: 'shop',
      ports: [{ port: 8080 }],
      memberships: { overlay: ['overlay:shop_default'] },
      source: [{ file: 'docker-compose.yml', line: 5, column: 3 }],
      extra: { image: 'shop/cart' },
    }),
  ],
  segments: [{ id: 'overlay:shop_default', level: 'overlay', name: 'shop_default' }],
  calls: [{ from: 'compose:shop/front', to: 'compose:shop/cart', port: 8080, origin: 'env' }],
});

describe('mergeFragments: one service across formats', () => {
  it('merges a Compose service and a K8s workload of the same name; the first file’s id wins', () => {
    const k8s = part('shop.yaml', 'k8s', {
      services: [
        svc('k8s:shop/cart', 'cart', {
          namespace: 'shop',
          labels: { app: 'cart' },
          ports: [
            { port: 8080, name: 'http', published: true },
            { port: 9090, name: 'metrics' },
          ],
          exposed: true,
          memberships: { policy: ['policy:k8s:ns:shop'] },
          source: [{ file: 'shop.yaml', line: 1, column: 1 }],
          extra: { k8sKind: 'Deployment' },
        }),
        svc('k8s:shop/checkout', 'checkout', { memberships: { policy: ['policy:k8s:ns:shop'] } }),
      ],
      segments: [{ id: 'policy:k8s:ns:shop', level: 'policy', name: 'shop' }],
      calls: [
        { from: 'k8s:shop/checkout', to: 'k8s:shop/cart', port: 8080, origin: 'env' },
        { from: 'k8s:shop/cart', to: 'compose:shop/cart', origin: 'declared' },
      ],
      rules: [{ id: 'x:link', type: 'overlay-link', level: 'overlay', from: 'k8s:shop/checkout', to: 'k8s:shop/cart' }],
    });
    const r = mergeFragments([composeShop, k8s]);
    expect(r.workspace.services.map((s) => s.id)).toEqual([
      'compose:shop/front',
      'compose:shop/cart',
      'k8s:shop/checkout',
    ]);
    expect(r.workspace.services[1]).toEqual({
      id: 'compose:shop/cart',
      name: 'cart',
      kind: 'datastore',
      namespace: 'shop',
      labels: { app: 'cart' },
      // Compose's port gains the K8s port name, which named-port policies use.
      ports: [
        { port: 8080, name: 'http', published: true },
        { port: 9090, name: 'metrics' },
      ],
      exposed: true,
      memberships: { overlay: ['overlay:shop_default'], policy: ['policy:k8s:ns:shop'] },
      source: [
        { file: 'docker-compose.yml', line: 5, column: 3 },
        { file: 'shop.yaml', line: 1, column: 1 },
      ],
      extra: {
        image: 'shop/cart',
        mergedIds: ['k8s:shop/cart'],
        mergedExtra: { 'k8s:shop/cart': { k8sKind: 'Deployment' } },
      },
    });
    // Call ends rewritten; the call between the two descriptions of cart disappears.
    expect(r.workspace.calls).toEqual([
      { from: 'compose:shop/front', to: 'compose:shop/cart', port: 8080, origin: 'env' },
      { from: 'k8s:shop/checkout', to: 'compose:shop/cart', port: 8080, origin: 'env' },
    ]);
    expect(r.workspace.rules).toEqual([
      { id: 'x:link', type: 'overlay-link', level: 'overlay', from: 'k8s:shop/checkout', to: 'compose:shop/cart' },
    ]);
    expect(messages(r)).toEqual([
      'info: k8s:shop/cart and compose:shop/cart are both named "cart": merged into one service, compose:shop/cart',
    ]);
    expect(Object.keys(r.workspace)).toEqual(['segscope', 'services', 'segments', 'calls', 'rules', 'sources']);
    expect(r.workspace.sources).toEqual([
      { name: 'docker-compose.yml', format: 'compose' },
      { name: 'shop.yaml', format: 'k8s' },
    ]);
  });

  it('lets the K8s id win when the K8s file comes first, and matches a K8s Service alias', () => {
    const k8s = part('shop.yaml', 'k8s', {
      services: [svc('k8s:shop/cart-v2', 'cart-v2', { extra: { aliases: ['cart'] } })],
      calls: [],
    });
    const r = mergeFragments([k8s, composeShop]);
    expect(r.workspace.services.map((s) => s.id)).toEqual(['k8s:shop/cart-v2', 'compose:shop/front']);
    expect(r.workspace.services[0]?.kind).toBe('datastore');
    expect(r.workspace.services[0]?.extra).toEqual({
      aliases: ['cart'],
      mergedIds: ['compose:shop/cart'],
      mergedExtra: { 'compose:shop/cart': { image: 'shop/cart' } },
    });
    expect(r.workspace.calls).toEqual([
      { from: 'compose:shop/front', to: 'k8s:shop/cart-v2', port: 8080, origin: 'env' },
    ]);
  });

  it('does not merge when a name has several candidates in one format, and says which', () => {
    const k8s = part('k8s.yaml', 'k8s', {
      services: [svc('k8s:shop/cart', 'cart'), svc('k8s:staging/cart', 'cart')],
    });
    const r = mergeFragments([composeShop, k8s]);
    expect(r.workspace.services.map((s) => s.id)).toEqual([
      'compose:shop/front',
      'compose:shop/cart',
      'k8s:shop/cart',
      'k8s:staging/cart',
    ]);
    expect(r.diagnostics).toEqual([
      {
        file: 'docker-compose.yml',
        line: 5,
        column: 3,
        severity: 'warn',
        message:
          'service name "cart" matches several services: compose:shop/cart (docker-compose.yml), k8s:shop/cart (k8s.yaml), k8s:staging/cart (k8s.yaml); not merged, because which one is meant is ambiguous',
      },
    ]);
  });

  it('never merges by name within one format (two Compose projects may both have a db)', () => {
    const other = part('billing/docker-compose.yml', 'compose', {
      services: [svc('compose:billing/cart', 'cart')],
    });
    const r = mergeFragments([composeShop, other]);
    expect(r.workspace.services.map((s) => s.id)).toEqual([
      'compose:shop/front',
      'compose:shop/cart',
      'compose:billing/cart',
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('merges the same name across three formats into the first', () => {
    const k8s = part('k.yaml', 'k8s', { services: [svc('k8s:shop/cart', 'cart')] });
    const aws = part('ec2.json', 'aws', {
      services: [
        svc('aws:i-0abc', 'cart', { addresses: ['10.0.1.5'], memberships: { network: ['network:subnet-1'] } }),
      ],
    });
    const r = mergeFragments([composeShop, k8s, aws]);
    expect(r.workspace.services.map((s) => s.id)).toEqual(['compose:shop/front', 'compose:shop/cart']);
    expect(r.workspace.services[1]?.extra?.mergedIds).toEqual(['k8s:shop/cart', 'aws:i-0abc']);
    expect(r.workspace.services[1]?.addresses).toEqual(['10.0.1.5']);
    expect(r.workspace.services[1]?.memberships).toEqual({
      overlay: ['overlay:shop_default'],
      network: ['network:subnet-1'],
    });
  });
});

describe('mergeFragments: workspace-level keys', () => {
  it('keeps the top-level leftovers of several Compose files side by side', () => {
    const a = part('a/compose.yaml', 'compose', {
      top: { extra: { compose: { 'a/compose.yaml': { version: '3' } } } },
    });
    const b = part('b/compose.yaml', 'compose', {
      top: { extra: { compose: { 'b/compose.yaml': { 'x-team': 'b' } } } },
    });
    const r = mergeFragments([a, b]);
    expect(r.workspace.extra).toEqual({
      compose: { 'a/compose.yaml': { version: '3' }, 'b/compose.yaml': { 'x-team': 'b' } },
    });
    expect(Object.keys(r.workspace)).toEqual([
      'segscope',
      'services',
      'segments',
      'calls',
      'rules',
      'extra',
      'sources',
    ]);
  });

  it('keeps a single native file’s key order exactly', () => {
    const native = part('w.json', 'native', {
      top: { 'x-a': 1, rules: null, segscope: 1, services: null, name: 'w', segments: null, calls: null },
      services: [svc('a', 'a')],
    });
    const r = mergeFragments([native]);
    expect(Object.keys(r.workspace)).toEqual(['x-a', 'rules', 'segscope', 'services', 'name', 'segments', 'calls']);
    expect(r.workspace.services).toEqual([svc('a', 'a')]);
  });
});

describe('importFiles with Compose files', () => {
  it('reads a Compose file next to a native workspace and merges the service they share by name', () => {
    const native = JSON.stringify({
      segscope: 1,
      services: [{ id: 'cart', name: 'cart', kind: 'service', memberships: { account: ['account:prod'] } }],
      segments: [{ id: 'account:prod', level: 'account', name: 'prod' }],
      calls: [],
      rules: [],
    });
    const compose = 'services:\n  cart:\n    image: shop/cart\n  web:\n    image: web\n    depends_on: [cart]\n';
    const { workspace, report } = importFiles([
      { name: 'estate.json', text: native },
      { name: 'shop/docker-compose.yml', text: compose },
    ]);
    expect(report.files.map((f) => [f.name, f.format, f.services, f.segments, f.calls])).toEqual([
      ['estate.json', 'native', 1, 1, 0],
      ['shop/docker-compose.yml', 'compose', 2, 1, 1],
    ]);
    expect(workspace.services.map((s) => [s.id, s.memberships])).toEqual([
      ['cart', { account: ['account:prod'], overlay: ['overlay:shop_default'] }],
      ['compose:shop/web', { overlay: ['overlay:shop_default'] }],
    ]);
    expect(workspace.calls).toEqual([
      {
        from: 'compose:shop/web',
        to: 'cart',
        origin: 'depends_on',
        source: { file: 'shop/docker-compose.yml', line: 6, column: 18 },
      },
    ]);
  });
});

describe('importFiles: a Compose file with a Kubernetes file', () => {
  const compose = [
    'services:',
    '  web:',
    '    image: shop/web',
    '    environment:',
    '      CART_URL: http://cart:8080',
    '  cart:',
    '    image: shop/cart',
  ].join('\n');
  const deployment = (ns: string, name: string, env = '') =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      `  namespace: ${ns}`,
      'spec:',
      '  selector:',
      `    matchLabels: {app: ${name}}`,
      '  template:',
      '    metadata:',
      `      labels: {app: ${name}}`,
      '    spec:',
      '      containers:',
      `        - name: ${name}`,
      `          image: shop/${name}`,
      '          ports: [{containerPort: 8080, name: http}]',
      env,
    ].join('\n');
  const checkout = deployment(
    'shop',
    'checkout',
    '          env: [{name: CART_URL, value: "http://cart.shop.svc.cluster.local:8080"}]',
  );
  const cartService = (ns: string) =>
    [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: cart',
      `  namespace: ${ns}`,
      'spec:',
      '  selector: {app: cart}',
      '  ports: [{port: 8080, targetPort: http}]',
    ].join('\n');

  it('merges the Compose service and the K8s workload of the same name into one service', () => {
    const k8s = [deployment('shop', 'cart'), cartService('shop'), checkout].join('\n---\n');
    const { workspace, report } = importFiles([
      { name: 'shop/docker-compose.yml', text: compose },
      { name: 'k8s/shop.yaml', text: k8s },
    ]);
    expect(report.files.map((f) => [f.format, f.services, f.diagnostics])).toEqual([
      ['compose', 2, []],
      ['k8s', 2, []],
    ]);
    expect(workspace.services.map((s) => s.id)).toEqual(['compose:shop/web', 'compose:shop/cart', 'k8s:shop/checkout']);
    const cart = workspace.services[1];
    expect(cart?.memberships.overlay).toEqual(['overlay:shop_default']);
    expect(cart?.memberships.policy).toEqual(['policy:k8s:ns:shop']);
    expect(cart?.extra?.mergedIds).toEqual(['k8s:shop/cart']);
    expect(workspace.calls.map((c) => `${c.from} -> ${c.to}:${c.port}`)).toEqual([
      'compose:shop/web -> compose:shop/cart:8080',
      'k8s:shop/checkout -> compose:shop/cart:8080',
    ]);
    expect(report.diagnostics.map((d) => `${d.file}:${d.line}: ${d.severity}: ${d.message}`)).toEqual([
      'k8s/shop.yaml:1: info: k8s:shop/cart and compose:shop/cart are both named "cart": merged into one service, compose:shop/cart',
    ]);
  });

  it('keeps them apart and warns when the name exists in two namespaces', () => {
    const k8s = [deployment('shop', 'cart'), deployment('staging', 'cart')].join('\n---\n');
    const { workspace, report } = importFiles([
      { name: 'shop/docker-compose.yml', text: compose },
      { name: 'k8s/all.yaml', text: k8s },
    ]);
    expect(workspace.services.map((s) => s.id)).toEqual([
      'compose:shop/web',
      'compose:shop/cart',
      'k8s:shop/cart',
      'k8s:staging/cart',
    ]);
    expect(report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`)).toEqual([
      'shop/docker-compose.yml:6:3: warn: service name "cart" matches several services: compose:shop/cart (shop/docker-compose.yml), k8s:shop/cart (k8s/all.yaml), k8s:staging/cart (k8s/all.yaml); not merged, because which one is meant is ambiguous',
    ]);
  });
});
