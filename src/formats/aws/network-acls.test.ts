import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/analyze';
import { buildIndex } from '../../analysis/context';
import { computeQuotas } from '../../analysis/quotas';
import { reach } from '../../analysis/reach';
import { importFiles } from '../../import/index';
import type { NetworkAclRule } from '../../model/types';
import { reimport, sampleFiles } from '../testing';
import { awsReader } from './read';
import { posOf } from './testing';
import { exportAwsSg } from './write';

// Shapes as `aws ec2 describe-network-acls` prints them (EC2 API reference, DescribeNetworkAcls / NetworkAcl,
// NetworkAclEntry: RuleNumber, Protocol "-1" | number, RuleAction allow | deny, Egress, CidrBlock |
// Ipv6CidrBlock, PortRange {From, To}; Associations [{NetworkAclAssociationId, NetworkAclId, SubnetId}]).

const entry = (n: number, egress: boolean, action: string, cidr: string, protocol = '6', ports?: [number, number]) => ({
  CidrBlock: cidr,
  Egress: egress,
  Protocol: protocol,
  RuleAction: action,
  RuleNumber: n,
  ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}),
});
const page = (acls: unknown[], more?: string) => ({ NetworkAcls: acls, ...(more ? { NextToken: more } : {}) });
const acl = (id: string, subnets: string[], entries: unknown[], isDefault = false) => ({
  Associations: subnets.map((s, i) => ({ NetworkAclAssociationId: `aclassoc-${i}`, NetworkAclId: id, SubnetId: s })),
  Entries: entries,
  IsDefault: isDefault,
  NetworkAclId: id,
  Tags: [{ Key: 'Name', Value: `${id}-name` }],
  VpcId: 'vpc-1',
  OwnerId: '111111111111',
});

const readText = (name: string, value: unknown) => {
  const text = JSON.stringify(value, null, 4);
  return { text, result: awsReader.read({ name, text }) };
};
const acls = (r: ReturnType<typeof awsReader.read>) =>
  r.fragment.rules.filter((x): x is NetworkAclRule => x.type === 'network-acl');

describe('AWS reader: describe-network-acls', () => {
  it('reads each ACL with its entries in the export order, its subnets and the default flag', () => {
    const { result } = readText(
      'describe-network-acls.json',
      page([
        acl(
          'acl-0a',
          ['subnet-1', 'subnet-2'],
          [
            entry(100, false, 'allow', '10.0.0.0/16', '6', [443, 443]),
            entry(90, false, 'deny', '10.0.9.0/24', '-1'),
            { ...entry(100, true, 'allow', '::/0', '-1'), CidrBlock: undefined, Ipv6CidrBlock: '::/0' },
            entry(32767, true, 'deny', '0.0.0.0/0', '-1'),
          ],
        ),
        acl('acl-0d', [], [entry(100, false, 'allow', '0.0.0.0/0', '-1')], true),
      ]),
    );
    expect(result.diagnostics).toEqual([]);
    const [a, d] = acls(result);
    expect(a).toMatchObject({
      id: 'aws:acl-0a',
      aclId: 'acl-0a',
      name: 'acl-0a-name',
      vpc: 'network:vpc-1',
      subnets: ['network:subnet-1', 'network:subnet-2'],
    });
    expect(a?.isDefault).toBeUndefined();
    expect(a?.entries.map(({ source: _s, ...e }) => e)).toEqual([
      {
        ruleNumber: 100,
        egress: false,
        action: 'allow',
        protocol: '6',
        cidr: '10.0.0.0/16',
        fromPort: 443,
        toPort: 443,
      },
      { ruleNumber: 90, egress: false, action: 'deny', protocol: '-1', cidr: '10.0.9.0/24' },
      { ruleNumber: 100, egress: true, action: 'allow', protocol: '-1', cidr: '::/0' },
      { ruleNumber: 32767, egress: true, action: 'deny', protocol: '-1', cidr: '0.0.0.0/0' },
    ]);
    expect(d).toMatchObject({ aclId: 'acl-0d', isDefault: true, subnets: [] });
    // Subnets named only by an association are stubs under their VPC until describe-subnets says more.
    expect(result.fragment.segments.find((s) => s.id === 'network:subnet-2')).toMatchObject({
      parent: 'network:vpc-1',
      attributes: { kind: 'subnet', stub: true },
    });
  });

  it('an unreadable entry is a located error: an allow is dropped, a deny kept as a deny of everything; the rest loads', () => {
    const { text, result } = readText(
      'nacl.json',
      page([
        acl(
          'acl-0a',
          ['subnet-1'],
          [
            entry(100, false, 'allow', '10.0.0.0/33', '6', [443, 443]),
            entry(110, false, 'deny', '10.0.1.0/24', '6', [5432, 5400]),
            entry(120, false, 'allow', '10.0.0.0/16', '-1'),
            entry(100, true, 'allow', '0.0.0.0/0', '-1'),
          ],
        ),
      ]),
    );
    expect(result.diagnostics.map((d) => [d.line, d.column, d.severity, d.message])).toEqual([
      [
        posOf(text, '"CidrBlock": "10.0.0.0/33"').line,
        posOf(text, '"CidrBlock": "10.0.0.0/33"').column,
        'error',
        'acl-0a inbound rule 100: "10.0.0.0/33" is not a CIDR; dropped (less is allowed, nothing is widened)',
      ],
      [
        posOf(text, '"PortRange"', 1).line,
        posOf(text, '"PortRange"', 1).column,
        'error',
        'acl-0a inbound rule 110: a TCP or UDP entry needs PortRange From ≤ To within 0–65535; kept as a deny of everything, so nothing is widened',
      ],
    ]);
    const [a] = acls(result);
    expect(a?.entries.map((e) => [e.ruleNumber, e.egress, e.action, e.protocol, e.cidr, e.damaged ?? false])).toEqual([
      [110, false, 'deny', '-1', '10.0.1.0/24', true],
      [120, false, 'allow', '-1', '10.0.0.0/16', false],
      [100, true, 'allow', '-1', '0.0.0.0/0', false],
    ]);
  });

  it('reads paged exports: a list of pages in one file, or one page per file, as one set of ACLs', () => {
    const first = page([acl('acl-0a', ['subnet-1'], [entry(100, false, 'allow', '0.0.0.0/0', '-1')])], 'token-2');
    const second = page([acl('acl-0b', ['subnet-2'], [entry(100, false, 'deny', '0.0.0.0/0', '-1')])]);
    const joined = readText('pages.json', [first, second]).result;
    expect(acls(joined).map((x) => x.aclId)).toEqual(['acl-0a', 'acl-0b']);
    const { workspace } = importFiles([
      { name: 'acls-1.json', text: JSON.stringify(first) },
      { name: 'acls-2.json', text: JSON.stringify(second) },
    ]);
    expect(workspace.rules.filter((r) => r.type === 'network-acl').map((r) => r.id)).toEqual([
      'aws:acl-0a',
      'aws:acl-0b',
    ]);
  });
});

describe('the network ACL sample (public/samples/aws-nacl)', () => {
  const ws = importFiles(sampleFiles('public/samples/aws-nacl')).workspace;
  const id = (name: string) => ws.services.find((s) => s.name === name)?.id as string;
  const network = (from: string, to: string, port: number) => {
    const v = reach(ws, id(from), id(to), port).levels.network;
    return [v.verdict, v.rule?.id];
  };

  it('decides each observed call at the network level as the ACLs say', () => {
    expect(network('web', 'api', 8080)).toEqual(['allow', 'network:vpc-0c3d5e7f9a1b20304']);
    expect(network('api', 'ledger-db', 5432)).toEqual(['allow', 'network:vpc-0c3d5e7f9a1b20304']);
    expect(network('api', 'session-cache', 6379)).toEqual(['allow', 'network:vpc-0c3d5e7f9a1b20304']);
    // data-nacl inbound rule 90 denies 10.30.1.64/26 before rule 100 allows 10.30.1.0/24.
    expect(network('batch', 'ledger-db', 5432)).toEqual(['deny', 'aws:acl-0c3d00000000000a3']);
    // Request allowed (rule 110), response blocked: data-nacl lets responses out to 10.30.1.0/26 only.
    expect(network('batch', 'session-cache', 6379)).toEqual(['deny', 'aws:acl-0c3d00000000000a3']);
    expect(reach(ws, id('batch'), id('session-cache'), 6379).levels.network.reason).toMatch(
      /^The request is allowed .*, but the response is blocked: on data-nacl \(data-1a\) no numbered rule allows, so the final \* rule denies outbound tcp 32768-60999 to batch/,
    );
    // Same subnet: no network ACL on the way.
    expect(network('batch', 'api', 8080)).toEqual(['allow', 'network:vpc-0c3d5e7f9a1b20304']);
  });

  it('breaks exactly the two calls the ACLs block', () => {
    const a = analyze(ws);
    const broken = a.calls.filter((c) => c.class === 'broken').map((c) => [c.from, c.to, c.deniedBy]);
    expect(broken).toEqual([
      [id('batch'), id('ledger-db'), ['network']],
      [id('batch'), id('session-cache'), ['network']],
    ]);
  });

  it('counts NACL rules per direction against the quota on each subnet the ACL applies to', () => {
    const uses = computeQuotas(buildIndex(ws)).filter((q) => q.quota === 'aws.nacl-rules');
    expect(uses.map((q) => [q.subject.id, q.used, q.limit, q.label])).toEqual([
      ['network:subnet-0c30a1b2c3d4e5f01', 2, 20, 'NACL rules per direction (edge-nacl)'],
      ['network:subnet-0c30a1b2c3d4e5f02', 3, 20, 'NACL rules per direction (app-nacl)'],
      ['network:subnet-0c30a1b2c3d4e5f03', 3, 20, 'NACL rules per direction (data-nacl)'],
    ]);
  });

  it('writes the ACLs back as describe-network-acls, read back to the same rules', () => {
    const out = exportAwsSg(ws);
    expect(out.files.map((f) => f.name)).toContain('describe-network-acls.json');
    const strip = (list: typeof ws.rules) =>
      list
        .filter((r): r is NetworkAclRule => r.type === 'network-acl')
        .map(({ source: _s, entries, ...r }) => ({ ...r, entries: entries.map(({ source: _e, ...e }) => e) }));
    expect(strip(reimport(out).workspace.rules)).toEqual(strip(ws.rules));
  });

  it('one verdict per pair whether computed for the pair or shared by its class (the signature carries subnet and ACL matches)', () => {
    const ix = buildIndex(ws);
    const n = ws.services.length;
    for (const port of [5432, 6379, 8080]) {
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          if (a === b) continue;
          const direct = ix.levels.network.evaluate(a, b, { protocol: 'TCP', port }).verdict;
          const from = ws.services[a]?.id as string;
          const to = ws.services[b]?.id as string;
          expect([from, to, port, reach(ws, from, to, port).levels.network.verdict]).toEqual([from, to, port, direct]);
        }
    }
  });
});
