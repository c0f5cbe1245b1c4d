import { describe, expect, it, vi } from 'vitest';
import { applyCommand } from '../../model/commands';
import type { Segment, Service, SgPermissionRule, Workspace } from '../../model/types';
import { load, normalise, reimport, sampleFiles } from '../testing';
import { awsReader } from './read';
import { exportAwsSg } from './write';

const AWS = 'public/samples/aws';

/** Role memberships as the analysis reads them: an instance profile stands for the role it belongs to. */
const resolveRoles = (ws: Workspace, parents: Map<string, string>): Workspace => ({
  ...ws,
  services: ws.services.map((s) =>
    s.memberships.role
      ? { ...s, memberships: { ...s.memberships, role: s.memberships.role.map((r) => parents.get(r) ?? r) } }
      : s,
  ),
});
const profileParents = (...wss: Workspace[]) =>
  new Map(
    wss.flatMap((w) =>
      w.segments.flatMap((s) =>
        s.attributes?.kind === 'instance-profile' && s.parent ? [[s.id, s.parent] as const] : [],
      ),
    ),
  );

/** Compare what survives: Terraform rule ids are renumbered as permissions, Terraform addresses are not AWS CLI data. */
const same = (before: Workspace, after: Workspace) => {
  const parents = profileParents(before, after);
  const opts = { dropExtra: ['terraformAddress'], ruleIds: false };
  expect(normalise(resolveRoles(after, parents), opts)).toEqual(normalise(resolveRoles(before, parents), opts));
  // Every CLI rule keeps its id; Terraform rules come back under CLI ids of their own.
  const ids = new Set(after.rules.map((r) => r.id));
  expect(before.rules.filter((r) => !r.id.startsWith('tf:') && !ids.has(r.id))).toEqual([]);
  expect(after.rules).toHaveLength(before.rules.length);
};

const files = (ws: Workspace) => {
  const out = exportAwsSg(ws);
  const json = (name: string) => {
    const f = out.files.find((x) => x.name === name);
    if (!f) throw new Error(`no ${name} in ${out.files.map((x) => x.name).join(', ')}`);
    return JSON.parse(f.text);
  };
  return { out, json };
};

describe('exportAwsSg round trip', () => {
  it('every AWS sample together: the same services, memberships and rules', () => {
    const ws = load(sampleFiles(AWS));
    const out = exportAwsSg(ws);
    expect(out.files.map((f) => f.name)).toEqual([
      'list-accounts.json',
      'get-account-authorization-details.json',
      'describe-vpcs.json',
      'describe-subnets.json',
      'describe-security-groups.json',
      'get-managed-prefix-list-entries-pl-0c47f1b2a9e3d5687.json',
      'describe-vpc-peering-connections.json',
      'describe-instances.json',
      'describe-network-interfaces.json',
    ]);
    const back = reimport(out);
    expect(back.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    same(ws, back.workspace);
  });

  it.each([
    'describe-instances.json',
    'describe-network-interfaces.json',
    'describe-security-groups.json',
    'describe-subnets.json',
    'describe-vpc-peering-connections.json',
    'describe-vpcs.json',
    'get-account-authorization-details.json',
    'get-managed-prefix-list-entries-pl-0c47f1b2a9e3d5687.json',
    'list-accounts.json',
  ])('%s alone comes back exactly, rule ids included', (file) => {
    const ws = load(sampleFiles(`${AWS}/${file}`));
    const back = reimport(exportAwsSg(ws)).workspace;
    expect(normalise(back)).toEqual(normalise(ws));
  });

  it('terraform-state.json: the same rules under CLI ids, instances through their instance profile', () => {
    const ws = load(sampleFiles(`${AWS}/terraform-state.json`));
    const out = exportAwsSg(ws);
    same(ws, reimport(out).workspace);
    expect(out.notes).toContain(
      "instances that run as an IAM role are written with its instance profile, which reads back as their role membership (the profile's parent is the role)",
    );
  });

  it('keeps the permissions of describe-security-groups as they were grouped', () => {
    const ws = load(sampleFiles(`${AWS}/describe-security-groups.json`));
    const { json } = files(ws);
    // PeeringStatus of a group reference is not in the model.
    const original = JSON.parse(
      (sampleFiles(`${AWS}/describe-security-groups.json`)[0]?.text ?? '').replace(
        /,\s*"PeeringStatus": "active"/g,
        '',
      ),
    );
    const perms = (doc: { SecurityGroups: Record<string, unknown>[] }) =>
      doc.SecurityGroups.map((g) => [g.GroupId, g.IpPermissions, g.IpPermissionsEgress]);
    expect(perms(json('describe-security-groups.json'))).toEqual(perms(original));
  });
});

describe('exportAwsSg of an edited workspace', () => {
  it('an instance moved to another group: its interface lists the new group', () => {
    const ws = applyCommand(load(sampleFiles(AWS)), {
      type: 'moveService',
      service: 'aws:i-0a7f3c9e1b5d20005',
      level: 'group',
      from: 'group:sg-0a5c1e7d3b9f20002',
      to: 'group:sg-0a5c1e7d3b9f20003',
    });
    const { json, out } = files(ws);
    const web1 = json('describe-instances.json').Reservations[0].Instances.find(
      (i: { InstanceId: string }) => i.InstanceId === 'i-0a7f3c9e1b5d20005',
    );
    expect(web1.NetworkInterfaces[0].Groups).toEqual([
      { GroupName: 'prod-api', GroupId: 'sg-0a5c1e7d3b9f20003' },
      { GroupName: 'prod-common', GroupId: 'sg-0a5c1e7d3b9f20007' },
    ]);
    const back = reimport(out).workspace;
    expect(back.services.find((s) => s.id === 'aws:i-0a7f3c9e1b5d20005')?.memberships.group).toEqual([
      'group:sg-0a5c1e7d3b9f20003',
      'group:sg-0a5c1e7d3b9f20007',
    ]);
  });

  it('an added rule joins a permission of the same ports or starts its own; a removed one is gone', () => {
    const ws = load(sampleFiles(`${AWS}/describe-security-groups.json`));
    const rules = ws.rules.filter((r) => r.id !== 'sg:sg-0a5c1e7d3b9f20001:ingress:1:1');
    const added = (id: string, fromPort: number, cidr: string): SgPermissionRule => ({
      id,
      type: 'sg-permission',
      level: 'group',
      group: 'group:sg-0a5c1e7d3b9f20001',
      direction: 'ingress',
      protocol: 'tcp',
      fromPort,
      toPort: fromPort,
      peer: { kind: 'cidr', cidr },
      description: 'added',
    });
    rules.push(added('new-1', 443, '198.51.100.0/24'), added('new-2', 8443, '198.51.100.0/24'));
    const { json, out } = files({ ...ws, rules });
    const alb = json('describe-security-groups.json').SecurityGroups[0];
    expect(
      alb.IpPermissions.map((p: { FromPort: number; IpRanges: unknown[]; Ipv6Ranges: unknown[] }) => [
        p.FromPort,
        p.IpRanges,
        p.Ipv6Ranges,
      ]),
    ).toEqual([
      [
        443,
        [
          { CidrIp: '0.0.0.0/0', Description: 'HTTPS from the internet' },
          { CidrIp: '198.51.100.0/24', Description: 'added' },
        ],
        [{ CidrIpv6: '::/0', Description: 'HTTPS from the internet (IPv6)' }],
      ],
      [80, [{ CidrIp: '0.0.0.0/0', Description: 'redirect to HTTPS' }], []],
      [8443, [{ CidrIp: '198.51.100.0/24', Description: 'added' }], []],
    ]);
    const back = reimport(out).workspace;
    const ids = back.rules
      .filter((r) => r.type === 'sg-permission' && r.group === 'group:sg-0a5c1e7d3b9f20001')
      .map((r) => r.id);
    expect(ids).toEqual([
      'sg:sg-0a5c1e7d3b9f20001:ingress:0:0',
      'sg:sg-0a5c1e7d3b9f20001:ingress:0:1',
      'sg:sg-0a5c1e7d3b9f20001:ingress:0:2',
      'sg:sg-0a5c1e7d3b9f20001:ingress:1:0',
      'sg:sg-0a5c1e7d3b9f20001:ingress:2:0',
      'sg:sg-0a5c1e7d3b9f20001:egress:0:0',
      'sg:sg-0a5c1e7d3b9f20001:egress:0:1',
    ]);
  });
});

describe('exportAwsSg of a workspace without AWS ids', () => {
  const seg = (id: string, level: Segment['level'], attributes: Record<string, unknown>, parent?: string): Segment => ({
    id,
    level,
    name: id.split(':').at(-1) as string,
    ...(parent ? { parent } : {}),
    attributes,
  });
  const svc = (id: string, kind: Service['kind'], group: string): Service => ({
    id,
    name: id.split('/').at(-1) as string,
    kind,
    addresses: ['10.0.1.5'],
    memberships: { network: ['network:subnet-a'], group: [group] },
  });
  const ws: Workspace = {
    segscope: 1,
    services: [svc('k8s:shop/db', 'datastore', 'group:sg-db'), svc('k8s:shop/web', 'service', 'group:sg-web')],
    segments: [
      seg('network:vpc-a', 'network', { kind: 'vpc' }),
      seg('network:subnet-a', 'network', { kind: 'subnet' }, 'network:vpc-a'),
      seg('group:sg-db', 'group', { kind: 'security-group' }, 'network:vpc-a'),
      seg('group:sg-web', 'group', { kind: 'security-group' }, 'network:vpc-a'),
    ],
    calls: [{ from: 'k8s:shop/web', to: 'k8s:shop/db', port: 5432, origin: 'declared' }],
    rules: [
      {
        id: 'r1',
        type: 'sg-permission',
        level: 'group',
        group: 'group:sg-db',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        peer: { kind: 'group', group: 'group:sg-web' },
      },
    ],
  };

  it('writes made-up instance ids, Name and kind tags, and the groups with their rules', () => {
    const { json, out } = files(ws);
    const instances = json('describe-instances.json').Reservations[0].Instances;
    expect(instances[0]).toEqual({
      InstanceId: expect.stringMatching(/^i-[0-9a-f]{17}$/),
      PrivateIpAddress: '10.0.1.5',
      State: { Name: 'running' },
      SubnetId: 'subnet-a',
      VpcId: 'vpc-a',
      NetworkInterfaces: [
        {
          NetworkInterfaceId: expect.stringMatching(/^eni-[0-9a-f]{17}$/),
          SubnetId: 'subnet-a',
          VpcId: 'vpc-a',
          Groups: [{ GroupName: 'sg-db', GroupId: 'sg-db' }],
          PrivateIpAddress: '10.0.1.5',
          PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: '10.0.1.5' }],
          Ipv6Addresses: [],
        },
      ],
      Tags: [
        { Key: 'Name', Value: 'db' },
        { Key: 'kind', Value: 'datastore' },
      ],
    });
    expect(json('describe-security-groups.json').SecurityGroups[0]).toEqual({
      GroupName: 'sg-db',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 5432,
          ToPort: 5432,
          IpRanges: [],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [{ GroupId: 'sg-web' }],
        },
      ],
      GroupId: 'sg-db',
      IpPermissionsEgress: [],
      VpcId: 'vpc-a',
    });
    expect(out.notes).toEqual([
      'services without an EC2 id get a made-up instance id (i-…): k8s:shop/db, k8s:shop/web',
      'calls are not part of AWS exports: they are not written',
    ]);
    const back = reimport(out).workspace;
    expect(back.services.map((s) => [s.name, s.kind, s.memberships.group])).toEqual([
      ['db', 'datastore', ['group:sg-db']],
      ['web', 'service', ['group:sg-web']],
    ]);
  });

  it('leaves out services placed in no AWS segment, and says so', () => {
    const plain: Service = {
      id: 'compose:x/a',
      name: 'a',
      kind: 'service',
      memberships: { overlay: ['overlay:x_default'] },
    };
    const { out } = files({ ...ws, services: [...ws.services, plain] });
    expect(out.notes).toContain('services with no AWS id, subnet, VPC or security group are not written: compose:x/a');
  });
});

describe("exportAwsSg names interfaces from the reader's conventions, never by reading its output back (issue #17)", () => {
  it('a renamed interface gets a Name tag, a kind its type does not tell a kind tag; shared descriptions keep their ids', () => {
    const read = vi.spyOn(awsReader, 'read');
    try {
      const ws = load(sampleFiles(AWS));
      const edited: Workspace = {
        ...ws,
        services: ws.services.map((s) =>
          s.id === 'aws:eni-0c1d2e3f4a5b6001b'
            ? { ...s, name: 'shop-public-a' }
            : s.id === 'aws:eni-0c1d2e3f4a5b6001d'
              ? { ...s, kind: 'datastore' as const }
              : s,
        ),
      };
      read.mockClear();
      const out = exportAwsSg(edited);
      expect(read).not.toHaveBeenCalled();
      const file = out.files.find((f) => f.name === 'describe-network-interfaces.json');
      const nics = (
        JSON.parse(file?.text ?? '{}') as { NetworkInterfaces: { NetworkInterfaceId: string; TagSet?: unknown }[] }
      ).NetworkInterfaces;
      const tags = (id: string) => nics.find((n) => n.NetworkInterfaceId === id)?.TagSet;
      expect(tags('eni-0c1d2e3f4a5b6001b')).toEqual([{ Key: 'Name', Value: 'shop-public-a' }]);
      // The other ALB interface is still named by the description it shares, with its id: no tag needed.
      expect(tags('eni-0c1d2e3f4a5b6001c')).toBeUndefined();
      expect(tags('eni-0c1d2e3f4a5b6001d')).toEqual([{ Key: 'kind', Value: 'datastore' }]);
      const back = reimport(out).workspace;
      const got = (id: string) => back.services.find((s) => s.id === id);
      expect(got('aws:eni-0c1d2e3f4a5b6001b')).toMatchObject({ name: 'shop-public-a', kind: 'gateway' });
      expect(got('aws:eni-0c1d2e3f4a5b6001c')?.name).toBe(
        'ELB app/shop-public/8f6d3e2a1b0c9d7e (eni-0c1d2e3f4a5b6001c)',
      );
      expect(got('aws:eni-0c1d2e3f4a5b6001d')).toMatchObject({
        name: 'AWS Lambda VPC ENI-order-events-5c1e0d2f-4b3a-4f6e-9d8c-7b6a5e4d3c2b',
        kind: 'datastore',
      });
    } finally {
      read.mockRestore();
    }
  });
});
