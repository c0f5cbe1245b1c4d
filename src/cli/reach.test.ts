import { describe, expect, it } from 'vitest';
import { main } from './main';
import { reachCommandRun } from './reach';
import { fakeIo } from './testing';

const ESTATE = 'public/samples/shop-estate.segscope.json';
const K8S = 'public/samples/k8s/shop.yaml';

describe('segscope reach', () => {
  it('prints the documented JSON with each level, rule and source', async () => {
    const { io, out, err } = fakeIo();
    expect(
      await reachCommandRun([K8S, '--from', 'frontend', '--to', 'orders-db', '--port', '5432', '--json'], io),
    ).toBe(0);
    expect(err).toEqual([]);
    const r = JSON.parse(out.join(''));
    expect(Object.keys(r)).toEqual(['from', 'to', 'port', 'protocol', 'reachable', 'levels']);
    expect([r.from, r.to, r.port, r.reachable]).toEqual(['k8s:shop/frontend', 'k8s:data/orders-db', 5432, false]);
    expect(r.levels.policy).toEqual({
      verdict: 'deny',
      reason:
        'frontend is selected for egress and no rule allows orders-db on TCP 5432: NetworkPolicy shop/frontend-egress isolates frontend for egress.',
      rule: {
        id: 'k8s:shop/netpol/frontend-egress',
        type: 'k8s-network-policy',
        summary: 'NetworkPolicy shop/frontend-egress isolates frontend for egress',
      },
      source: { file: K8S, line: r.levels.policy.source.line, column: 1 },
      fix: 'add to NetworkPolicy shop/frontend-egress an egress rule to podSelector app=orders-db in namespace data on TCP 5432',
    });
    expect(
      Object.fromEntries(Object.entries(r.levels).map(([k, v]) => [k, (v as { verdict: string }).verdict])),
    ).toEqual({
      account: 'open',
      role: 'open',
      network: 'allow',
      group: 'open',
      policy: 'deny',
      overlay: 'open',
    });
  });

  it('prints readable text', async () => {
    const { io, out } = fakeIo();
    expect(await reachCommandRun([ESTATE, '--from', 'orders', '--to', 'db-orders', '--port', '5432'], io)).toBe(0);
    const lines = out.join('').split('\n');
    expect(lines[0]).toBe('orders → db-orders:5432/TCP: not reachable (denied at group)');
    expect(lines).toContain('  group    deny   No ingress rule on sg-db allows tcp 5432 from orders into db-orders.');
    expect(lines).toContain('                  fix: add ingress tcp 5432 from sg-batch to sg-db');
  });

  it('lists candidates when a name is ambiguous or unknown', async () => {
    const { io, err } = fakeIo();
    const files = ['public/samples/compose/v1-proxy-app-db.yml', 'public/samples/compose/voting-app.yml'];
    expect(await main(['reach', ...files, '--from', 'db', '--to', 'app'], io)).toBe(2);
    expect(err).toEqual([
      'segscope reach: --from "db" names 2 services; use one of their ids',
      'candidates:\n  compose:v1-proxy-app-db/db\n  compose:voting-app/db',
    ]);
    const unknown = fakeIo();
    expect(await main(['reach', ESTATE, '--from', 'nosuch', '--to', 'web'], unknown.io)).toBe(2);
    expect(unknown.err).toEqual(['segscope reach: --from no service "nosuch"']);
  });

  it('requires --from and --to', async () => {
    const { io, err } = fakeIo();
    expect(await main(['reach', ESTATE, '--from', 'web'], io)).toBe(2);
    expect(err.join('')).toContain('--from and --to are required');
  });

  it('--ephemeral-ports sets the NACL response range: the sample assumes Linux clients, 1024-65535 blocks the response', async () => {
    const run = async (...extra: string[]) => {
      const { io, out } = fakeIo();
      const args = ['public/samples/aws-nacl', '--from', 'api', '--to', 'session-cache', '--port', '6379', '--json'];
      expect(await reachCommandRun([...args, ...extra], io)).toBe(0);
      const r = JSON.parse(out.join(''));
      return [r.reachable, r.levels.network.rule?.summary];
    };
    expect(await run()).toEqual([true, 'both in VPC payments-vpc']);
    expect(await run('--ephemeral-ports', '1024-65535')).toEqual([
      false,
      'data-nacl outbound rule *: deny tcp 1024-65535 to api',
    ]);
    const { io, err } = fakeIo();
    expect(() =>
      reachCommandRun(['public/samples/aws-nacl', '--from', 'api', '--to', 'web', '--ephemeral-ports', '70000-1'], io),
    ).toThrow('--ephemeral-ports: from and to must be whole numbers from 1 to 65535');
    expect(err).toEqual([]);
  });
  // AWS VPC User Guide: from the internet only to a public address whose subnet routes to an internet gateway
  // ("Enable internet access for a subnet"); out through a NAT gateway, which lets nothing in ("NAT gateways").
  it('an end given as an IP address no service holds is an outside peer: internet and NAT gateways, ACLs', async () => {
    const run = async (from: string, to: string, port: string) => {
      const { io, out } = fakeIo();
      expect(
        await reachCommandRun(['public/samples/aws-bundle', '--from', from, '--to', to, '--port', port, '--json'], io),
      ).toBe(0);
      const r = JSON.parse(out.join(''));
      return [r.from, r.to, r.reachable, r.levels.network.verdict, r.levels.network.rule?.summary];
    };
    expect(await run('198.51.100.7', 'web', '443')).toEqual([
      'address:198.51.100.7',
      'aws:i-0e5b0000000000b01',
      true,
      'allow',
      'public: 0.0.0.0/0 → igw-0e5b7c9d1f3a50001',
    ]);
    // admin has a public address, but its subnet's table sends internet-bound traffic to a NAT gateway.
    expect((await run('198.51.100.7', 'admin', '22')).slice(2, 4)).toEqual([false, 'deny']);
    expect((await run('api', '198.51.100.7', '443')).slice(2)).toEqual([
      true,
      'allow',
      'private-main: 0.0.0.0/0 → nat-0e5b00000000000f1',
    ]);
    expect((await run('orders-db', '198.51.100.7', '443')).slice(2)).toEqual([
      false,
      'deny',
      'data-nacl outbound rule *: deny tcp 443 to 198.51.100.7',
    ]);
    // An address a service holds is that service.
    expect((await run('10.40.0.10', 'api', '8080')).slice(0, 3)).toEqual([
      'aws:i-0e5b0000000000b01',
      'aws:i-0e5b0000000000b02',
      true,
    ]);
  });
});
