import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import type { ReadResult } from '../../import/types';
import type { Rule, Segment, Service } from '../../model/types';
import { posOf, tfResource as resource } from '../aws/testing';
import { terraformReader } from './read';

const A = '111111111111';
const B = '222222222222';
const R = 'eu-west-1';

const inline = (p: Record<string, unknown>) => ({
  cidr_blocks: [],
  description: '',
  from_port: 0,
  ipv6_cidr_blocks: [],
  prefix_list_ids: [],
  protocol: 'tcp',
  security_groups: [],
  self: false,
  to_port: 0,
  ...p,
});

const v2rule = (kind: 'ingress' | 'egress', name: string, group: string, p: Record<string, unknown>) =>
  resource(
    `aws_vpc_security_group_${kind}_rule`,
    name,
    {
      cidr_ipv4: null,
      cidr_ipv6: null,
      description: null,
      from_port: null,
      ip_protocol: 'tcp',
      prefix_list_id: null,
      referenced_security_group_id: null,
      security_group_id: group,
      to_port: null,
      ...p,
    },
    'module.app',
  );

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${B}:root`, Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
});

const state = {
  format_version: '1.0',
  terraform_version: '1.9.8',
  values: {
    root_module: {
      resources: [
        resource('aws_vpc', 'main', {
          arn: `arn:aws:ec2:${R}:${A}:vpc/vpc-0a`,
          cidr_block: '10.10.0.0/16',
          id: 'vpc-0a',
          ipv6_cidr_block: '2600:1f18:4a3:6e00::/56',
          owner_id: A,
          tags: { Name: 'prod' },
        }),
        resource('aws_vpc_ipv4_cidr_block_association', 'extra', { cidr_block: '100.64.0.0/20', vpc_id: 'vpc-0a' }),
        resource('aws_subnet', 'app', {
          arn: `arn:aws:ec2:${R}:${A}:subnet/subnet-0app`,
          availability_zone: `${R}a`,
          cidr_block: '10.10.16.0/20',
          id: 'subnet-0app',
          ipv6_cidr_block: '',
          map_public_ip_on_launch: false,
          owner_id: A,
          tags: { Name: 'app-a' },
          vpc_id: 'vpc-0a',
        }),
        resource('aws_vpc_peering_connection', 'shared', {
          accept_status: 'active',
          id: 'pcx-0ab',
          peer_owner_id: B,
          peer_region: R,
          peer_vpc_id: 'vpc-0b',
          vpc_id: 'vpc-0a',
        }),
        resource('aws_lb', 'front', { name: 'front' }),
        resource('aws_lb', 'back', { name: 'back' }),
        resource('aws_iam_policy_document', 'trust', { json: trust }, undefined, 'data'),
      ],
      child_modules: [
        {
          address: 'module.app',
          resources: [
            resource(
              'aws_security_group',
              'api',
              {
                arn: `arn:aws:ec2:${R}:${A}:security-group/sg-0api`,
                description: 'API',
                egress: [inline({ cidr_blocks: ['0.0.0.0/0'], protocol: '-1' })],
                id: 'sg-0api',
                ingress: [
                  inline({ from_port: 7946, to_port: 7946, self: true, description: 'gossip' }),
                  inline({
                    from_port: 8000,
                    to_port: 8099,
                    security_groups: ['sg-0web', `${B}/sg-0mon`],
                    ipv6_cidr_blocks: ['2600:1f18:4a3:6e01::/64'],
                  }),
                ],
                name: 'api',
                owner_id: A,
                tags: { Team: 'shop' },
                vpc_id: 'vpc-0a',
              },
              'module.app',
            ),
            resource(
              'aws_security_group',
              'db',
              {
                arn: `arn:aws:ec2:${R}:${A}:security-group/sg-0db`,
                description: 'DB',
                egress: [],
                id: 'sg-0db',
                ingress: [],
                name: 'db',
                owner_id: A,
                vpc_id: 'vpc-0a',
              },
              'module.app',
            ),
            resource(
              'aws_security_group_rule',
              'db_from_subnets',
              {
                cidr_blocks: ['10.10.16.0/20', '10.10.32.0/20'],
                description: 'postgres from app subnets',
                from_port: 5432,
                id: 'sgrule-1',
                ipv6_cidr_blocks: null,
                prefix_list_ids: ['pl-0corp'],
                protocol: 'tcp',
                security_group_id: 'sg-0db',
                self: false,
                source_security_group_id: null,
                to_port: 5432,
                type: 'ingress',
              },
              'module.app',
            ),
            resource(
              'aws_security_group_rule',
              'db_from_api',
              {
                from_port: 5432,
                protocol: 'tcp',
                security_group_id: 'sg-0db',
                source_security_group_id: 'sg-0api',
                to_port: 5432,
                type: 'ingress',
              },
              'module.app',
            ),
            v2rule('ingress', 'db_replication', 'sg-0db', {
              from_port: 5432,
              to_port: 5432,
              referenced_security_group_id: 'sg-0db',
              description: 'replication',
            }),
            v2rule('ingress', 'db_monitoring', 'sg-0db', {
              from_port: 9187,
              to_port: 9187,
              referenced_security_group_id: `${B}/sg-0mon`,
            }),
            v2rule('egress', 'db_all', 'sg-0db', { ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0' }),
            v2rule('ingress', 'orphan', 'sg-0elsewhere', { from_port: 22, to_port: 22, cidr_ipv6: '::/0' }),
            resource(
              'aws_iam_role',
              'api',
              {
                arn: `arn:aws:iam::${A}:role/shop-api`,
                assume_role_policy: trust,
                inline_policy: [{ name: '', policy: '' }],
                managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'],
                name: 'shop-api',
                path: '/',
              },
              'module.app',
            ),
            resource(
              'aws_iam_instance_profile',
              'api',
              { arn: `arn:aws:iam::${A}:instance-profile/shop-api`, name: 'shop-api', role: 'shop-api' },
              'module.app',
            ),
            resource(
              'aws_instance',
              'api',
              {
                arn: `arn:aws:ec2:${R}:${A}:instance/i-0api`,
                availability_zone: `${R}a`,
                iam_instance_profile: 'shop-api',
                id: 'i-0api',
                instance_state: 'running',
                instance_type: 'm6i.large',
                ipv6_addresses: [],
                primary_network_interface_id: 'eni-0api',
                private_ip: '10.10.16.10',
                public_ip: '',
                secondary_private_ips: ['10.10.16.11'],
                subnet_id: 'subnet-0app',
                tags: { Name: 'api', Role: 'api' },
                vpc_security_group_ids: ['sg-0api'],
              },
              'module.app',
            ),
            resource(
              'aws_instance',
              'db',
              {
                arn: `arn:aws:ec2:${R}:${A}:instance/i-0db`,
                availability_zone: `${R}a`,
                iam_instance_profile: 'unmanaged-profile',
                id: 'i-0db',
                private_ip: '10.10.16.20',
                public_ip: '34.1.1.1',
                subnet_id: 'subnet-0app',
                tags: { Name: 'orders-db', Role: 'database' },
                vpc_security_group_ids: ['sg-0db', 'sg-0api'],
              },
              'module.app',
            ),
          ],
        },
      ],
    },
  },
};

const text = JSON.stringify(state, null, 2);
const result: ReadResult = terraformReader.read({ name: 'terraform-state.json', text });
const rules = (prefix: string): Omit<Rule, 'source'>[] =>
  result.fragment.rules.filter((r) => r.id.startsWith(prefix)).map(({ source: _s, ...r }) => r);
const seg = (id: string): Segment | undefined => result.fragment.segments.find((s) => s.id === id);
const svc = (id: string): Service | undefined => result.fragment.services.find((s) => s.id === id);
const base = { type: 'sg-permission', level: 'group' } as const;

describe('terraform show -json: security groups', () => {
  it('expands inline ingress/egress blocks per peer, including self and cross-account owner/sg references', () => {
    expect(rules('tf:module.app.aws_security_group.api:')).toEqual([
      {
        ...base,
        id: 'tf:module.app.aws_security_group.api:ingress:0:0',
        group: 'group:sg-0api',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 7946,
        toPort: 7946,
        peer: { kind: 'group', group: 'group:sg-0api' },
        description: 'gossip',
      },
      {
        ...base,
        id: 'tf:module.app.aws_security_group.api:ingress:1:0',
        group: 'group:sg-0api',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 8000,
        toPort: 8099,
        peer: { kind: 'cidr', cidr: '2600:1f18:4a3:6e01::/64' },
      },
      {
        ...base,
        id: 'tf:module.app.aws_security_group.api:ingress:1:1',
        group: 'group:sg-0api',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 8000,
        toPort: 8099,
        peer: { kind: 'group', group: 'group:sg-0web' },
      },
      {
        ...base,
        id: 'tf:module.app.aws_security_group.api:ingress:1:2',
        group: 'group:sg-0api',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 8000,
        toPort: 8099,
        peer: { kind: 'group', group: 'group:sg-0mon', userId: B },
      },
      {
        ...base,
        id: 'tf:module.app.aws_security_group.api:egress:0:0',
        group: 'group:sg-0api',
        direction: 'egress',
        protocol: '-1',
        peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
      },
    ]);
  });

  it('reads rules kept as separate aws_security_group_rule resources, one rule per peer', () => {
    expect(rules('tf:module.app.aws_security_group_rule.')).toEqual([
      ...['10.10.16.0/20', '10.10.32.0/20'].map((cidr, k) => ({
        ...base,
        id: `tf:module.app.aws_security_group_rule.db_from_subnets:${k}`,
        group: 'group:sg-0db',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        peer: { kind: 'cidr', cidr },
        description: 'postgres from app subnets',
      })),
      {
        ...base,
        id: 'tf:module.app.aws_security_group_rule.db_from_subnets:2',
        group: 'group:sg-0db',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        peer: { kind: 'prefix-list', prefixListId: 'pl-0corp' },
        description: 'postgres from app subnets',
      },
      {
        ...base,
        id: 'tf:module.app.aws_security_group_rule.db_from_api:0',
        group: 'group:sg-0db',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        peer: { kind: 'group', group: 'group:sg-0api' },
      },
    ]);
  });

  it('reads aws_vpc_security_group_ingress_rule / egress_rule resources (self, cross-account, -1)', () => {
    expect(rules('tf:module.app.aws_vpc_security_group_')).toEqual([
      {
        ...base,
        id: 'tf:module.app.aws_vpc_security_group_ingress_rule.db_replication',
        group: 'group:sg-0db',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        peer: { kind: 'group', group: 'group:sg-0db' },
        description: 'replication',
      },
      {
        ...base,
        id: 'tf:module.app.aws_vpc_security_group_ingress_rule.db_monitoring',
        group: 'group:sg-0db',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 9187,
        toPort: 9187,
        peer: { kind: 'group', group: 'group:sg-0mon', userId: B },
      },
      {
        ...base,
        id: 'tf:module.app.aws_vpc_security_group_ingress_rule.orphan',
        group: 'group:sg-0elsewhere',
        direction: 'ingress',
        protocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        peer: { kind: 'cidr', cidr: '::/0' },
      },
      {
        ...base,
        id: 'tf:module.app.aws_vpc_security_group_egress_rule.db_all',
        group: 'group:sg-0db',
        direction: 'egress',
        protocol: '-1',
        peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
      },
    ]);
  });

  it('counts inline and separate rules per group and direction', () => {
    expect(seg('group:sg-0db')).toMatchObject({
      name: 'db',
      parent: 'network:vpc-0a',
      attributes: {
        kind: 'security-group',
        groupId: 'sg-0db',
        vpc: 'network:vpc-0a',
        ownerId: A,
        region: R,
        inboundRuleCount: 6,
        inboundRuleCountIpv4: 6,
        inboundRuleCountIpv6: 4,
        outboundRuleCount: 1,
        outboundRuleCountIpv4: 1,
        outboundRuleCountIpv6: 0,
      },
    });
    expect(seg('group:sg-0elsewhere')).toBeUndefined();
  });
});

describe('terraform show -json: networks, instances and roles', () => {
  it('makes VPCs with every CIDR block and subnets inside them', () => {
    expect(seg('network:vpc-0a')).toMatchObject({
      name: 'prod',
      parent: `account:${A}`,
      cidrs: ['10.10.0.0/16', '100.64.0.0/20', '2600:1f18:4a3:6e00::/56'],
      attributes: { kind: 'vpc', vpcId: 'vpc-0a', accountId: A, region: R, terraformAddress: 'aws_vpc.main' },
    });
    expect(seg('network:subnet-0app')).toMatchObject({
      name: 'app-a',
      parent: 'network:vpc-0a',
      cidrs: ['10.10.16.0/20'],
      attributes: { kind: 'subnet', availabilityZone: `${R}a`, region: R, mapPublicIpOnLaunch: false },
    });
    // Named by its pcx id, as the AWS CLI reader names it: a route to pcx-0ab is a route through it.
    expect(rules('aws:pcx-')).toEqual([
      {
        id: 'aws:pcx-0ab',
        type: 'vpc-peering',
        level: 'network',
        requester: 'network:vpc-0a',
        accepter: 'network:vpc-0b',
        status: 'active',
      },
    ]);
    expect(seg('network:vpc-0b')?.attributes).toEqual({
      kind: 'vpc',
      vpcId: 'vpc-0b',
      accountId: B,
      region: R,
      stub: true,
    });
  });

  it('makes instances services; the profile resolves to its role through aws_iam_instance_profile', () => {
    const { source: _s, ...api } = svc('aws:i-0api') as Service;
    expect(api).toEqual({
      id: 'aws:i-0api',
      name: 'api',
      kind: 'service',
      labels: { Name: 'api', Role: 'api' },
      addresses: ['10.10.16.10', '10.10.16.11'],
      placement: { host: 'i-0api', mode: 'dedicated-vm' },
      memberships: {
        account: [`account:${A}`],
        role: [`role:aws:arn:aws:iam::${A}:role/shop-api`],
        network: ['network:subnet-0app'],
        group: ['group:sg-0api'],
      },
      extra: {
        terraformAddress: 'module.app.aws_instance.api',
        instanceType: 'm6i.large',
        state: 'running',
        interfaces: [{ id: 'eni-0api', groups: ['group:sg-0api'], subnet: 'network:subnet-0app' }],
      },
    });
    expect(svc('aws:i-0db')).toMatchObject({
      name: 'orders-db',
      kind: 'datastore',
      exposed: true,
      memberships: {
        role: [`role:aws:arn:aws:iam::${A}:instance-profile/unmanaged-profile`],
        group: ['group:sg-0db', 'group:sg-0api'],
      },
    });
  });

  it('makes roles with their trust (JSON text) and managed policy count', () => {
    expect(seg(`role:aws:arn:aws:iam::${A}:role/shop-api`)).toMatchObject({
      level: 'role',
      name: 'shop-api',
      parent: `account:${A}`,
      attributes: {
        kind: 'iam-role',
        managedPolicyCount: 1,
        inlinePolicies: [],
        trustedPrincipals: [`arn:aws:iam::${B}:root`, 'Service:ec2.amazonaws.com'],
      },
    });
    expect(rules(`iam:arn:aws:iam::${A}:role/shop-api:trust`)).toEqual([
      {
        id: `iam:arn:aws:iam::${A}:role/shop-api:trust:0:0`,
        type: 'role-trust',
        level: 'role',
        role: `role:aws:arn:aws:iam::${A}:role/shop-api`,
        principal: `account:${B}`,
      },
    ]);
    expect(seg(`role:aws:arn:aws:iam::${A}:instance-profile/shop-api`)?.parent).toBe(
      `role:aws:arn:aws:iam::${A}:role/shop-api`,
    );
  });
});

describe('terraform show -json: diagnostics', () => {
  it('names unknown resource types once per type, data sources, dangling and cross-account groups, with positions', () => {
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.column, d.message])).toEqual([
      [
        'info',
        ...Object.values(posOf(text, '"values"', 7)),
        '1 data source(s) not read: only managed resources describe the estate',
      ],
      [
        'info',
        ...Object.values(posOf(text, '"values"', 5)),
        '2 resource(s) of type aws_lb not read: segscope does not model it',
      ],
      [
        'warn',
        ...Object.values(posOf(text, '"sg-0web"')),
        'sg-0api references sg-0web, which this file does not describe; the rule is kept, the group has no segment here',
      ],
      [
        'info',
        ...Object.values(posOf(text, `"${B}/sg-0mon"`)),
        `sg-0api references sg-0mon of account ${B} (cross-account); load that account's groups to see its members`,
      ],
      [
        'info',
        ...Object.values(posOf(text, `"referenced_security_group_id": "${B}/sg-0mon"`)),
        `sg-0db references sg-0mon of account ${B} (cross-account); load that account's groups to see its members`,
      ],
      [
        'warn',
        ...Object.values(posOf(text, '"security_group_id": "sg-0elsewhere"')),
        'module.app.aws_vpc_security_group_ingress_rule.orphan belongs to sg-0elsewhere, which this state does not describe; the rule is kept, the group has no segment here',
      ],
      [
        'warn',
        ...Object.values(posOf(text, '"iam_instance_profile": "unmanaged-profile"')),
        `instance profile arn:aws:iam::${A}:instance-profile/unmanaged-profile is not described in this file`,
      ],
    ]);
  });

  it('reports a malformed state with line and column', () => {
    const bad = '{\n  "format_version": "1.0",\n  "values": {\n    "root_module": { "resources": [ } ]\n  }\n}\n';
    const { report } = importFiles([{ name: 'state.json', text: bad }]);
    expect(report.files[0]?.format).toBe('terraform');
    expect(report.files[0]?.diagnostics[0]).toMatchObject({ line: 4, column: 37, severity: 'error' });
  });
});

describe('raw terraform.tfstate (version 4)', () => {
  it('reads resources[].instances[].attributes the same way, with index keys in the address', () => {
    const tfstate = {
      version: 4,
      terraform_version: '1.9.8',
      serial: 12,
      lineage: '3f1c',
      outputs: {},
      resources: [
        {
          module: 'module.net',
          mode: 'managed',
          type: 'aws_security_group',
          name: 'web',
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [
            {
              index_key: 'blue',
              schema_version: 1,
              attributes: {
                id: 'sg-0blue',
                name: 'web-blue',
                owner_id: A,
                vpc_id: 'vpc-0a',
                ingress: [inline({ from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'] })],
                egress: [],
              },
            },
          ],
        },
      ],
    };
    const r = terraformReader.read({ name: 'terraform.tfstate', text: JSON.stringify(tfstate) });
    expect(r.fragment.rules.map((x) => x.id)).toEqual(['tf:module.net.aws_security_group.web["blue"]:ingress:0:0']);
    expect(r.fragment.segments.map((s) => s.id)).toEqual([`account:${A}`, 'network:vpc-0a', 'group:sg-0blue']);
    expect(r.diagnostics).toEqual([]);
  });

  it.each([
    ['show -json', { format_version: '1.0', values: { root_module: {} } }, true],
    ['tfstate', { version: 4, terraform_version: '1.9.8', resources: [] }, true],
    ['aws cli', { SecurityGroups: [] }, false],
    ['native', { segscope: 1, services: [], segments: [] }, false],
  ])('detects %s by content', (_n, value, expected) => {
    expect(terraformReader.detect({ name: 'x.json', text: JSON.stringify(value) }, value)).toBe(expected);
  });
});
