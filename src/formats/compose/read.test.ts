import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ReadResult } from '../../import/types';
import type { Diagnostic } from '../../model/types';
import { guessKind } from '../kinds';
import { addressesIn, composeReader, parsePortSpec, projectName } from './read';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;
const read = (name: string, text: string) => composeReader.read({ name, text });
const sample = (file: string) =>
  read(
    `public/samples/compose/${file}`,
    readFileSync(join(__dirname, '../../../public/samples/compose', file), 'utf8'),
  );

const after = (id: string) => id.slice(id.indexOf('/') + 1);
const overlay = (id: string) => id.replace(/^overlay:/, '');
/** One line per call: `from -> to:port (origin)`. */
const calls = (r: ReadResult) =>
  r.fragment.calls.map((c) => `${after(c.from)} -> ${after(c.to)}${c.port ? `:${c.port}` : ''} (${c.origin})`);
/** service name → overlay networks. */
const nets = (r: ReadResult) =>
  Object.fromEntries(r.fragment.services.map((s) => [s.name, (s.memberships.overlay ?? []).map(overlay)]));
const brief = (r: ReadResult) =>
  r.fragment.services.map((s) => ({
    name: s.name,
    kind: s.kind,
    exposed: s.exposed ?? false,
    replicas: s.replicas,
    profiles: s.profiles,
  }));
const where = (d: Diagnostic[]) => d.map((x) => `${x.line}:${x.column} ${x.severity} ${x.message}`);

describe('composeReader.detect', () => {
  it.each([
    ['compose spec', { services: { web: { image: 'nginx' } } }, true],
    ['v3 with version only', { version: '3.8' }, true],
    ['v2 numeric version', { version: 2, services: {} }, true],
    ['v1 services at top level', { web: { image: 'nginx' }, db: { build: '.' } }, true],
    ['kubernetes', { apiVersion: 'v1', kind: 'Service', spec: {} }, false],
    ['native workspace', { segscope: 1, services: [] }, false],
    ['plain settings', { debug: true, port: 8080 }, false],
    ['multi-document list', [{ services: {} }], false],
  ])('%s', (_label, parsed, expected) => {
    expect(composeReader.detect({ name: 'x.yaml', text: '' }, parsed)).toBe(expected);
  });

  it('claims an unparseable file by its name or a top-level services key', () => {
    expect(composeReader.detect({ name: 'shop/docker-compose.yml', text: 'x: "' }, undefined)).toBe(true);
    expect(composeReader.detect({ name: 'a.yml', text: 'services:\n  web: [' }, undefined)).toBe(true);
    expect(composeReader.detect({ name: 'a.yml', text: 'apiVersion: v1\nservices:\n' }, undefined)).toBe(false);
  });
});

describe('projectName', () => {
  it.each([
    ['shop/docker-compose.yml', undefined, 'shop'],
    ['/srv/My Shop/compose.yaml', undefined, 'myshop'],
    ['shop/docker-compose.prod.yml', undefined, 'shop'],
    ['docker-compose.yml', undefined, 'default'],
    ['docker-compose.prod.yml', undefined, 'prod'],
    ['public/samples/compose/voting-app.yml', undefined, 'voting-app'],
    ['billing.compose.yaml', undefined, 'billing'],
    ['composer.yml', undefined, 'composer'],
    ['shop/docker-compose.yml', 'Storefront', 'storefront'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose interpolation, not a JS template
    ['x.yml', '${PROJECT:-edge}', 'edge'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose interpolation, not a JS template
    ['shop/compose.yaml', '${COMPOSE_PROJECT_NAME}', 'shop'],
  ])('%s (name: %s) → %s', (file, declared, expected) => {
    expect(projectName(file, declared)).toBe(expected);
  });
});

describe('parsePortSpec', () => {
  it.each([
    ['3000', 'ports', { ports: [3000], published: true }],
    [8080, 'ports', { ports: [8080], published: true }],
    ['8080:80', 'ports', { ports: [80], published: true }],
    ['3000-3002', 'ports', { ports: [3000, 3001, 3002], published: true }],
    ['9090-9091:8080-8081', 'ports', { ports: [8080, 8081], published: true }],
    ['8000-9000:80', 'ports', { ports: [80], published: true }],
    ['127.0.0.1:8001:8001', 'ports', { ports: [8001], published: true, hostIp: '127.0.0.1' }],
    ['127.0.0.1::5000', 'ports', { ports: [5000], published: true, hostIp: '127.0.0.1' }],
    ['::1:6000:6000', 'ports', { ports: [6000], published: true, hostIp: '::1' }],
    ['[::1]:6001:6001', 'ports', { ports: [6001], published: true, hostIp: '::1' }],
    ['0.0.0.0:53:53/udp', 'ports', { ports: [53], published: true, hostIp: '0.0.0.0', protocol: 'UDP' }],
    ['6060:6060/tcp', 'ports', { ports: [6060], published: true }],
    ['8080/udp', 'expose', { ports: [8080], published: false, protocol: 'UDP' }],
  ] as const)('%s (%s)', (spec, kind, expected) => {
    expect(parsePortSpec(spec, kind)).toEqual(expected);
  });

  it.each([
    ['80:80/http', 'ports', 'bad port "80:80/http": unknown protocol "http" (tcp, udp or sctp)'],
    ['eighty', 'ports', 'bad port "eighty": the container port must be a number or range between 1 and 65535'],
    ['80:70000', 'ports', 'bad port "80:70000": the container port must be a number or range between 1 and 65535'],
    ['x:80', 'ports', 'bad port "x:80": the host port must be a number or range between 1 and 65535, or empty'],
    ['1-3:1-2', 'ports', 'bad port "1-3:1-2": host and container port ranges differ in length'],
    ['localhost:80:80', 'ports', 'bad port "localhost:80:80": "localhost" is not an IP address'],
    ['80:80', 'expose', 'bad expose "80:80": expose takes a container port only, without a host part'],
  ] as const)('%s (%s) is refused', (spec, kind, error) => {
    expect(parsePortSpec(spec, kind)).toEqual({ error });
  });
});

describe('addressesIn', () => {
  it.each([
    ['http://cart:8080', [{ host: 'cart', port: 8080 }]],
    ['http://cart:8080/api?x=1', [{ host: 'cart', port: 8080 }]],
    ['db', [{ host: 'db' }]],
    ['redis://cache:6379/0', [{ host: 'cache', port: 6379 }]],
    ['amqp://user:pw@rabbit:5672', [{ host: 'rabbit', port: 5672 }]],
    ['jdbc:mysql://db:3306/shop?useSSL=false', [{ host: 'db', port: 3306 }]],
    [
      'mongodb://a:27017,b:27018/app',
      [
        { host: 'a', port: 27017 },
        { host: 'b', port: 27018 },
      ],
    ],
    [
      'kafka-1:9092,kafka-2:9092',
      [
        { host: 'kafka-1', port: 9092 },
        { host: 'kafka-2', port: 9092 },
      ],
    ],
    ['-Xmx1g -Ddb.host=orders-db', [{ host: 'orders-db' }]],
    ['Server=db;Port=5432', [{ host: 'db' }, { host: '5432' }]],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose interpolation, not a JS template
    ['http://${API_HOST:-api}:3000', [{ host: 'api', port: 3000 }]],
    ['user:pw@tcp(users-db:3306)/users', [{ host: 'tcp' }, { host: 'users-db', port: 3306 }]],
    ['http://[::1]:80', []],
    ['db:99999', []],
  ])('%s', (value, expected) => {
    expect(addressesIn(value)).toEqual(expected);
  });
});

describe('guessKind', () => {
  it.each([
    ['db', 'postgres:15-alpine', false, 'datastore'],
    ['cache', 'docker.io/library/redis:7@sha256:abc', false, 'datastore'],
    ['users', 'weaveworksdemos/user-db:0.4.0', false, 'datastore'],
    ['queue', 'rabbitmq:3-management', false, 'datastore'],
    ['proxy', 'nginx:1.25', true, 'gateway'],
    ['assets', 'nginx:1.25', false, 'service'],
    ['edge', 'traefik:v3.0', true, 'gateway'],
    ['db', undefined, false, 'datastore'],
    ['api', undefined, true, 'service'],
  ] as const)('%s (%s, exposed %s) → %s', (name, image, exposed, kind) => {
    expect(guessKind(name, image, exposed)).toBe(kind);
  });
});

describe('Compose v1', () => {
  it('puts every service on one bridge with icc on, and turns links into calls and overlay-link rules', () => {
    const r = read(
      'legacy/docker-compose.yml',
      yaml(
        'web:', //                   1
        '  image: nginx', //         2
        '  links:', //               3
        '    - app:backend', //      4
        'app:', //                   5
        '  build: .', //             6
        '  links: [db]', //          7
        '  net: bridge', //          8
        'db:', //                    9
        '  image: mysql:5.7', //     10
        'tool:', //                  11
        '  image: busybox', //       12
        '  net: none', //            13
      ),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.segments).toEqual([
      {
        id: 'overlay:bridge',
        level: 'overlay',
        name: 'bridge',
        attributes: { kind: 'bridge', icc: true },
        source: [{ file: 'legacy/docker-compose.yml', line: 1, column: 1 }],
      },
      {
        id: 'overlay:none',
        level: 'overlay',
        name: 'none',
        attributes: { kind: 'none' },
        source: [{ file: 'legacy/docker-compose.yml', line: 13, column: 3 }],
      },
    ]);
    expect(nets(r)).toEqual({ web: ['bridge'], app: ['bridge'], db: ['bridge'], tool: ['none'] });
    expect(calls(r)).toEqual(['web -> app (links)', 'app -> db (links)']);
    expect(r.fragment.rules).toEqual([
      {
        id: 'compose:legacy/web/links/app',
        type: 'overlay-link',
        level: 'overlay',
        from: 'compose:legacy/web',
        to: 'compose:legacy/app',
        alias: 'backend',
        source: { file: 'legacy/docker-compose.yml', line: 4, column: 7 },
      },
      {
        id: 'compose:legacy/app/links/db',
        type: 'overlay-link',
        level: 'overlay',
        from: 'compose:legacy/app',
        to: 'compose:legacy/db',
        source: { file: 'legacy/docker-compose.yml', line: 7, column: 11 },
      },
    ]);
  });

  it('reports an unknown link target at its exact position and keeps the rest', () => {
    const r = read('shop/docker-compose.yml', yaml('web:', '  image: nginx', '  links:', '    - api', '    - cache:c'));
    expect(where(r.diagnostics)).toEqual([
      '4:7 error service "web" links to unknown service "api"',
      '5:7 error service "web" links to unknown service "cache"',
    ]);
    expect(r.diagnostics[0]?.path).toBe('/web/links/0');
    expect(r.fragment.services.map((s) => s.id)).toEqual(['compose:shop/web']);
  });

  it('loads the v1 proxy → app → db sample exactly', () => {
    const r = sample('v1-proxy-app-db.yml');
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.services.map((s) => s.id)).toEqual([
      'compose:v1-proxy-app-db/proxy',
      'compose:v1-proxy-app-db/app',
      'compose:v1-proxy-app-db/db',
      'compose:v1-proxy-app-db/cache',
    ]);
    expect(brief(r)).toEqual([
      { name: 'proxy', kind: 'gateway', exposed: true, replicas: undefined, profiles: undefined },
      { name: 'app', kind: 'service', exposed: false, replicas: undefined, profiles: undefined },
      { name: 'db', kind: 'datastore', exposed: false, replicas: undefined, profiles: undefined },
      // Published on 127.0.0.1 only: not exposed.
      { name: 'cache', kind: 'datastore', exposed: false, replicas: undefined, profiles: undefined },
    ]);
    expect(r.fragment.services.map((s) => s.ports)).toEqual([
      [
        { port: 80, published: true },
        { port: 443, published: true },
      ],
      [{ port: 8000 }],
      undefined,
      [{ port: 6379, published: true }],
    ]);
    expect(nets(r)).toEqual({ proxy: ['bridge'], app: ['bridge'], db: ['bridge'], cache: ['bridge'] });
    expect(r.fragment.segments.map((s) => [s.id, s.attributes])).toEqual([
      ['overlay:bridge', { kind: 'bridge', icc: true }],
    ]);
    // REDIS_HOST=cache is the same (app, cache, no port) call as the link, so it is not repeated.
    expect(calls(r)).toEqual([
      'proxy -> app (links)',
      'app -> db (links)',
      'app -> cache (links)',
      'app -> db:5432 (env)',
    ]);
    expect(r.fragment.rules.map((x) => x.id)).toEqual([
      'compose:v1-proxy-app-db/proxy/links/app',
      'compose:v1-proxy-app-db/app/links/db',
      'compose:v1-proxy-app-db/app/links/cache',
    ]);
  });
});

describe('Compose v2 networks', () => {
  it('loads the front/back sample: one segment per network, internal kept, aliases resolve', () => {
    const r = sample('v2-front-back.yml');
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.segments.map((s) => [s.id, s.attributes, s.source?.[0]?.line])).toEqual([
      [
        'overlay:v2-front-back_front',
        {
          kind: 'compose-network',
          project: 'v2-front-back',
          network: 'front',
          driver: 'bridge',
          internal: false,
          external: false,
          attachable: false,
        },
        71,
      ],
      [
        'overlay:v2-front-back_back',
        {
          kind: 'compose-network',
          project: 'v2-front-back',
          network: 'back',
          driver: 'bridge',
          internal: true,
          external: false,
          attachable: false,
        },
        73,
      ],
    ]);
    expect(nets(r)).toEqual({
      proxy: ['v2-front-back_front'],
      web: ['v2-front-back_front', 'v2-front-back_back'],
      api: ['v2-front-back_back'],
      db: ['v2-front-back_back'],
      sessions: ['v2-front-back_back'],
    });
    expect(brief(r)).toEqual([
      { name: 'proxy', kind: 'gateway', exposed: true, replicas: undefined, profiles: undefined },
      { name: 'web', kind: 'service', exposed: false, replicas: undefined, profiles: undefined },
      { name: 'api', kind: 'service', exposed: false, replicas: 2, profiles: undefined },
      { name: 'db', kind: 'datastore', exposed: false, replicas: undefined, profiles: undefined },
      { name: 'sessions', kind: 'datastore', exposed: false, replicas: undefined, profiles: undefined },
    ]);
    expect(r.fragment.services[1]?.labels).toEqual({
      'traefik.enable': 'true',
      'traefik.frontend.rule': 'Host:shop.example.com',
      'traefik.port': '3000',
    });
    expect(calls(r)).toEqual([
      'proxy -> web (depends_on)',
      'web -> api (depends_on)',
      'web -> api:4000 (env)',
      'api -> db (depends_on)',
      'api -> sessions (depends_on)',
      'api -> sessions:6379 (env)',
    ]);
    expect(r.fragment.rules).toEqual([]);
    expect(r.fragment.top).toEqual({
      extra: { compose: { 'public/samples/compose/v2-front-back.yml': { version: '2.4' } } },
    });
  });

  it('names external and explicitly named networks by their Docker name, and puts unnetworked services on default', () => {
    const r = read(
      'shop/docker-compose.yml',
      yaml(
        'version: "3.8"',
        'services:',
        '  api:',
        '    image: shop/api',
        '    networks: [edge, db]',
        '  worker:',
        '    image: shop/worker',
        '  legacy:',
        '    image: shop/legacy',
        '    networks:',
        '      default:',
        '      old: {}',
        'networks:',
        '  edge:',
        '    external: true',
        '  db:',
        '    name: shop-data',
        '    driver: overlay',
        '    attachable: true',
        '    ipam:',
        '      config:',
        '        - subnet: 172.28.0.0/16',
        '  old:',
        '    external:',
        '      name: legacy_net',
      ),
    );
    expect(r.diagnostics).toEqual([]);
    expect(
      r.fragment.segments.map((s) => ({ id: s.id, attributes: s.attributes, cidrs: s.cidrs, extra: s.extra })),
    ).toEqual([
      {
        id: 'overlay:edge',
        attributes: {
          kind: 'compose-network',
          project: 'shop',
          network: 'edge',
          internal: false,
          external: true,
          attachable: false,
        },
        cidrs: undefined,
        extra: undefined,
      },
      {
        id: 'overlay:shop-data',
        attributes: {
          kind: 'compose-network',
          project: 'shop',
          network: 'db',
          driver: 'overlay',
          internal: false,
          external: false,
          attachable: true,
        },
        cidrs: ['172.28.0.0/16'],
        extra: { name: 'shop-data', ipam: { config: [{ subnet: '172.28.0.0/16' }] } },
      },
      {
        id: 'overlay:legacy_net',
        attributes: {
          kind: 'compose-network',
          project: 'shop',
          network: 'old',
          internal: false,
          external: true,
          attachable: false,
        },
        cidrs: undefined,
        extra: undefined,
      },
      {
        id: 'overlay:shop_default',
        attributes: {
          kind: 'compose-network',
          project: 'shop',
          network: 'default',
          driver: 'bridge',
          internal: false,
          external: false,
          attachable: false,
        },
        cidrs: undefined,
        extra: undefined,
      },
    ]);
    expect(nets(r)).toEqual({
      api: ['edge', 'shop-data'],
      worker: ['shop_default'],
      legacy: ['shop_default', 'legacy_net'],
    });
  });

  it('puts every service on <project>_default when the file declares no networks', () => {
    const r = read(
      'compose.yaml',
      yaml('name: blog', 'services:', '  ghost: {image: ghost}', '  mysql: {image: mysql}'),
    );
    expect(nets(r)).toEqual({ ghost: ['blog_default'], mysql: ['blog_default'] });
    expect(r.fragment.segments.map((s) => s.id)).toEqual(['overlay:blog_default']);
    expect(r.fragment.segments[0]?.source).toEqual([{ file: 'compose.yaml', line: 3, column: 3 }]);
  });

  it('reports a service using an undeclared network, in list and map form', () => {
    const r = read(
      'compose.yaml',
      yaml(
        'services:', //         1
        '  a:', //              2
        '    image: x', //      3
        '    networks: [front, back]', // 4
        '  b:', //              5
        '    image: x', //      6
        '    networks:', //     7
        '      nope:', //       8
        '        aliases: [bee]', // 9
        'networks:', //         10
        '  front:', //          11
      ),
    );
    expect(where(r.diagnostics)).toEqual([
      '4:23 error service "a" uses network "back", which is not declared under the top-level networks',
      '8:7 error service "b" uses network "nope", which is not declared under the top-level networks',
    ]);
    expect(nets(r)).toEqual({ a: ['default_front'], b: [] });
  });
});

describe('Compose spec', () => {
  it('resolves anchors and merge keys (x-common + <<: *common) and keeps x- extensions', () => {
    const r = read(
      'shop/compose.yaml',
      yaml(
        'x-common: &common',
        '  restart: unless-stopped',
        '  networks: [back]',
        '  environment: &env',
        '    CART_URL: http://cart:8080',
        'services:',
        '  orders:',
        '    <<: *common',
        '    image: shop/orders',
        '  payments:',
        '    <<: *common',
        '    image: shop/payments',
        '    environment:',
        '      <<: *env',
        '      DB_HOST: db',
        '  cart:',
        '    <<: *common',
        '    image: shop/cart',
        '    x-team: checkout',
        '  db:',
        '    image: postgres',
        '    networks: [back]',
        'networks:',
        '  back:',
      ),
    );
    expect(r.diagnostics).toEqual([]);
    expect(nets(r)).toEqual({
      orders: ['shop_back'],
      payments: ['shop_back'],
      cart: ['shop_back'],
      db: ['shop_back'],
    });
    expect(calls(r)).toEqual(['orders -> cart:8080 (env)', 'payments -> cart:8080 (env)', 'payments -> db (env)']);
    expect(r.fragment.services[0]?.extra).toEqual({
      restart: 'unless-stopped',
      networks: ['back'],
      environment: { CART_URL: 'http://cart:8080' },
      image: 'shop/orders',
    });
    expect(r.fragment.services[2]?.extra?.['x-team']).toBe('checkout');
    expect(r.fragment.top).toEqual({
      extra: {
        compose: {
          'shop/compose.yaml': {
            'x-common': {
              restart: 'unless-stopped',
              networks: ['back'],
              environment: { CART_URL: 'http://cart:8080' },
            },
          },
        },
      },
    });
  });

  // https://docs.docker.com/reference/compose-file/services/#network_mode: `service:x` joins x's network
  // namespace; `host` and `none` are Docker's built-in networks of those names, one per host
  // (https://docs.docker.com/engine/network/drivers/host/, …/drivers/none/).
  it('gives network_mode: service:x the memberships of x, following chains; host and none are the built-in networks', () => {
    const r = read(
      'vpn/compose.yaml',
      yaml(
        'services:', //                   1
        '  vpn:', //                      2
        '    image: wireguard', //        3
        '    networks: [tunnel, lan]', // 4
        '  torrent:', //                  5
        '    image: qbittorrent', //      6
        '    network_mode: service:vpn', // 7
        '  sidecar:', //                  8
        '    image: exporter', //         9
        '    network_mode: "service:torrent"', // 10
        '  monitor:', //                  11
        '    image: netdata', //          12
        '    network_mode: host', //      13
        '  offline:', //                  14
        '    image: batch', //            15
        '    network_mode: none', //      16
        '  ghost:', //                    17
        '    image: x', //                18
        '    network_mode: service:nobody', // 19
        'networks:', //                   20
        '  tunnel:', //                   21
        '  lan:', //                      22
      ),
    );
    expect(nets(r)).toEqual({
      vpn: ['vpn_tunnel', 'vpn_lan'],
      torrent: ['vpn_tunnel', 'vpn_lan'],
      sidecar: ['vpn_tunnel', 'vpn_lan'],
      monitor: ['host'],
      offline: ['none'],
      ghost: [],
    });
    expect(r.fragment.segments.filter((s) => s.name === 'host' || s.name === 'none')).toEqual([
      {
        id: 'overlay:host',
        level: 'overlay',
        name: 'host',
        attributes: { kind: 'host' },
        source: [{ file: 'vpn/compose.yaml', line: 13, column: 5 }],
      },
      {
        id: 'overlay:none',
        level: 'overlay',
        name: 'none',
        attributes: { kind: 'none' },
        source: [{ file: 'vpn/compose.yaml', line: 16, column: 5 }],
      },
    ]);
    expect(where(r.diagnostics)).toEqual(['19:19 error network_mode names unknown service "nobody"']);
  });

  it('reads depends_on in list and map form and reports unknown targets where they are written', () => {
    const r = read(
      'app/compose.yaml',
      yaml(
        'services:', //              1
        '  web:', //                 2
        '    image: web', //         3
        '    depends_on: [api, cache, nope]', // 4
        '  api:', //                 5
        '    image: api', //         6
        '    depends_on:', //        7
        '      db:', //              8
        '        condition: service_healthy', // 9
        '      ghost:', //           10
        '        condition: service_started', // 11
        '  db:', //                  12
        '    image: postgres', //    13
        '  cache:', //               14
        '    image: redis', //       15
      ),
    );
    expect(calls(r)).toEqual(['web -> api (depends_on)', 'web -> cache (depends_on)', 'api -> db (depends_on)']);
    expect(where(r.diagnostics)).toEqual([
      '4:30 error service "web" depends on unknown service "nope"',
      '10:7 error service "api" depends on unknown service "ghost"',
    ]);
  });

  it('turns environment values naming services into calls, with ports, via names, aliases and container names', () => {
    const r = read(
      'shop/compose.yaml',
      yaml(
        'services:',
        '  front:',
        '    image: front',
        '    links: ["auth:login"]',
        '    environment:',
        '      - CART=http://cart:8080',
        '      - ORDERS_HOST=orders',
        '      - ORDERS_PORT=8081',
        '      - QUEUE=amqp://guest:guest@rabbit:5672/',
        '      - SEARCH=http://search-engine:9200',
        '      - LOGIN=https://login/oauth',
        '      - SELF=http://front:80',
        '      - NOTHING=http://localhost:3000',
        '      - EMPTY',
        '  cart:',
        '    image: cart',
        '    environment:',
        '      REDIS: redis://cache:6379/0',
        '      REDIS_AGAIN: cache:6379',
        '      RETRIES: 3',
        '  orders: {image: orders}',
        '  auth: {image: auth}',
        '  rabbit: {image: "rabbitmq:3"}',
        '  cache:',
        '    image: redis',
        '    container_name: shop-cache',
        '  search:',
        '    image: elasticsearch',
        '    networks:',
        '      default:',
        '        aliases: [search-engine]',
      ),
    );
    expect(r.diagnostics).toEqual([]);
    expect(calls(r)).toEqual([
      'front -> auth (links)',
      'front -> cart:8080 (env)',
      'front -> orders (env)',
      'front -> rabbit:5672 (env)',
      'front -> search:9200 (env)',
      'cart -> cache:6379 (env)',
    ]);
    expect(r.fragment.calls[1]?.source).toEqual({ file: 'shop/compose.yaml', line: 6, column: 9 });
    expect(r.fragment.calls[5]?.source).toEqual({ file: 'shop/compose.yaml', line: 18, column: 14 });
  });

  it('marks a service exposed only when a port is published on a non-loopback address', () => {
    const exposedOf = (ports: string) =>
      read('x/compose.yaml', yaml('services:', '  s:', '    image: app', `    ports: ${ports}`)).fragment.services[0]
        ?.exposed ?? false;
    expect(
      [
        '["8080:80"]',
        '["80"]',
        '["0.0.0.0:8080:80"]',
        '["[::]:8080:80"]',
        '["10.0.0.5:8080:80"]',
        '["127.0.0.1:8080:80"]',
        '["127.0.0.2:8080:80"]',
        '["::1:8080:80"]',
        '["127.0.0.1:8080:80", "127.0.0.1:8443:443"]',
        '[{target: 80, published: 8080, host_ip: 127.0.0.1}]',
        '[{target: 80, published: "8080"}]',
        '[]',
      ].map(exposedOf),
    ).toEqual([true, true, true, true, true, false, false, false, false, false, true, false]);
  });

  it('keeps profiles, deploy.replicas and scale, and labels in list form', () => {
    const r = read(
      'x/compose.yaml',
      yaml(
        'services:',
        '  a:',
        '    image: a',
        '    profiles: [debug, ops]',
        '    deploy: {replicas: 3}',
        '    labels: ["team=core", "tier"]',
        '  b:',
        '    image: b',
        '    scale: 0',
        '  c:',
        '    image: c',
        '    deploy: {replicas: many}',
      ),
    );
    expect(brief(r)).toEqual([
      { name: 'a', kind: 'service', exposed: false, replicas: 3, profiles: ['debug', 'ops'] },
      { name: 'b', kind: 'service', exposed: false, replicas: 0, profiles: undefined },
      { name: 'c', kind: 'service', exposed: false, replicas: undefined, profiles: undefined },
    ]);
    expect(r.fragment.services[0]?.labels).toEqual({ team: 'core', tier: '' });
    expect(where(r.diagnostics)).toEqual([
      '12:14 error services.c.deploy.replicas must be a whole number ≥ 0; ignored',
    ]);
  });

  it('applies same-file extends (own keys win) and reports unknown bases', () => {
    const r = read(
      'x/compose.yaml',
      yaml(
        'services:',
        '  base:',
        '    image: app',
        '    environment: {DB: "db:5432"}',
        '    networks: [back]',
        '  worker:',
        '    extends: base',
        '    command: work',
        '  web:',
        '    extends: {service: base}',
        '    networks: [front, back]',
        '  odd:',
        '    extends: {service: nobody}',
        '  db: {image: postgres, networks: [back]}',
        'networks: {front: {}, back: {}}',
      ),
    );
    expect(nets(r)).toEqual({
      base: ['x_back'],
      worker: ['x_back'],
      web: ['x_front', 'x_back'],
      odd: ['x_default'],
      db: ['x_back'],
    });
    expect(calls(r)).toEqual(['base -> db:5432 (env)', 'worker -> db:5432 (env)', 'web -> db:5432 (env)']);
    expect(where(r.diagnostics)).toEqual(['13:5 error service "odd" extends unknown service "nobody"']);
    expect(r.fragment.services[1]?.extra).toEqual({ extends: 'base', command: 'work' });
  });

  it('reports bad ports, wrong shapes and unknown top-level keys with positions', () => {
    const r = read(
      'x/compose.yaml',
      yaml(
        'services:', //               1
        '  web:', //                  2
        '    image: web', //          3
        '    ports:', //              4
        '      - "80:80/http"', //    5
        '      - "8080:80"', //       6
        '      - {published: 1}', //  7
        '    links: db', //           8
        '    networks: 5', //         9
        '  db: 42', //                10
        'volumez: {}', //             11
      ),
    );
    expect(where(r.diagnostics)).toEqual([
      '11:1 warn unknown top-level key "volumez"; kept but not interpreted',
      '10:3 error service "db" must be a map (image, build, ports, …); skipped',
      '5:9 error bad port "80:80/http": unknown protocol "http" (tcp, udp or sctp)',
      '7:9 error bad port: the long syntax needs "target" (the container port)',
      '9:5 error services.web.networks must be a list of network names or a map; ignored',
      '8:5 error services.web.links must be a list of service names; ignored',
    ]);
    expect(r.fragment.services.map((s) => [s.id, s.ports, s.exposed])).toEqual([
      ['compose:x/web', [{ port: 80, published: true }], true],
    ]);
  });

  it('uses variable defaults in ports and skips a variable without one', () => {
    const r = read(
      'x/compose.yaml',
      yaml(
        'services:',
        '  web:',
        '    image: web',
        '    ports:',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose interpolation, not a JS template
        '      - "${WEB_PORT:-8080}:80"',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose interpolation, not a JS template
        '      - "${TLS_PORT}:443"',
      ),
    );
    expect(r.fragment.services[0]?.ports).toEqual([{ port: 80, published: true }]);
    expect(where(r.diagnostics)).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose interpolation, not a JS template
      '6:9 warn ports entry "${TLS_PORT}:443" uses a variable without a default; skipped',
    ]);
  });

  // Found by `npm run fuzz` (seed 20261207): a `version` damaged to 1 lost every service. Version 1 files
  // have no `version` key and no `services` map; Compose today ignores `version` (compose-spec, "Version
  // top-level element (obsolete)"), so a file with `services` that says 1 loads its services, with a warning.
  it('version 1 beside a services map: read as the Compose specification, warned, nothing lost', () => {
    const r = read(
      'x/compose.yaml',
      yaml('version: 1', 'services:', '  web:', '    image: nginx', '  db:', '    image: postgres'),
    );
    expect(r.fragment.services.map((s) => s.id)).toEqual(['compose:x/web', 'compose:x/db']);
    expect(where(r.diagnostics)).toEqual(['1:10 warn unknown Compose version "1"; read as the Compose specification']);
    // Without `services` it is a v1 file, its services at the top level.
    const v1 = read('x/compose.yaml', yaml('version: 1', 'web:', '  image: nginx'));
    expect(v1.fragment.services.map((s) => s.id)).toEqual(['compose:x/web']);
  });

  it('reports "services" that is not a map', () => {
    const r = read('x/compose.yaml', yaml('version: "3"', 'services:', '  - web', '  - db'));
    expect(where(r.diagnostics)).toEqual(['2:1 error "services" must be a map of service name → definition']);
    expect(r.fragment.services).toEqual([]);
  });
});

describe('bad input', () => {
  it('reports malformed YAML at its position and still loads the valid rest', () => {
    const r = read(
      'shop/docker-compose.yml',
      yaml(
        'services:', //          1
        '  web:', //             2
        '    image: nginx', //   3
        '   links: [db]', //     4  (bad indentation)
        '  db:', //              5
        '    image: postgres', // 6
      ),
    );
    expect(where(r.diagnostics)).toEqual([
      '4:1 error invalid YAML: All mapping items must start at the same column',
      '1:1 warn the YAML has syntax errors; what could be read around them is loaded',
      '4:4 error service "links" must be a map (image, build, ports, …); skipped',
    ]);
    expect(r.fragment.services.map((s) => s.id)).toEqual(['compose:shop/web', 'compose:shop/db']);
  });

  it('reports a duplicate key and reads the later value', () => {
    const r = read(
      'x/compose.yaml',
      yaml('services:', '  web:', '    image: nginx', '  web:', '    image: httpd', '  db:', '    image: postgres'),
    );
    expect(where(r.diagnostics)).toEqual([
      '4:3 error invalid YAML: Map keys must be unique',
      '1:1 warn the YAML has syntax errors; what could be read around them is loaded',
    ]);
    expect(r.fragment.services.map((s) => [s.name, s.extra?.image])).toEqual([
      ['web', 'httpd'],
      ['db', 'postgres'],
    ]);
  });

  it('refuses an alias bomb with a diagnostic', () => {
    const r = read(
      'bomb/compose.yaml',
      yaml(
        'x-a: &a [x, x, x, x, x, x, x, x, x, x]',
        'x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
        'services:',
        '  web: {image: nginx, x-boom: *d}',
      ),
    );
    expect(where(r.diagnostics)).toEqual([
      '1:1 error YAML document 1 not loaded: Excessive alias count indicates a resource exhaustion attack',
    ]);
    expect(r.fragment).toEqual({ services: [], segments: [], calls: [], rules: [] });
  });

  it('treats __proto__ keys as plain data', () => {
    const r = read(
      'x/compose.yaml',
      yaml(
        'services:',
        '  __proto__:',
        '    image: evil',
        '    labels: {__proto__: polluted}',
        '  web:',
        '    image: web',
        '    environment: {__proto__: "db:5432"}',
        '    depends_on: [__proto__, constructor]',
        '  db: {image: postgres}',
      ),
    );
    expect(({} as Record<string, unknown>).image).toBeUndefined();
    expect(Object.getPrototypeOf(r.fragment.services[0]?.labels)).toBe(Object.prototype);
    expect(r.fragment.services.map((s) => s.id)).toEqual(['compose:x/__proto__', 'compose:x/web', 'compose:x/db']);
    expect(Object.entries(r.fragment.services[0]?.labels ?? {})).toEqual([['__proto__', 'polluted']]);
    expect(calls(r)).toEqual(['web -> __proto__ (depends_on)', 'web -> db:5432 (env)']);
    expect(where(r.diagnostics)).toEqual(['8:29 error service "web" depends on unknown service "constructor"']);
  });

  it('reads a file that is not a map as an error, never a throw', () => {
    expect(where(read('x/compose.yaml', '- a\n- b\n').diagnostics)).toEqual([
      '1:1 error a Compose file must be a map at the top level (services, networks, …)',
    ]);
    expect(read('x/compose.yaml', '').diagnostics).toEqual([]);
  });
});

describe('samples', () => {
  it('voting-app: two tiers, worker and stores on the back tier, the seed job gated by a profile', () => {
    const r = sample('voting-app.yml');
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.segments.map((s) => s.id)).toEqual([
      'overlay:voting-app_front-tier',
      'overlay:voting-app_back-tier',
    ]);
    expect(nets(r)).toEqual({
      vote: ['voting-app_front-tier', 'voting-app_back-tier'],
      result: ['voting-app_front-tier', 'voting-app_back-tier'],
      worker: ['voting-app_back-tier'],
      redis: ['voting-app_back-tier'],
      db: ['voting-app_back-tier'],
      seed: ['voting-app_front-tier'],
    });
    expect(brief(r)).toEqual([
      { name: 'vote', kind: 'service', exposed: true, replicas: undefined, profiles: undefined },
      { name: 'result', kind: 'service', exposed: true, replicas: undefined, profiles: undefined },
      { name: 'worker', kind: 'service', exposed: false, replicas: undefined, profiles: undefined },
      { name: 'redis', kind: 'datastore', exposed: false, replicas: undefined, profiles: undefined },
      { name: 'db', kind: 'datastore', exposed: false, replicas: undefined, profiles: undefined },
      { name: 'seed', kind: 'service', exposed: false, replicas: undefined, profiles: ['seed'] },
    ]);
    expect(calls(r)).toEqual([
      'vote -> redis (depends_on)',
      'result -> db (depends_on)',
      'result -> db:5432 (env)',
      'worker -> redis (depends_on)',
      'worker -> db (depends_on)',
      'seed -> vote (depends_on)',
      'seed -> vote:80 (env)',
    ]);
    // Merge keys inside healthcheck resolved.
    expect(r.fragment.services[3]?.extra?.healthcheck).toEqual({
      interval: '5s',
      timeout: '3s',
      retries: 5,
      test: ['CMD', 'redis-cli', 'ping'],
    });
  });

  it('sock-shop: three networks (data is internal), env-var addresses become calls', () => {
    const r = sample('sock-shop.yml');
    expect(r.diagnostics).toEqual([]);
    expect(r.fragment.segments.map((s) => [s.id, s.attributes?.internal])).toEqual([
      ['overlay:sock-shop_public', false],
      ['overlay:sock-shop_backend', false],
      ['overlay:sock-shop_data', true],
    ]);
    const P = 'sock-shop_public';
    const B = 'sock-shop_backend';
    const D = 'sock-shop_data';
    expect(nets(r)).toEqual({
      'edge-router': [P],
      'front-end': [P, B],
      catalogue: [B, D],
      'catalogue-db': [D],
      carts: [B, D],
      'carts-db': [D],
      orders: [B, D],
      'orders-db': [D],
      shipping: [B],
      'queue-master': [B],
      rabbitmq: [B],
      payment: [B],
      user: [B, D],
      'user-db': [D],
      'user-sim': [P],
    });
    expect(r.fragment.services.filter((s) => s.kind !== 'service').map((s) => `${s.name}:${s.kind}`)).toEqual([
      'edge-router:gateway',
      'catalogue-db:datastore',
      'carts-db:datastore',
      'orders-db:datastore',
      'rabbitmq:datastore',
      'user-db:datastore',
    ]);
    expect(r.fragment.services.filter((s) => s.exposed).map((s) => s.name)).toEqual(['edge-router']);
    expect(r.fragment.services.filter((s) => s.replicas !== undefined).map((s) => [s.name, s.replicas])).toEqual([
      ['front-end', 2],
      ['carts', 2],
    ]);
    expect(r.fragment.services.find((s) => s.name === 'user-sim')?.profiles).toEqual(['load-test']);
    expect(calls(r)).toEqual([
      'edge-router -> front-end:8079 (env)',
      'front-end -> catalogue (env)',
      'front-end -> carts:80 (env)',
      'front-end -> orders (env)',
      'front-end -> user:80 (env)',
      'catalogue -> catalogue-db:3306 (env)',
      'carts -> carts-db:27017 (env)',
      'orders -> orders-db:27017 (env)',
      'orders -> carts (env)',
      'orders -> payment:80 (env)',
      'orders -> shipping (env)',
      'orders -> user:80 (env)',
      'shipping -> rabbitmq (env)',
      'queue-master -> rabbitmq (env)',
      'user -> user-db:27017 (env)',
      'user-sim -> edge-router (env)',
    ]);
    // The hardening anchor reached carts through two levels of merge keys.
    expect(r.fragment.services.find((s) => s.name === 'carts')?.extra?.cap_add).toEqual(['NET_BIND_SERVICE']);
    expect(r.fragment.services.find((s) => s.name === 'carts')?.extra?.read_only).toBe(true);
  });
});

describe('robustness', () => {
  const wellPlaced = (r: ReadResult) => r.diagnostics.every((d) => d.line >= 1 && d.column >= 1 && d.message !== '');
  const serviceKeys = fc.constantFrom(
    'image',
    'build',
    'links',
    'depends_on',
    'networks',
    'ports',
    'expose',
    'environment',
    'network_mode',
    'net',
    'labels',
    'profiles',
    'deploy',
    'scale',
    'extends',
    'container_name',
  );
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(fc.constantFrom('a', 'b', 'web', 'a:x', '80:80', '127.0.0.1::9', 'service:a', 'http://b:1', '__proto__')),
  );
  const service = fc.dictionary(serviceKeys, value, { maxKeys: 6 });

  it('never throws on arbitrary service and network definitions, and places every diagnostic', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'web', '__proto__', 'constructor'), service, { maxKeys: 4 }),
        fc.option(fc.jsonValue({ maxDepth: 2 })),
        fc.constantFrom(undefined, '2', '3.8', '1'),
        (services, networks, version) => {
          const r = read('f/compose.yaml', stringify({ version, services, networks }));
          expect(wellPlaced(r)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text under a services key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(wellPlaced(read('docker-compose.yml', `services:\n${text}`))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
