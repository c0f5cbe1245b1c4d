import { describe, expect, it } from 'vitest';
import type { Segment, SgPermissionRule, Workspace } from '../../model/types';
import { load, sampleFiles } from '../testing';
import { exportTerraform, hclString } from './write';

const group = (id: string, name: string, extra: Record<string, unknown> = {}): Segment => ({
  id: `group:${id}`,
  level: 'group',
  name,
  parent: 'network:vpc-1',
  attributes: { kind: 'security-group', groupId: id, ownerId: '111111111111', ...extra },
});
const rule = (id: string, over: Partial<SgPermissionRule>): SgPermissionRule => ({
  id,
  type: 'sg-permission',
  level: 'group',
  group: 'group:sg-db',
  direction: 'ingress',
  protocol: 'tcp',
  fromPort: 5432,
  toPort: 5432,
  peer: { kind: 'group', group: 'group:sg-app' },
  ...over,
});

describe('hclString', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['C:\\dir', '"C:\\\\dir"'],
    ['two\nlines\ttab', '"two\\nlines\\ttab"'],
    // Template sequences are HCL syntax inside strings: a description must not interpolate.
    [`$\{var.x} and %{if}`, `"$$\{var.x} and %%{if}"`],
  ])('%j → %s', (input, expected) => {
    expect(hclString(input)).toBe(expected);
  });
});

describe('exportTerraform', () => {
  const ws: Workspace = {
    segscope: 1,
    services: [],
    segments: [
      { id: 'network:vpc-1', level: 'network', name: 'vpc-1', attributes: { kind: 'vpc', vpcId: 'vpc-1' } },
      group('sg-db', 'prod-db', { description: 'Database "primary"' }),
      { ...group('sg-app', 'prod app'), labels: { Team: 'shop', 'aws:cost-center': '42' } },
    ],
    calls: [],
    rules: [
      rule('a', { description: 'from the app' }),
      rule('b', { peer: { kind: 'group', group: 'group:sg-mon', userId: '222222222222' } }),
      rule('c', {
        direction: 'egress',
        protocol: '-1',
        fromPort: -1,
        toPort: -1,
        peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
      }),
      rule('d', { group: 'group:sg-app', fromPort: 443, toPort: 443, peer: { kind: 'cidr', cidr: '::/0' } }),
      rule('e', {
        group: 'group:sg-app',
        protocol: 'icmp',
        fromPort: 8,
        toPort: 0,
        peer: { kind: 'prefix-list', prefixListId: 'pl-1' },
      }),
    ],
  };

  it('writes each group and one rule resource per permission peer', () => {
    const out = exportTerraform(ws);
    expect(out.files.map((f) => f.name)).toEqual(['security-groups.tf']);
    expect(out.files[0]?.text).toBe(
      [
        '# Security groups and their rules, written by segscope from the workspace.',
        '',
        'resource "aws_security_group" "prod_db" {',
        '  name        = "prod-db"',
        '  description = "Database \\"primary\\""',
        '  vpc_id      = "vpc-1"',
        '}',
        '',
        'resource "aws_vpc_security_group_ingress_rule" "prod_db_ingress_0" {',
        '  security_group_id            = aws_security_group.prod_db.id',
        '  description                  = "from the app"',
        '  ip_protocol                  = "tcp"',
        '  from_port                    = 5432',
        '  to_port                      = 5432',
        '  referenced_security_group_id = aws_security_group.prod_app.id',
        '}',
        '',
        'resource "aws_vpc_security_group_ingress_rule" "prod_db_ingress_1" {',
        '  security_group_id            = aws_security_group.prod_db.id',
        '  ip_protocol                  = "tcp"',
        '  from_port                    = 5432',
        '  to_port                      = 5432',
        '  referenced_security_group_id = "222222222222/sg-mon"',
        '}',
        '',
        'resource "aws_vpc_security_group_egress_rule" "prod_db_egress_0" {',
        '  security_group_id = aws_security_group.prod_db.id',
        '  ip_protocol       = "-1"',
        '  cidr_ipv4         = "0.0.0.0/0"',
        '}',
        '',
        'resource "aws_security_group" "prod_app" {',
        '  name   = "prod app"',
        '  vpc_id = "vpc-1"',
        '',
        '  tags = {',
        '    Team              = "shop"',
        '    "aws:cost-center" = "42"',
        '  }',
        '}',
        '',
        'resource "aws_vpc_security_group_ingress_rule" "prod_app_ingress_0" {',
        '  security_group_id = aws_security_group.prod_app.id',
        '  ip_protocol       = "tcp"',
        '  from_port         = 443',
        '  to_port           = 443',
        '  cidr_ipv6         = "::/0"',
        '}',
        '',
        'resource "aws_vpc_security_group_ingress_rule" "prod_app_ingress_1" {',
        '  security_group_id = aws_security_group.prod_app.id',
        '  ip_protocol       = "icmp"',
        '  from_port         = 8',
        '  to_port           = 0',
        '  prefix_list_id    = "pl-1"',
        '}',
        '',
      ].join('\n'),
    );
    expect(out.notes).toEqual([
      'prefix lists are referenced by id; their entries are not written (aws_ec2_managed_prefix_list)',
    ]);
  });

  it('the AWS samples: every security-group permission is one rule resource', () => {
    const sample = load(sampleFiles('public/samples/aws'));
    const text = exportTerraform(sample).files[0]?.text ?? '';
    const count = (re: RegExp) => text.match(re)?.length ?? 0;
    const permissions = sample.rules.filter((r) => r.type === 'sg-permission').length;
    expect(count(/^resource "aws_vpc_security_group_(ingress|egress)_rule"/gm)).toBe(permissions);
    const described = sample.segments.filter((s) => s.attributes?.kind === 'security-group');
    expect(count(/^resource "aws_security_group"/gm)).toBe(described.length);
    expect(new Set(text.match(/^resource "[^"]+" "[^"]+"/gm)).size).toBe(count(/^resource /gm));
  });

  it('has nothing to write without a security group', () => {
    expect(exportTerraform({ segscope: 1, services: [], segments: [], calls: [], rules: [] })).toEqual({
      files: [],
      notes: ['the workspace has no security group'],
    });
  });
});
