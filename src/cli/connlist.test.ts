import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connlist } from './connlist';
import { main } from './main';
import { fakeIo } from './testing';

const BEFORE = 'src/analysis/testdata/connlist/before';

// Hand-checked against the manifests: frontend admits the world minus 10/8 on http and may call the api
// tier and DNS; backend admits the web tier on api and team=ops on metrics; db admits the api tier on pg
// and sends nothing (egress isolated, no rule); monitor (ops, no policy) is open both ways.
const EXPECTED = [
  '0.0.0.0-9.255.255.255 => ops/monitor : all',
  '0.0.0.0-9.255.255.255 => shop/frontend : TCP 8080',
  '10.0.0.0-10.255.255.255 => ops/monitor : all',
  '11.0.0.0-255.255.255.255 => ops/monitor : all',
  '11.0.0.0-255.255.255.255 => shop/frontend : TCP 8080',
  'ops/monitor => 0.0.0.0-255.255.255.255 : all',
  'ops/monitor => shop/backend : TCP 9100',
  'shop/backend => 0.0.0.0-255.255.255.255 : all',
  'shop/backend => ops/monitor : all',
  'shop/backend => shop/db : TCP 5432',
  'shop/frontend => 0.0.0.0-255.255.255.255 : TCP 53,UDP 53',
  'shop/frontend => ops/monitor : TCP 53,UDP 53',
  'shop/frontend => shop/backend : TCP 9090',
];

describe('segscope connlist', () => {
  it('reads a directory, notes the skipped file, prints one line per pair', async () => {
    const { io, out, err } = fakeIo();
    expect(await connlist([BEFORE], io)).toBe(0);
    expect(err).toEqual([`segscope connlist: note: skipped ${BEFORE}/README.md (not .yaml, .yml or .json)`]);
    expect(out.join('\n').split('\n')).toEqual(EXPECTED);
  });

  it('--format txt prints the layout of Kubernetes connectivity analyzers: ns/name[Kind], All Connections, sources cut at ingress CIDRs, destinations at egress CIDRs', async () => {
    const { io, out } = fakeIo();
    expect(await connlist([BEFORE, '--format', 'txt'], io)).toBe(0);
    // The same sets and ranges as EXPECTED: the reference cuts each direction at its own rules' CIDRs
    // (published: anp_and_banp_using_networks_and_nodes_test, ingress from the whole range, egress cut).
    expect(out.join('\n').split('\n')).toEqual([
      '0.0.0.0-9.255.255.255 => ops/monitor[DaemonSet] : All Connections',
      '0.0.0.0-9.255.255.255 => shop/frontend[Deployment] : TCP 8080',
      '10.0.0.0-10.255.255.255 => ops/monitor[DaemonSet] : All Connections',
      '11.0.0.0-255.255.255.255 => ops/monitor[DaemonSet] : All Connections',
      '11.0.0.0-255.255.255.255 => shop/frontend[Deployment] : TCP 8080',
      'ops/monitor[DaemonSet] => 0.0.0.0-255.255.255.255 : All Connections',
      'ops/monitor[DaemonSet] => shop/backend[Deployment] : TCP 9100',
      'shop/backend[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
      'shop/backend[Deployment] => ops/monitor[DaemonSet] : All Connections',
      'shop/backend[Deployment] => shop/db[StatefulSet] : TCP 5432',
      'shop/frontend[Deployment] => 0.0.0.0-255.255.255.255 : TCP 53,UDP 53',
      'shop/frontend[Deployment] => ops/monitor[DaemonSet] : TCP 53,UDP 53',
      'shop/frontend[Deployment] => shop/backend[Deployment] : TCP 9090',
    ]);
    const bad = fakeIo();
    expect(() => connlist([BEFORE, '--format', 'dot'], bad.io)).toThrow('--format dot');
  });

  it('--json gives {connections: [{from, to, ports}]} in the same order', async () => {
    const { io, out } = fakeIo();
    expect(
      await main(
        ['connlist', `${BEFORE}/namespaces.yaml`, `${BEFORE}/workloads.yaml`, `${BEFORE}/policies.yaml`, '--json'],
        io,
      ),
    ).toBe(0);
    const doc = JSON.parse(out.join(''));
    expect(Object.keys(doc)).toEqual(['connections']);
    expect(doc.connections.slice(0, 2)).toEqual([
      { from: '0.0.0.0-9.255.255.255', to: 'ops/monitor', ports: 'all' },
      { from: '0.0.0.0-9.255.255.255', to: 'shop/frontend', ports: ['TCP 8080'] },
    ]);
    expect(
      doc.connections.map(
        (c: { from: string; to: string; ports: 'all' | string[] }) =>
          `${c.from} => ${c.to} : ${c.ports === 'all' ? 'all' : c.ports.join(',')}`,
      ),
    ).toEqual(EXPECTED);
  });

  it('without the Namespace labels, namespaceSelector {team: ops} selects nothing', async () => {
    const { io, out } = fakeIo();
    expect(await connlist([`${BEFORE}/workloads.yaml`, `${BEFORE}/policies.yaml`], io)).toBe(0);
    expect(out.join('\n').split('\n')).toEqual(EXPECTED.filter((l) => l !== 'ops/monitor => shop/backend : TCP 9100'));
  });

  it('reports import problems on stderr as file:line:column and still lists the valid rest', async () => {
    const { io, out, err } = fakeIo();
    const broken = 'src/analysis/testdata/connlist/broken.yaml';
    expect(await connlist([`${BEFORE}/workloads.yaml`, broken], io)).toBe(0);
    expect(err.map((e) => e.split(': ').slice(0, 2).join(': '))).toEqual([
      `${broken}:8:13: error`,
      `${broken}:9:23: error`,
      `${broken}:2:1: error`,
    ]);
    // The broken policy is skipped: four open workloads, 4 × 3 pairs plus each to and from the world.
    const lines = out.join('\n').split('\n');
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe('0.0.0.0-255.255.255.255 => ops/monitor : all');
    expect(lines).toContain('shop/db => shop/frontend : all');
  });

  it('exits 2 on an unreadable path and on usage errors', async () => {
    const a = fakeIo();
    expect(await connlist(['no/such/file.yaml'], a.io)).toBe(2);
    expect(a.err).toEqual(['segscope connlist: cannot read no/such/file.yaml: ENOENT']);
    const b = fakeIo();
    expect(await main(['connlist'], b.io)).toBe(2);
    expect(b.err[0]).toContain('name at least one FILE or directory');
    const c = fakeIo();
    expect(await main(['connlist', BEFORE, '--yaml'], c.io)).toBe(2);
    expect(c.err[0]).toContain('unknown option --yaml');
  });

  // AWS VPC User Guide, "Ephemeral ports": a NACL must allow the client's whole ephemeral range for the
  // response. The sample's settings assume Linux clients (32768-60999), which data-nacl lets back to api;
  // 1024-65535 meets its `*` deny for 1024-32767, so api's calls into the data subnet disappear.
  it('--ephemeral-ports sets the NACL response range the connections are computed with', async () => {
    const run = async (...extra: string[]) => {
      const { io, out, err } = fakeIo();
      expect(await connlist(['public/samples/aws-nacl', ...extra], io)).toBe(0);
      expect(err).toEqual([]);
      return out.join('\n').split('\n');
    };
    const linux = await run();
    expect(linux.filter((l) => l.startsWith('api => '))).toEqual([
      'api => batch : all',
      'api => ledger-db : TCP 5432,TCP 6379',
      'api => session-cache : TCP 5432,TCP 6379',
    ]);
    expect(await run('--ephemeral-ports', '32768-60999')).toEqual(linux);
    const wide = await run('--ephemeral-ports=1024-65535');
    expect(wide).toEqual(linux.filter((l) => !/^api => (ledger-db|session-cache) /.test(l)));
    const bad = fakeIo();
    expect(await main(['connlist', 'public/samples/aws-nacl', '--ephemeral-ports', '9-x'], bad.io)).toBe(2);
    expect(bad.err[0]).toContain('--ephemeral-ports: ');
  });
});

// Cilium's policyEnforcementMode (docs.cilium.io, security/policy/intro, "Policy Enforcement Modes").
describe('segscope connlist --cilium-enforcement', () => {
  const run = async (...extra: string[]) => {
    const { io, out } = fakeIo();
    expect(await connlist(['public/samples/k8s/cilium-policies.yaml', ...extra], io)).toBe(0);
    return out.join('').split('\n').filter(Boolean);
  };
  it('always: a pod no rule selects (tools/debug) talks to nothing; only what rules allow is listed', async () => {
    expect(await run('--cilium-enforcement', 'always')).toEqual([
      'store/api => 0.0.0.0-255.255.255.255 : UDP 123',
      'store/api => store/db : TCP 5432',
      'store/api => tools/prometheus : TCP 9090,UDP 9090,SCTP 9090',
      'store/db => 0.0.0.0-255.255.255.255 : UDP 123',
      'store/db => tools/prometheus : TCP 9090,UDP 9090,SCTP 9090',
      'store/frontend => 0.0.0.0-255.255.255.255 : UDP 123',
      'store/frontend => store/api : TCP 8080',
      'store/frontend => tools/prometheus : TCP 9090,UDP 9090,SCTP 9090',
      'store/reports => 0.0.0.0-255.255.255.255 : UDP 123',
      'store/reports => store/api : TCP 8080',
      'store/reports => tools/prometheus : TCP 9090,UDP 9090,SCTP 9090',
    ]);
    // default: tools/debug, selected by no rule, is open both ways.
    const def = await run('--cilium-enforcement', 'default');
    expect(def).toEqual(await run());
    expect(def).toContain('tools/debug => tools/prometheus : all');
  });
  it('never: every pair of the six pods and the world, both ways, on every port', async () => {
    const lines = await run('--cilium-enforcement', 'never');
    expect(lines).toHaveLength(6 * 5 + 6 + 6);
    expect(lines.every((l) => l.endsWith(' : all'))).toBe(true);
    const { io } = fakeIo();
    expect(() =>
      connlist(['public/samples/k8s/cilium-policies.yaml', '--cilium-enforcement', 'sometimes'], io),
    ).toThrow('--cilium-enforcement takes default, always, never');
  });
});

// Kubernetes leaves NetworkPolicy on hostNetwork pods to the plugin (network-policies, "NetworkPolicy and
// hostNetwork pods"): ignored by selectors (node, the default) or selected and matched like pods (pod).
describe('segscope connlist --host-network', () => {
  const dir = mkdtempSync(join(tmpdir(), 'connlist-hostnet-'));
  const file = join(dir, 'bank.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: ui, namespace: demo, labels: {app: ui}}',
      'spec: {hostNetwork: true, containers: [{name: c, image: x}]}\nstatus: {podIP: 10.1.0.4, hostIP: 10.1.0.4}\n---',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: query, namespace: demo, labels: {app: query}}',
      'spec: {hostNetwork: true, containers: [{name: c, image: x}]}\nstatus: {podIP: 10.1.0.6, hostIP: 10.1.0.6}\n---',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: query-to-ui, namespace: demo}',
      'spec: {podSelector: {matchLabels: {app: ui}}, ingress: [{from: [{podSelector: {matchLabels: {app: query}}}], ports: [{port: 8080}]}]}',
    ].join('\n'),
  );
  const run = async (...extra: string[]) => {
    const { io, out } = fakeIo();
    expect(await connlist([file, ...extra], io)).toBe(0);
    return out.join('').split('\n').filter(Boolean);
  };
  it('pod: the policy selects the hostNetwork pod ui and admits query on 8080 only', async () => {
    expect(await run('--host-network', 'pod')).toEqual(
      [
        'demo/query => 0.0.0.0-255.255.255.255 : all',
        'demo/query => demo/ui : TCP 8080',
        'demo/ui => 0.0.0.0-255.255.255.255 : all',
        'demo/ui => demo/query : all',
        '0.0.0.0-255.255.255.255 => demo/query : all',
      ].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
  it('node (the default): the policy is not enforced on a hostNetwork pod, every pair is open', async () => {
    const lines = await run('--host-network', 'node');
    expect(lines).toEqual(await run());
    expect(lines).toContain('demo/query => demo/ui : all');
    expect(lines).toContain('0.0.0.0-255.255.255.255 => demo/ui : all');
    const { io } = fakeIo();
    expect(() => connlist([file, '--host-network', 'host'], io)).toThrow('--host-network takes node, pod');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('segscope connlist usage errors: which one wins', () => {
  // Options are checked in one order before any file is read: unknown option, --format,
  // --cilium-enforcement, --ephemeral-ports, then the missing FILE (settingsFlags in io.ts).
  const firstError = (...args: string[]) => {
    const { io } = fakeIo();
    try {
      connlist(args, io);
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  };
  it('a bad --format wins over bad settings; a bad Cilium mode wins over a bad port range', () => {
    expect(firstError('x.yaml', '--format', 'dot', '--cilium-enforcement', 'sometimes')).toMatch(/^--format dot:/);
    expect(firstError('x.yaml', '--cilium-enforcement', 'sometimes', '--ephemeral-ports', '9-x')).toBe(
      '--cilium-enforcement takes default, always, never',
    );
    expect(firstError('x.yaml', '--ephemeral-ports', '9-x')).toMatch(/^--ephemeral-ports: /);
  });
  it('a bad setting wins over a missing FILE; with good settings the missing FILE is the error', () => {
    expect(firstError('--cilium-enforcement', 'sometimes')).toBe('--cilium-enforcement takes default, always, never');
    expect(firstError('--ephemeral-ports', '9-x')).toMatch(/^--ephemeral-ports: /);
    expect(firstError('--cilium-enforcement', 'always', '--ephemeral-ports', '1024-65535')).toBe(
      'name at least one FILE or directory',
    );
  });
});

// Istio authorization (istio.io reference/config/security/authorization-policy, peer_authentication): the
// sidecar checks TCP only, so UDP and SCTP are listed wherever NetworkPolicy lets them through.
describe('segscope connlist on the Istio bookinfo sample', () => {
  it('lists each caller its ALLOW policy names on its port; STRICT mTLS and the root DENY leave only UDP/SCTP', async () => {
    const { io, out } = fakeIo();
    expect(await connlist(['public/samples/k8s/istio-bookinfo.yaml'], io)).toBe(0);
    const lines = out.join('').split('\n').filter(Boolean);
    const to = (target: string) => lines.filter((l) => l.includes(` => ${target} :`));
    expect(to('bookinfo/reviews')).toEqual([
      '0.0.0.0-255.255.255.255 => bookinfo/reviews : UDP 1-65535,SCTP 1-65535',
      'bookinfo/details => bookinfo/reviews : UDP 1-65535,SCTP 1-65535',
      'bookinfo/mysqldb => bookinfo/reviews : UDP 1-65535,SCTP 1-65535',
      'bookinfo/productpage => bookinfo/reviews : TCP 9080,UDP 1-65535,SCTP 1-65535',
      'bookinfo/ratings => bookinfo/reviews : UDP 1-65535,SCTP 1-65535',
      'legacy/reports => bookinfo/reviews : UDP 1-65535,SCTP 1-65535',
      'tools/debug => bookinfo/reviews : UDP 1-65535,SCTP 1-65535',
    ]);
    // The NetworkPolicy on mysqldb admits ratings on TCP 3306 only, and so does Istio: both must allow.
    expect(to('bookinfo/mysqldb')).toEqual(['bookinfo/ratings => bookinfo/mysqldb : TCP 3306']);
    // Outside the mesh nothing of Istio applies to legacy/reports.
    expect(lines).toContain('tools/debug => legacy/reports : all');
  });
});
