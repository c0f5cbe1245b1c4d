import { describe, expect, it } from 'vitest';
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
      'across accounts: trust of the caller role allows',
      world([trust('t1', ROLE_DB, ROLE_API)], { sameAccount: false }),
      { verdict: 'allow', rule: 't1' },
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
