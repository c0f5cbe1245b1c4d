import { describe, expect, it } from 'vitest';
import type { Rule, Workspace } from '../../model/types';
import { accountPath, peering, seg, svc, ws } from '../testing/build';
import { type Expected, levelVerdict } from '../testing/verdict';

const A1 = 'account:111111111111';
const A2 = 'account:222222222222';

const world = (a: string[] | undefined, b: string[] | undefined, rules: Rule[] = [], peered = false): Workspace =>
  ws({
    services: [
      svc('aws:api', { account: a, network: ['network:vpc-a'] }),
      svc('aws:db', { account: b, network: [peered ? 'network:vpc-b' : 'network:vpc-c'] }),
    ],
    segments: [
      seg('org:o-1', 'account', { kind: 'organization' }),
      seg(A1, 'account', { kind: 'account', parent: 'org:o-1' }),
      seg(A2, 'account', { kind: 'account', parent: 'org:o-1' }),
      seg('account:cluster-1', 'account', { kind: 'cluster', parent: A1 }),
      seg('account:dc-paris', 'account', { kind: 'datacenter' }),
      seg('account:dc-lyon', 'account', { kind: 'datacenter' }),
      seg('network:vpc-a', 'network', { kind: 'vpc', cidrs: ['10.0.0.0/16'] }),
      seg('network:vpc-b', 'network', { kind: 'vpc', cidrs: ['10.1.0.0/16'] }),
      seg('network:vpc-c', 'network', { kind: 'vpc', cidrs: ['10.2.0.0/16'] }),
    ],
    rules,
  });

describe('account level', () => {
  it.each<[string, Workspace, Expected]>([
    ['same account allows', world([A1], [A1]), { verdict: 'allow', rule: A1 }],
    [
      'a cluster inside the account counts as the account',
      world(['account:cluster-1'], [A1]),
      { verdict: 'allow', rule: A1 },
    ],
    [
      'different accounts without a path deny',
      world([A1], [A2]),
      { verdict: 'deny', rule: 'default:account-boundary' },
    ],
    [
      'peered VPCs give a path across accounts',
      world([A1], [A2], [peering('pcx-ab', 'network:vpc-a', 'network:vpc-b')], true),
      { verdict: 'allow', rule: 'pcx-ab' },
    ],
    [
      'a PrivateLink path from the caller account allows',
      world([A1], [A2], [accountPath('pl-1', A1, A2)]),
      { verdict: 'allow', rule: 'pl-1' },
    ],
    [
      'PrivateLink is one-way',
      world([A2], [A1], [accountPath('pl-1', A1, A2)]),
      { verdict: 'deny', rule: 'default:account-boundary' },
    ],
    [
      'a peering account-path works both ways',
      world([A2], [A1], [accountPath('p-1', A1, A2, 'peering')]),
      { verdict: 'allow', rule: 'p-1' },
    ],
    [
      'different datacenters without a path deny',
      world(['account:dc-paris'], ['account:dc-lyon']),
      { verdict: 'deny', rule: 'default:account-boundary' },
    ],
    ['a side without account data: open', world([A1], undefined), { verdict: 'open', rule: undefined }],
  ])('%s', (_name, w, expected) => {
    expect(levelVerdict(w, 'aws:api', 'aws:db', 'account')).toEqual(expected);
  });
});
