import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import type { Workspace } from '../../model/types';
import { reach } from '../reach';
import { prefixList, seg, sgRule, svc, ws } from '../testing/build';
import { levelVerdict } from '../testing/verdict';

// The group level's "commonly missed" rules (DESIGN.md), each checked with the documentation it follows.

const instance = (id: string, ip: string, group: string) => ({
  InstanceId: id,
  PrivateIpAddress: ip,
  SubnetId: 'subnet-1',
  VpcId: 'vpc-1',
  SecurityGroups: [{ GroupId: group, GroupName: group }],
});
const INSTANCES = JSON.stringify(
  {
    Reservations: [
      {
        OwnerId: '111111111111',
        Instances: [instance('i-api', '10.0.1.10', 'sg-app'), instance('i-db', '10.0.1.20', 'sg-db')],
      },
    ],
  },
  null,
  2,
);
const GROUPS = JSON.stringify(
  {
    SecurityGroups: [
      {
        GroupId: 'sg-app',
        GroupName: 'app',
        VpcId: 'vpc-1',
        OwnerId: '111111111111',
        IpPermissions: [],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
    ],
  },
  null,
  2,
);

describe('a security group that no loaded file describes is no data, never a deny', () => {
  // A group's rules are what describe-security-groups prints for it
  // (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html); an instance in a group whose
  // description is not loaded may have any rules, so the level cannot restrict that side (DESIGN.md: "a
  // referenced but undescribed security group is no data (open + a warning naming it)").
  const load = (): ReturnType<typeof importFiles> =>
    importFiles([
      { name: 'describe-instances.json', text: INSTANCES },
      { name: 'describe-security-groups.json', text: GROUPS },
    ]);

  it('into the undescribed group: open, the reason names it', () => {
    const w = load().workspace;
    expect(levelVerdict(w, 'aws:i-api', 'aws:i-db', 'group', 5432)).toEqual({ verdict: 'open', rule: undefined });
    expect(reach(w, 'aws:i-api', 'aws:i-db', 5432).levels.group.reason).toBe(
      "sg-db is not described in the loaded files, so its rules are unknown: this level does not restrict i-db's ingress (app egress all traffic to 0.0.0.0/0 lets i-api out).",
    );
  });
  it('the described side still decides: app has no ingress rule, so db → api is denied', () => {
    const w = load().workspace;
    expect(levelVerdict(w, 'aws:i-db', 'aws:i-api', 'group', 8080)).toEqual({ verdict: 'deny', rule: 'group:sg-app' });
  });
  it('the import warns once, naming the group and where it is used', () => {
    const { report } = load();
    const about = [...report.diagnostics, ...report.files.flatMap((f) => f.diagnostics)].filter((d) =>
      d.message.includes('sg-db'),
    );
    expect(about.map((d) => [d.file, d.line, d.severity, d.message])).toEqual([
      [
        'describe-instances.json',
        // the `{` of i-db's SecurityGroups entry, on the line before its GroupId
        INSTANCES.slice(0, INSTANCES.indexOf('"GroupId": "sg-db"')).split('\n').length - 1,
        'warn',
        'security group sg-db (used by i-db) is not described in the loaded files: the group level has no data for it; load its describe-security-groups output',
      ],
    ]);
  });
});

describe('prefix-list entries merge from every file, in any order', () => {
  // https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html — a prefix list is one set of
  // CIDR entries; a rule that references it matches every entry, wherever the entries were exported.
  const w = (order: 'list-first' | 'entries-first'): Workspace => {
    const list = prefixList('aws:pl-1', 'pl-1', []);
    const entries = prefixList('aws:pl-1:entries', 'pl-1', ['10.9.0.0/16']);
    return ws({
      services: [
        svc('aws:api', { group: ['group:sg-app'], addresses: ['10.9.1.1'] }),
        svc('aws:db', { group: ['group:sg-db'], addresses: ['10.0.2.20'] }),
      ],
      segments: [
        seg('group:sg-app', 'group', { kind: 'security-group' }),
        seg('group:sg-db', 'group', { kind: 'security-group' }),
      ],
      rules: [
        sgRule('out', 'group:sg-app', 'egress', '-1', '0.0.0.0/0'),
        sgRule('db-in', 'group:sg-db', 'ingress', 'tcp', { kind: 'prefix-list', prefixListId: 'pl-1' }, 5432),
        ...(order === 'list-first' ? [list, entries] : [entries, list]),
      ],
    });
  };
  it.each(['list-first', 'entries-first'] as const)('%s: the entries count', (order) => {
    expect(levelVerdict(w(order), 'aws:api', 'aws:db', 'group', 5432)).toEqual({ verdict: 'allow', rule: 'db-in' });
  });
});
