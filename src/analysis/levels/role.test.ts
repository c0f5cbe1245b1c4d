import { describe, expect, it } from 'vitest';
import { importFiles } from '../../import/index';
import type { Rule, Workspace } from '../../model/types';
import { reach } from '../reach';
import { grant, seg, svc, trust, ws } from '../testing/build';
import { type Expected, levelVerdict } from '../testing/verdict';

const ROLE_API = 'role:aws:api';
const ROLE_DB = 'role:aws:db';
const ROLE_OTHER = 'role:aws:other';
const PROFILE = 'role:aws:profile-api';

const world = (rules: Rule[], o: { apiRole?: string[]; sameAccount?: boolean } = {}): Workspace =>
  ws({
    services: [
      svc('aws:api', { role: o.apiRole ?? [ROLE_API], account: ['account:111111111111'] }),
      svc('aws:db', {
        role: [ROLE_DB],
        account: [o.sameAccount === false ? 'account:222222222222' : 'account:111111111111'],
      }),
    ],
    segments: [
      seg('account:111111111111', 'account', { kind: 'account' }),
      seg('account:222222222222', 'account', { kind: 'account' }),
      seg(ROLE_API, 'role', { kind: 'iam-role', name: 'api-role' }),
      seg(ROLE_DB, 'role', { kind: 'iam-role', name: 'db-role' }),
      seg(ROLE_OTHER, 'role', { kind: 'iam-role', name: 'other-role' }),
      seg(PROFILE, 'role', { kind: 'instance-profile', parent: ROLE_API }),
    ],
    rules,
  });

describe('role level', () => {
  it.each<[string, Workspace, Expected]>([
    ['no identity policy: open', world([]), { verdict: 'open', rule: undefined }],
    [
      'a grant to the caller role on the callee role allows',
      world([grant('g1', ROLE_API, ROLE_DB)]),
      { verdict: 'allow', rule: 'g1' },
    ],
    [
      'a grant naming the callee service allows',
      world([grant('g1', ROLE_API, 'aws:db')]),
      { verdict: 'allow', rule: 'g1' },
    ],
    ['grants to other roles only: denied', world([grant('g1', ROLE_OTHER, ROLE_DB)]), { verdict: 'deny', rule: 'g1' }],
    [
      'an explicit deny wins over an allow',
      world([grant('g1', ROLE_API, ROLE_DB), grant('d1', ROLE_API, ROLE_DB, 'Deny')]),
      { verdict: 'deny', rule: 'd1' },
    ],
    [
      'a caller with no known role cannot be granted',
      world([grant('g1', ROLE_API, ROLE_DB)], { apiRole: [] }),
      { verdict: 'deny', rule: 'g1' },
    ],
    [
      'an instance profile resolves to its role',
      world([grant('g1', ROLE_API, ROLE_DB)], { apiRole: [PROFILE] }),
      { verdict: 'allow', rule: 'g1' },
    ],
    [
      'the caller account as principal allows',
      world([grant('g1', 'account:111111111111', ROLE_DB)]),
      { verdict: 'allow', rule: 'g1' },
    ],
    [
      'across accounts: trust of the caller role, and the caller policies unknown: open',
      world([trust('t1', ROLE_DB, ROLE_API)], { sameAccount: false }),
      { verdict: 'open', rule: undefined },
    ],
    [
      'across accounts: trust of another principal denies',
      world([trust('t1', ROLE_DB, ROLE_OTHER)], { sameAccount: false }),
      { verdict: 'deny', rule: 't1' },
    ],
    [
      'trust is not checked inside one account',
      world([trust('t1', ROLE_DB, ROLE_OTHER)]),
      { verdict: 'open', rule: undefined },
    ],
  ])('%s', (_name, w, expected) => {
    expect(levelVerdict(w, 'aws:api', 'aws:db', 'role')).toEqual(expected);
  });

  it('suggests the grant to add', () => {
    expect(reach(world([grant('g1', ROLE_OTHER, ROLE_DB)]), 'aws:api', 'aws:db').levels.role.fix).toBe(
      'grant api-role access to db',
    );
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html —
// across accounts the caller's identity policy must allow sts:AssumeRole on the role AND the role's trust
// policy must trust the caller; an explicit Deny in any applicable policy wins.
describe('role level: cross-account needs both the grant and the trust; explicit deny anywhere wins', () => {
  /** api (account 111, its policies read) → db (account 222, its trust policy read). */
  const cross = (rules: Rule[], dbTrusted: string[] = ['arn:aws:iam::111111111111:role/api-role']): Workspace =>
    ws({
      services: [
        svc('aws:api', { role: [ROLE_API], account: ['account:111111111111'] }),
        svc('aws:db', { role: [ROLE_DB], account: ['account:222222222222'] }),
      ],
      segments: [
        seg('account:111111111111', 'account', { kind: 'account' }),
        seg('account:222222222222', 'account', { kind: 'account' }),
        seg(ROLE_API, 'role', {
          kind: 'iam-role',
          name: 'api-role',
          attributes: { arn: 'arn:aws:iam::111111111111:role/api-role', inlinePolicies: ['assume'] },
        }),
        seg(ROLE_DB, 'role', {
          kind: 'iam-role',
          name: 'db-role',
          attributes: { arn: 'arn:aws:iam::222222222222:role/db-role', trustedPrincipals: dbTrusted },
        }),
      ],
      rules,
    });
  const onDb = (id: string, effect: 'Allow' | 'Deny' = 'Allow') => grant(id, ROLE_API, ROLE_DB, effect);
  const onAll = (id: string, pattern: string, effect: 'Allow' | 'Deny' = 'Allow') => ({
    ...grant(id, ROLE_API, `role:aws:${pattern}`, effect),
    targetPattern: pattern,
  });
  it.each<[string, Workspace, Expected]>([
    ['grant and trust: allow', cross([onDb('g1'), trust('t1', ROLE_DB, ROLE_API)]), { verdict: 'allow', rule: 'g1' }],
    [
      'trust without the caller grant: deny',
      cross([trust('t1', ROLE_DB, ROLE_API)]),
      { verdict: 'deny', rule: 'default:role-no-assume-grant' },
    ],
    [
      'grant without trust of the caller: deny',
      cross([onDb('g1'), trust('t1', ROLE_DB, ROLE_OTHER)]),
      { verdict: 'deny', rule: 't1' },
    ],
    [
      'grant, and a trust policy that trusts only a service principal: deny',
      cross([onDb('g1')], ['Service:ec2.amazonaws.com']),
      { verdict: 'deny', rule: 'default:role-not-trusted' },
    ],
    [
      'a wildcard grant (role/*) reaches a role of another file',
      cross([onAll('g1', 'arn:aws:iam::222222222222:role/*'), trust('t1', ROLE_DB, ROLE_API)]),
      { verdict: 'allow', rule: 'g1' },
    ],
    [
      'a wildcard Deny (role/*) wins over the grant and the trust',
      cross([onDb('g1'), trust('t1', ROLE_DB, ROLE_API), onAll('d1', 'arn:aws:iam::222222222222:role/*', 'Deny')]),
      { verdict: 'deny', rule: 'd1' },
    ],
    [
      'a wildcard Deny on another account’s roles does not apply',
      cross([onDb('g1'), trust('t1', ROLE_DB, ROLE_API), onAll('d1', 'arn:aws:iam::333333333333:role/*', 'Deny')]),
      { verdict: 'allow', rule: 'g1' },
    ],
  ])('%s', (_name, w, expected) => {
    expect(levelVerdict(w, 'aws:api', 'aws:db', 'role')).toEqual(expected);
  });
  it('a Deny for another principal does not make the callee accept only granted callers', () => {
    const w = world([{ ...grant('d1', ROLE_OTHER, 'role:aws:x', 'Deny'), targetPattern: '*' }]);
    expect(levelVerdict(w, 'aws:api', 'aws:db', 'role')).toEqual({ verdict: 'open', rule: undefined });
  });
});

describe('role level across files: each account exports its own IAM, the instances come from a third file', () => {
  const role = (account: string, name: string, trust: string, statements: unknown[]) => ({
    RoleName: name,
    Arn: `arn:aws:iam::${account}:role/${name}`,
    Path: '/',
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: trust }, Action: 'sts:AssumeRole' }],
    },
    InstanceProfileList: [
      { InstanceProfileName: name, Arn: `arn:aws:iam::${account}:instance-profile/${name}`, Path: '/' },
    ],
    RolePolicyList: [{ PolicyName: 'calls', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    AttachedManagedPolicies: [],
  });
  const reservation = (account: string, id: string, profile: string) => ({
    OwnerId: account,
    Instances: [{ InstanceId: id, IamInstanceProfile: { Arn: `arn:aws:iam::${account}:instance-profile/${profile}` } }],
  });
  const files = (apiStatements: unknown[], dbTrusts = 'arn:aws:iam::111111111111:role/api-role') => [
    {
      name: 'iam-111.json',
      text: JSON.stringify({
        RoleDetailList: [role('111111111111', 'api-role', 'arn:aws:iam::111111111111:root', apiStatements)],
      }),
    },
    {
      name: 'iam-222.json',
      text: JSON.stringify({
        RoleDetailList: [role('222222222222', 'db-role', dbTrusts, [])],
      }),
    },
    {
      name: 'instances.json',
      text: JSON.stringify({
        Reservations: [
          reservation('111111111111', 'i-api', 'api-role'),
          reservation('222222222222', 'i-db', 'db-role'),
        ],
      }),
    },
  ];
  const assume = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::222222222222:role/db-role' };
  it('grant in one file, trust in another: allowed', () => {
    const w = importFiles(files([assume])).workspace;
    expect(levelVerdict(w, 'aws:i-api', 'aws:i-db', 'role').verdict).toBe('allow');
  });
  it('a wildcard Deny (Action "*", role/*) in the caller account’s file applies to the role of the other file', () => {
    const deny = { Effect: 'Deny', Action: '*', Resource: 'arn:aws:iam::222222222222:role/*' };
    const w = importFiles(files([assume, deny])).workspace;
    expect(levelVerdict(w, 'aws:i-api', 'aws:i-db', 'role')).toEqual({
      verdict: 'deny',
      rule: 'iam:arn:aws:iam::111111111111:role/api-role:grant:calls:1:0',
    });
  });
  it('the grant in one file, a trust policy in the other that trusts another account: denied by that trust', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html —
    // a cross-account request is allowed only when the caller's identity policy and the target's resource
    // (trust) policy both allow it.
    const w = importFiles(files([assume], 'arn:aws:iam::333333333333:root')).workspace;
    expect(levelVerdict(w, 'aws:i-api', 'aws:i-db', 'role')).toEqual({
      verdict: 'deny',
      rule: 'iam:arn:aws:iam::222222222222:role/db-role:trust:0:0',
    });
  });
  it('no sts:AssumeRole grant in the caller’s (read) policies: denied although the role trusts it', () => {
    const w = importFiles(files([])).workspace;
    expect(levelVerdict(w, 'aws:i-api', 'aws:i-db', 'role')).toEqual({
      verdict: 'deny',
      rule: 'default:role-no-assume-grant',
    });
  });
});
