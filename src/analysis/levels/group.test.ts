import { describe, expect, it } from 'vitest';
import type { Protocol, Rule, Workspace } from '../../model/types';
import { reach } from '../reach';
import { prefixList, seg, sgRule, svc, ws } from '../testing/build';
import { type Expected, levelVerdict } from '../testing/verdict';

const APP = 'group:sg-app';
const DB = 'group:sg-db';
const egressAll = (id: string, group: string) => sgRule(id, group, 'egress', '-1', '0.0.0.0/0');

/** api (10.0.1.10) → db (10.0.2.20), each with the given groups, and the given rules. */
const pair = (aGroups: string[] | undefined, bGroups: string[] | undefined, rules: Rule[]): Workspace =>
  ws({
    services: [
      svc('aws:api', { group: aGroups, addresses: ['10.0.1.10'] }),
      svc('aws:db', { group: bGroups, addresses: ['10.0.2.20'] }),
    ],
    segments: [
      seg(APP, 'group', { kind: 'security-group', name: 'sg-app', attributes: { groupId: 'sg-app' } }),
      seg(DB, 'group', { kind: 'security-group', name: 'sg-db', attributes: { groupId: 'sg-db' } }),
      seg('group:sg-shared', 'group', {
        kind: 'security-group',
        name: 'sg-shared',
        attributes: { groupId: 'sg-shared' },
      }),
    ],
    rules,
  });

const base = (ingress: Rule[]): Workspace => pair([APP], [DB], [egressAll('app-out', APP), ...ingress]);

describe('group level', () => {
  it.each<[string, Workspace, number | undefined, Protocol | undefined, Expected]>([
    [
      'ingress from the caller group allows',
      base([sgRule('db-in', DB, 'ingress', 'tcp', APP, 5432)]),
      5432,
      undefined,
      { verdict: 'allow', rule: 'db-in' },
    ],
    ['no ingress rule denies at the callee group', base([]), 5432, undefined, { verdict: 'deny', rule: DB }],
    [
      'ingress on another port denies',
      base([sgRule('db-in', DB, 'ingress', 'tcp', APP, 3306)]),
      5432,
      undefined,
      { verdict: 'deny', rule: DB },
    ],
    [
      'a port range containing the port allows',
      base([sgRule('db-in', DB, 'ingress', 'tcp', APP, 5000, 6000)]),
      5432,
      undefined,
      { verdict: 'allow', rule: 'db-in' },
    ],
    [
      'protocol -1 allows everything',
      base([sgRule('db-in', DB, 'ingress', '-1', APP)]),
      5432,
      'UDP',
      { verdict: 'allow', rule: 'db-in' },
    ],
    [
      'a UDP call does not match a TCP rule',
      base([sgRule('db-in', DB, 'ingress', 'tcp', APP, 5432)]),
      5432,
      'UDP',
      { verdict: 'deny', rule: DB },
    ],
    [
      'ICMP rules carry no ports',
      base([sgRule('db-in', DB, 'ingress', 'icmp', APP, -1)]),
      5432,
      undefined,
      { verdict: 'deny', rule: DB },
    ],
    [
      'a CIDR containing the caller address allows',
      base([sgRule('db-in', DB, 'ingress', 'tcp', '10.0.1.0/24', 5432)]),
      5432,
      undefined,
      { verdict: 'allow', rule: 'db-in' },
    ],
    [
      'a CIDR not containing the caller address denies',
      base([sgRule('db-in', DB, 'ingress', 'tcp', '10.0.9.0/24', 5432)]),
      5432,
      undefined,
      { verdict: 'deny', rule: DB },
    ],
    [
      'a prefix list containing the caller address allows',
      base([
        prefixList('pl', 'pl-123', ['10.0.0.0/16']),
        sgRule('db-in', DB, 'ingress', 'tcp', { kind: 'prefix-list', prefixListId: 'pl-123' }, 5432),
      ]),
      5432,
      undefined,
      { verdict: 'allow', rule: 'db-in' },
    ],
    [
      'an unknown prefix list matches nothing',
      base([sgRule('db-in', DB, 'ingress', 'tcp', { kind: 'prefix-list', prefixListId: 'pl-404' }, 5432)]),
      5432,
      undefined,
      { verdict: 'deny', rule: DB },
    ],
    [
      'a peer named by its group id (sg-…) resolves',
      base([sgRule('db-in', DB, 'ingress', 'tcp', 'sg-app', 5432)]),
      5432,
      undefined,
      { verdict: 'allow', rule: 'db-in' },
    ],
    [
      'a group without egress rules allows no egress',
      pair([APP], [DB], [sgRule('db-in', DB, 'ingress', 'tcp', APP, 5432)]),
      5432,
      undefined,
      { verdict: 'deny', rule: APP },
    ],
    [
      'egress to the callee group only on another port denies',
      pair(
        [APP],
        [DB],
        [sgRule('app-out', APP, 'egress', 'tcp', DB, 443), sgRule('db-in', DB, 'ingress', 'tcp', APP, 5432)],
      ),
      5432,
      undefined,
      { verdict: 'deny', rule: APP },
    ],
    [
      'sharing a group grants nothing',
      pair(['group:sg-shared'], ['group:sg-shared'], [egressAll('out', 'group:sg-shared')]),
      80,
      undefined,
      { verdict: 'deny', rule: 'group:sg-shared' },
    ],
    [
      'a self-referencing rule lets members talk',
      pair(
        ['group:sg-shared'],
        ['group:sg-shared'],
        [egressAll('out', 'group:sg-shared'), sgRule('self', 'group:sg-shared', 'ingress', '-1', 'group:sg-shared')],
      ),
      80,
      undefined,
      { verdict: 'allow', rule: 'self' },
    ],
    [
      'a caller without groups meets CIDR ingress',
      pair(undefined, [DB], [sgRule('db-in', DB, 'ingress', 'tcp', '10.0.0.0/8', 5432)]),
      5432,
      undefined,
      { verdict: 'allow', rule: 'db-in' },
    ],
    [
      'a caller without groups cannot meet a group reference',
      pair(undefined, [DB], [sgRule('db-in', DB, 'ingress', 'tcp', APP, 5432)]),
      5432,
      undefined,
      { verdict: 'deny', rule: DB },
    ],
    [
      'a callee without groups: only the caller egress counts',
      pair([APP], undefined, [sgRule('app-out', APP, 'egress', 'tcp', '10.0.2.20/32', 5432)]),
      5432,
      undefined,
      { verdict: 'allow', rule: 'app-out' },
    ],
    [
      'neither side in a group: open',
      pair(undefined, undefined, []),
      5432,
      undefined,
      { verdict: 'open', rule: undefined },
    ],
    [
      'without a port: egress 80 and ingress 443 share nothing',
      pair(
        [APP],
        [DB],
        [sgRule('app-out', APP, 'egress', 'tcp', DB, 80), sgRule('db-in', DB, 'ingress', 'tcp', APP, 443)],
      ),
      undefined,
      undefined,
      { verdict: 'deny', rule: DB },
    ],
    [
      'without a port: some common connection allows',
      pair(
        [APP],
        [DB],
        [sgRule('app-out', APP, 'egress', 'tcp', DB, 1, 1000), sgRule('db-in', DB, 'ingress', 'tcp', APP, 443)],
      ),
      undefined,
      undefined,
      { verdict: 'allow', rule: 'db-in' },
    ],
  ])('%s', (_name, w, port, protocol, expected) => {
    expect(levelVerdict(w, 'aws:api', 'aws:db', 'group', port, protocol)).toEqual(expected);
  });

  it('0.0.0.0/0 meets a service with no known address', () => {
    const w = ws({
      services: [svc('aws:api', { group: [APP] }), svc('aws:db', { group: [DB] })],
      segments: [seg(APP, 'group', { kind: 'security-group' }), seg(DB, 'group', { kind: 'security-group' })],
      rules: [egressAll('out', APP), sgRule('db-in', DB, 'ingress', 'tcp', '0.0.0.0/0', 443)],
    });
    expect(levelVerdict(w, 'aws:api', 'aws:db', 'group', 443)).toEqual({ verdict: 'allow', rule: 'db-in' });
  });

  it('says which rule to add', () => {
    expect(reach(base([]), 'aws:api', 'aws:db', 5432).levels.group.fix).toBe(
      'add ingress tcp 5432 from sg-app to sg-db',
    );
    const noEgress = pair([APP], [DB], [sgRule('db-in', DB, 'ingress', 'tcp', APP, 5432)]);
    expect(reach(noEgress, 'aws:api', 'aws:db', 5432).levels.group.fix).toBe('add egress tcp 5432 to sg-db on sg-app');
    expect(
      reach(base([sgRule('db-in', DB, 'ingress', 'tcp', APP, 5432)]), 'aws:api', 'aws:db', 5432).levels.group.rule
        ?.summary,
    ).toBe('sg-db ingress tcp 5432 from sg-app');
  });
});
