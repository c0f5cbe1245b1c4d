import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyCommand } from '../../model/commands';
import type { Workspace } from '../../model/types';
import { load, normalise, reimport, sampleFiles } from '../testing';
import { exportCompose } from './write';

const SAMPLES = 'public/samples/compose';
const fileOf = (ws: Workspace, name?: string) => {
  const out = exportCompose(ws);
  const f = name ? out.files.find((x) => x.name === name) : out.files[0];
  if (!f) throw new Error(`no file ${name ?? ''} in ${out.files.map((x) => x.name).join(', ')}`);
  return { out, text: f.text, doc: parse(f.text) as Record<string, Record<string, Record<string, unknown>>> };
};

describe('exportCompose round trip', () => {
  // v1 files come back in the Compose specification: their services say network_mode bridge explicitly.
  it.each([
    ['sock-shop.yml', []],
    ['v2-front-back.yml', []],
    ['voting-app.yml', []],
    ['v1-proxy-app-db.yml', ['network_mode']],
  ])('%s: same services, memberships, calls and rules', (file, added) => {
    const ws = load(sampleFiles(`${SAMPLES}/${file}`));
    const out = exportCompose(ws);
    const back = reimport(out);
    expect(back.diagnostics).toEqual([]);
    expect(out.files.map((f) => f.name)).toEqual([file]);
    expect(normalise(back.workspace, { dropExtra: added })).toEqual(normalise(ws, { dropExtra: added }));
  });

  it('every sample together: one file per project, the same workspace', () => {
    const ws = load(sampleFiles(SAMPLES));
    const out = exportCompose(ws);
    expect(out.files.map((f) => f.name)).toEqual([
      'sock-shop.yml',
      'v1-proxy-app-db.yml',
      'v2-front-back.yml',
      'voting-app.yml',
    ]);
    const back = reimport(out).workspace;
    expect(normalise(back, { dropExtra: ['network_mode'] })).toEqual(normalise(ws, { dropExtra: ['network_mode'] }));
  });

  it('writes the Compose specification: no version, x- extensions and unmodelled keys kept', () => {
    const { out, doc, text } = fileOf(load(sampleFiles(`${SAMPLES}/sock-shop.yml`)));
    expect(Object.keys(doc)).toEqual(['x-hardening', 'x-java', 'services', 'networks']);
    expect(text).not.toMatch(/^version:/m);
    expect(doc['x-java']).toEqual({
      read_only: true,
      tmpfs: ['/tmp:rw,noexec,nosuid'],
      cap_drop: ['all'],
      cap_add: ['NET_BIND_SERVICE'],
    });
    expect(doc.services?.['queue-master']).toEqual({
      image: 'weaveworksdemos/queue-master:0.3.1',
      environment: { SPRING_RABBITMQ_HOST: 'rabbitmq' },
      volumes: ['/var/run/docker.sock:/var/run/docker.sock'],
      networks: ['backend'],
    });
    expect(doc.networks).toEqual({ public: null, backend: null, data: { internal: true } });
    expect(out.notes).toEqual(['project sock-shop: written as the Compose specification, without "version: 3.7"']);
  });

  it('keeps per-network options of the map form (aliases) and the top-level volumes', () => {
    const { doc } = fileOf(load(sampleFiles(`${SAMPLES}/v2-front-back.yml`)));
    expect(doc.services?.web?.networks).toEqual({ front: { aliases: ['www'] }, back: null });
    expect(doc.services?.api?.scale).toBe(2);
    const voting = fileOf(load(sampleFiles(`${SAMPLES}/voting-app.yml`))).doc;
    expect(voting.volumes).toEqual({ 'db-data': null });
    expect(voting.services?.seed?.profiles).toEqual(['seed']);
  });

  it('puts Compose v1 services on the default bridge with network_mode, keeping their links', () => {
    const { doc, out } = fileOf(load(sampleFiles(`${SAMPLES}/v1-proxy-app-db.yml`)));
    expect(Object.keys(doc)).toEqual(['services']);
    expect(doc.services?.proxy).toEqual({
      image: 'nginx:1.13',
      ports: ['80:80', '443:443'],
      links: ['app:backend'],
      volumes: ['./proxy/nginx.conf:/etc/nginx/nginx.conf:ro'],
      network_mode: 'bridge',
    });
    expect(out.notes).toEqual([
      'project v1-proxy-app-db: services on the default bridge (Compose v1) are written with network_mode: bridge',
    ]);
  });
});

describe('exportCompose of hand-written files', () => {
  const shop = [
    'name: shop',
    'services:',
    '  proxy:',
    '    image: nginx:1.25',
    '    ports: ["443:443"]',
    '    networks: [edge, shared]',
    '    labels: ["tier=edge"]',
    '  app:',
    '    image: ghcr.io/x/app:1',
    '    container_name: shop-app',
    '    networks:',
    '      edge: {aliases: [backend]}',
    '      internal: {ipv4_address: 172.30.0.10}',
    '  sidecar:',
    '    image: envoy:1',
    '    network_mode: "service:app"',
    '  job:',
    '    image: busybox',
    '    network_mode: host',
    '    environment: {TARGET: "http://shop-app:8080"}',
    'networks:',
    '  edge: {labels: {purpose: edge}}',
    '  internal:',
    '    internal: true',
    '    ipam: {config: [{subnet: 172.30.0.0/24}]}',
    '  shared: {external: true, name: platform_shared}',
    '',
  ].join('\n');
  const platform = [
    'name: platform',
    'services:',
    '  metrics:',
    '    image: prom/prometheus',
    '    networks: [shared]',
    'networks:',
    '  shared:',
    '    name: platform_shared',
    '',
  ].join('\n');

  it('two projects sharing a network, network_mode service:, addresses and ipam come back', () => {
    const ws = load([
      { name: 'shop.compose.yml', text: shop },
      { name: 'platform.compose.yml', text: platform },
    ]);
    const out = exportCompose(ws);
    expect(out.notes).toEqual([]);
    const back = reimport(out);
    expect(back.diagnostics).toEqual([]);
    expect(normalise(back.workspace)).toEqual(normalise(ws));
    const docs = Object.fromEntries(out.files.map((f) => [f.name, parse(f.text)]));
    expect(docs['platform.compose.yml'].networks).toEqual({ shared: null });
    expect(docs['shop.compose.yml'].networks).toEqual({
      edge: { labels: { purpose: 'edge' } },
      internal: { ipam: { config: [{ subnet: '172.30.0.0/24' }] }, internal: true },
      shared: { name: 'platform_shared', external: true },
    });
  });
});

describe('exportCompose of an edited workspace', () => {
  const sock = () => load(sampleFiles(`${SAMPLES}/sock-shop.yml`));

  it('a service moved to another network gets the new networks list', () => {
    let ws = sock();
    ws = applyCommand(ws, {
      type: 'moveService',
      service: 'compose:sock-shop/payment',
      level: 'overlay',
      from: 'overlay:sock-shop_backend',
      to: 'overlay:sock-shop_data',
    });
    const { doc, out } = fileOf(ws);
    expect(doc.services?.payment?.networks).toEqual(['data']);
    const back = reimport(out).workspace;
    expect(back.services.find((s) => s.id === 'compose:sock-shop/payment')?.memberships).toEqual({
      overlay: ['overlay:sock-shop_data'],
    });
    expect(normalise(back, { dropExtra: ['networks'] })).toEqual(normalise(ws, { dropExtra: ['networks'] }));
  });

  it('an added network membership, and a service left on no network (network_mode none)', () => {
    let ws = sock();
    ws = applyCommand(ws, {
      type: 'moveService',
      service: 'compose:sock-shop/rabbitmq',
      level: 'overlay',
      from: null,
      to: 'overlay:sock-shop_data',
    });
    ws = applyCommand(ws, {
      type: 'moveService',
      service: 'compose:sock-shop/user-sim',
      level: 'overlay',
      from: 'overlay:sock-shop_public',
      to: null,
    });
    const { doc, out } = fileOf(ws);
    expect(doc.services?.rabbitmq?.networks).toEqual(['backend', 'data']);
    expect(doc.services?.['user-sim']?.network_mode).toBe('none');
    expect(doc.services?.['user-sim']?.networks).toBeUndefined();
    const back = reimport(out).workspace;
    const overlay = (id: string) => back.services.find((s) => s.id === id)?.memberships.overlay;
    expect(overlay('compose:sock-shop/rabbitmq')).toEqual(['overlay:sock-shop_backend', 'overlay:sock-shop_data']);
    // Read back as Docker's `none` network: no network at all.
    expect(overlay('compose:sock-shop/user-sim')).toEqual(['overlay:none']);
  });

  it('a call the file does not name becomes an address in the caller environment', () => {
    const ws = sock();
    ws.calls.push({
      from: 'compose:sock-shop/payment',
      to: 'compose:sock-shop/user-db',
      port: 27017,
      origin: 'declared',
    });
    ws.calls.push({ from: 'compose:sock-shop/payment', to: 'compose:sock-shop/rabbitmq', origin: 'declared' });
    const { doc, out } = fileOf(ws);
    expect(doc.services?.payment?.environment).toEqual({
      SEGSCOPE_CALL_USER_DB: 'user-db:27017',
      SEGSCOPE_CALL_RABBITMQ: 'rabbitmq',
    });
    const back = reimport(out).workspace;
    expect(
      back.calls.filter((c) => c.from === 'compose:sock-shop/payment').map((c) => [c.to, c.port, c.origin]),
    ).toEqual([
      ['compose:sock-shop/user-db', 27017, 'env'],
      ['compose:sock-shop/rabbitmq', undefined, 'env'],
    ]);
  });

  it('adds list-form environment entries to a list-form environment', () => {
    const ws = load(sampleFiles(`${SAMPLES}/voting-app.yml`));
    ws.calls.push({ from: 'compose:voting-app/worker', to: 'compose:voting-app/vote', port: 80, origin: 'declared' });
    expect(fileOf(ws).doc.services?.worker?.environment).toEqual([
      'REDIS_HOST=redis',
      'DB_CONNECTION=Server=db;Username=postgres;Password=postgres;',
      'SEGSCOPE_CALL_VOTE=vote:80',
    ]);
  });

  it('says which calls leave the project and which kept keys still name a removed call', () => {
    const ws = load(sampleFiles(SAMPLES));
    ws.calls.push({ from: 'compose:voting-app/vote', to: 'compose:sock-shop/user', origin: 'declared' });
    const vote = ws.calls.findIndex((c) => c.from === 'compose:voting-app/vote' && c.to === 'compose:voting-app/redis');
    ws.calls.splice(vote, 1);
    expect(exportCompose(ws).notes).toEqual([
      '1 call(s) cross Compose projects or leave Compose; a file only names its own services: compose:voting-app/vote → compose:sock-shop/user',
      'project sock-shop: written as the Compose specification, without "version: 3.7"',
      'project v1-proxy-app-db: services on the default bridge (Compose v1) are written with network_mode: bridge',
      'project v2-front-back: written as the Compose specification, without "version: 2.4"',
      'project voting-app: the kept links, depends_on or environment still name call(s) the workspace no longer has: vote → redis',
    ]);
  });

  it('writes an edited replica count where the file keeps it', () => {
    const ws = load(sampleFiles(`${SAMPLES}/v2-front-back.yml`));
    const api = ws.services.find((s) => s.name === 'api');
    const db = ws.services.find((s) => s.name === 'db');
    if (!api || !db) throw new Error('sample changed');
    api.replicas = 4;
    db.replicas = 2;
    const { doc } = fileOf(ws);
    expect(doc.services?.api?.scale).toBe(4);
    expect(doc.services?.db?.deploy).toEqual({ replicas: 2 });
  });
});

describe('exportCompose converting other formats', () => {
  it('writes every Kubernetes workload into one project with placeholder images, ports and call addresses', () => {
    const ws = load(sampleFiles('public/samples/k8s/shop.yaml'));
    const out = exportCompose(ws);
    expect(out.files.map((f) => f.name)).toEqual(['workspace.compose.yml']);
    const doc = parse(out.files[0]?.text ?? '') as { services: Record<string, Record<string, unknown>> };
    expect(doc.services.checkout).toEqual({
      image: 'segscope.invalid/checkout',
      expose: ['7000'],
      deploy: { replicas: 2 },
      labels: { app: 'checkout', tier: 'api' },
      environment: {
        SEGSCOPE_CALL_PAYMENT: 'payment:8080',
        SEGSCOPE_CALL_ORDERS_DB: 'orders-db:5432',
        SEGSCOPE_CALL_QUEUE: 'queue:5672',
      },
    });
    expect(doc.services.queue?.image).toBe('segscope.invalid/queue-db');
    const back = reimport(out).workspace;
    const name = (id: string) => ws.services.find((s) => s.id === id)?.name;
    const pairs = (w: Workspace) =>
      w.calls
        .map((c) => `${name(c.from) ?? c.from.split('/')[1]} → ${name(c.to) ?? c.to.split('/')[1]}:${c.port}`)
        .sort();
    expect(pairs(back)).toEqual(pairs(ws));
    expect(back.services.map((s) => [s.name, s.kind]).sort()).toEqual(ws.services.map((s) => [s.name, s.kind]).sort());
    expect(out.notes[0]).toBe(
      'no service comes from Compose: every service is written with a placeholder image and its ports',
    );
  });
});
