// get-account-authorization-details as the AWS writer writes it: roles, trust policies, sts:AssumeRole grants, instance profiles.
import { isObj, type Obj } from '../../export/format';
import type { RoleGrantRule, RoleTrustRule, Segment } from '../../model/types';
import { type AwsWriter, attr, defined, isStub, strip, tagList } from './write-context';

export const principalArn = (w: AwsWriter, segId: string): string | undefined => {
  const s = w.seg.get(segId);
  if (segId.startsWith('account:')) {
    const id = attr(s, 'accountId') ?? strip(segId, 'account:');
    return /^\d{12}$/.test(id) ? `arn:aws:iam::${id}:root` : undefined;
  }
  return attr(s, 'arn') ?? (segId.startsWith('role:aws:') ? strip(segId, 'role:aws:') : undefined);
};

/** The trust document as imported, or one statement per trust rule when the rules were changed or are new. */
export const trustDocument = (w: AwsWriter, role: Segment, trusts: RoleTrustRule[]): Obj => {
  const kept = role.extra?.assumeRolePolicyDocument;
  const fromRules = (base: unknown[]): Obj => ({
    Version: '2012-10-17',
    Statement: [
      ...base,
      ...trusts.flatMap((t) => {
        const arn = principalArn(w, t.principal);
        return arn ? [{ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sts:AssumeRole' }] : [];
      }),
    ],
  });
  if (!isObj(kept)) return fromRules([]);
  const ids = trusts.map((t) => t.id);
  const pattern = `iam:${attr(role, 'arn') ?? ''}:trust:`;
  if (ids.every((id) => id.startsWith(pattern))) return kept;
  // Keep the statements that are not about AWS principals (services, federated), then one per rule.
  const statements = Array.isArray(kept.Statement) ? kept.Statement : [kept.Statement];
  w.notes.item('trust policies rewritten from their role-trust rules', role.id);
  return fromRules(statements.filter((s) => !(isObj(s) && isObj(s.Principal) && 'AWS' in s.Principal)));
};

const stringList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

type GrantsByStatement = Map<number, RoleGrantRule[]>;

/** sts:AssumeRole grants of a role, by policy and statement as their ids say (new ones in a policy of their own). */
const grantsByPolicy = (arn: string, grants: RoleGrantRule[]): Map<string, GrantsByStatement> => {
  const statements = new Map<string, GrantsByStatement>();
  for (const g of grants) {
    const m = /:grant:(.+):(\d+):(\d+)$/.exec(g.id);
    const policy = m && g.id.startsWith(`iam:${arn}:`) ? (m[1] as string) : 'segscope-assume-role';
    const byStatement = statements.get(policy) ?? new Map<number, RoleGrantRule[]>();
    statements.set(policy, byStatement);
    const i = m ? Number(m[2]) : 1000 + byStatement.size;
    byStatement.set(i, [...(byStatement.get(i) ?? []), g]);
  }
  return statements;
};

/** A policy document of sts:AssumeRole statements, one per statement and effect. */
const grantDocument = (w: AwsWriter, byStatement: GrantsByStatement | undefined): Obj => {
  const list = [...(byStatement ?? new Map<number, RoleGrantRule[]>()).entries()]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([, gs]) => {
      const byEffect = new Map<string, string[]>();
      for (const g of gs) {
        const target = principalArn(w, g.target);
        if (!target) {
          w.notes.item('role grants whose target is not an IAM role, left out (IAM grants name roles)', g.id);
          continue;
        }
        byEffect.set(g.effect, [...(byEffect.get(g.effect) ?? []), target]);
      }
      return [...byEffect].map(([Effect, targets]) => ({
        Effect,
        Action: 'sts:AssumeRole',
        Resource: targets.length === 1 ? targets[0] : targets,
      }));
    });
  return { Version: '2012-10-17', Statement: list };
};

/** The role's instance profiles: described ones, and one made up for instances that run as the role. */
const profileList = (w: AwsWriter, role: Segment, profiles: Segment[], path: string | undefined): Obj[] => {
  const made = w.madeProfiles.get(role.id);
  return [
    ...profiles
      .filter((p) => (p.parent ?? attr(p, 'role')) === role.id)
      .map((p) => ({ name: p.name, arn: attr(p, 'arn') ?? strip(p.id, 'role:aws:') })),
    ...(made ? [{ name: made.slice(made.lastIndexOf('/') + 1), arn: made }] : []),
  ].map((p) =>
    defined([
      ['Path', path],
      ['InstanceProfileName', p.name],
      ['Arn', p.arn],
    ]),
  );
};

interface AuthorizationParts {
  profiles: Segment[];
  trustBy: Map<string, RoleTrustRule[]>;
  grantBy: Map<string, RoleGrantRule[]>;
  /** Managed policies written with their grants, for the Policies list. */
  managedDocs: Obj[];
  /** Set when any policy document is written (they carry the grants only). */
  wroteGrants: { value: boolean };
}

/** One RoleDetailList entry: the role, its trust policy, profiles, and policies with their sts:AssumeRole grants. */
const roleDetail = (w: AwsWriter, role: Segment, parts: AuthorizationParts): Obj => {
  const arn = attr(role, 'arn') ?? strip(role.id, 'role:aws:');
  const managed = stringList(role.attributes?.managedPolicies);
  const inlineNames = stringList(role.attributes?.inlinePolicies);
  const statements = grantsByPolicy(arn, parts.grantBy.get(role.id) ?? []);
  const documentOf = (policy: string): Obj => {
    parts.wroteGrants.value = true;
    return grantDocument(w, statements.get(policy));
  };
  const managedNamed = (policy: string) => managed.find((m) => m.slice(m.lastIndexOf('/') + 1) === policy);
  const inline = [...inlineNames];
  for (const policy of statements.keys()) if (!inline.includes(policy) && !managedNamed(policy)) inline.push(policy);
  for (const policy of statements.keys()) {
    const m = managedNamed(policy);
    if (m && !inlineNames.includes(policy)) {
      parts.managedDocs.push({
        PolicyName: policy,
        Arn: m,
        DefaultVersionId: 'v1',
        PolicyVersionList: [{ Document: documentOf(policy), VersionId: 'v1', IsDefaultVersion: true }],
      });
    }
  }
  const path = attr(role, 'path');
  return defined([
    ['Path', path],
    ['RoleName', attr(role, 'roleName') ?? role.name],
    ['Arn', arn],
    ['AssumeRolePolicyDocument', trustDocument(w, role, parts.trustBy.get(role.id) ?? [])],
    ['InstanceProfileList', profileList(w, role, parts.profiles, path)],
    ['RolePolicyList', inline.map((policy) => ({ PolicyName: policy, PolicyDocument: documentOf(policy) }))],
    ['AttachedManagedPolicies', managed.map((m) => ({ PolicyName: m.slice(m.lastIndexOf('/') + 1), PolicyArn: m }))],
    ['Tags', tagList(role.labels)],
  ]);
};

export const authorization = (w: AwsWriter): Obj | undefined => {
  const roles = w.ws.segments.filter((s) => s.level === 'role' && s.attributes?.kind === 'iam-role' && !isStub(s));
  if (roles.length === 0) return undefined;
  const parts: AuthorizationParts = {
    profiles: w.ws.segments.filter(
      (s) => s.attributes?.kind === 'instance-profile' && !isStub(s) && (s.parent || attr(s, 'role')),
    ),
    trustBy: new Map(),
    grantBy: new Map(),
    managedDocs: [],
    wroteGrants: { value: false },
  };
  for (const r of w.ws.rules) {
    if (r.type === 'role-trust') parts.trustBy.set(r.role, [...(parts.trustBy.get(r.role) ?? []), r]);
    if (r.type === 'role-grant') parts.grantBy.set(r.principal, [...(parts.grantBy.get(r.principal) ?? []), r]);
  }
  const detail = roles.map((role) => roleDetail(w, role, parts));
  if (parts.wroteGrants.value) {
    w.notes.add(
      'IAM policies are written with their sts:AssumeRole statements only: other permissions are not in the workspace',
    );
  }
  return defined([
    ['RoleDetailList', detail],
    ['Policies', parts.managedDocs.length > 0 ? parts.managedDocs : undefined],
  ]);
};
