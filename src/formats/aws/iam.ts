// AWS accounts and identities → segments and rules: Organizations accounts, IAM roles, instance profiles, trust.
import { hasIamWildcard, iamGlobMatch } from '../../model/iam';
import type { Segment } from '../../model/types';
import { type AwsBuilder, arnPart, eachObject, isObj, type Obj, type Path, str, tagMap } from './builder';
import { awsIds, isAccountId } from './conventions';

// ---------------------------------------------------------------------------------------------
// aws organizations list-accounts

export const readAccounts = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'Accounts', (a, p) => {
    const id = str(a, 'Id');
    if (!isAccountId(id)) return b.diag(p, 'account without a 12-digit Id; skipped');
    const arn = str(a, 'Arn');
    // arn:aws:organizations::<management account>:account/o-<org>/<account>
    const org = arn ? /:account\/(o-[a-z0-9]+)\//.exec(arn)?.[1] : undefined;
    let parent: string | undefined;
    if (org) {
      const management = arnPart(arn, 'account');
      parent = b.segment({
        id: awsIds.account(org),
        level: 'account',
        name: org,
        attributes: {
          kind: 'organization',
          organizationId: org,
          ...(isAccountId(management) ? { managementAccountId: management } : {}),
        },
        source: [b.at(p)],
      });
    }
    const attributes: Obj = { kind: 'account', accountId: id };
    for (const [key, attr] of [
      ['Arn', 'arn'],
      ['Email', 'email'],
      ['Status', 'status'],
      ['State', 'state'],
      ['JoinedMethod', 'joinedMethod'],
    ] as const) {
      const v = str(a, key);
      if (v) attributes[attr] = v;
    }
    const seg: Segment = {
      id: awsIds.account(id),
      level: 'account',
      name: str(a, 'Name') ?? id,
      attributes,
      source: [b.at(p)],
    };
    if (parent) seg.parent = parent;
    b.segment(seg);
  });

// ---------------------------------------------------------------------------------------------
// Policy documents

/**
 * A policy document as an object. The IAM API returns documents URL-encoded (RFC 3986); the CLI
 * decodes them, other tools do not, and Terraform keeps them as JSON text.
 */
export const parsePolicyDocument = (v: unknown): { doc?: Obj; error?: string } => {
  if (isObj(v)) return { doc: v };
  if (typeof v !== 'string') return { error: `expected a policy document, found ${v === null ? 'null' : typeof v}` };
  const attempts = [() => v, () => decodeURIComponent(v), () => decodeURIComponent(v.replace(/\+/g, ' '))];
  for (const attempt of attempts) {
    try {
      const parsed: unknown = JSON.parse(attempt());
      if (isObj(parsed)) return { doc: parsed };
    } catch {
      // try the next decoding
    }
  }
  return { error: 'policy document is neither JSON nor URL-encoded JSON' };
};

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => asList(v).filter((x): x is string => typeof x === 'string');

const allowsAssumeRole = (statement: Obj): boolean =>
  strings(statement.Action).some((a) => iamGlobMatch(a, 'sts:AssumeRole'));

/** Principal ARN or account id → the account or role segment id it names; undefined for others. */
export const principalSegment = (principal: string): string | undefined => {
  if (isAccountId(principal)) return awsIds.account(principal);
  const m = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(root|role\/.+|assumed-role\/([^/]+)\/.*)$/.exec(principal);
  if (!m) return undefined;
  const [, service, account, resource, assumed] = m;
  if (resource === 'root') return awsIds.account(account as string);
  if (service === 'sts' && assumed) return awsIds.role(`arn:aws:iam::${account}:role/${assumed}`);
  if (service === 'iam') return awsIds.role(principal);
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// Roles (CLI RoleDetailList and Terraform aws_iam_role)

export interface PolicyInput {
  name: string;
  document: unknown;
  path: Path;
}

export interface RoleInput {
  arn: string;
  name: string;
  iamPath?: string | undefined;
  trust: unknown;
  trustPath: Path;
  inline: PolicyInput[];
  /** Attached managed policy ARNs, with their documents when the file has them. */
  managed: { arn: string; document?: PolicyInput | undefined }[];
  tags?: Record<string, string> | undefined;
  path: Path;
}

/** The trust policy: who may assume the role (attributes) and one role-trust rule per AWS principal allowed to. */
const readTrust = (b: AwsBuilder, r: RoleInput, id: string, seg: Segment, attributes: Obj): void => {
  const trust = parsePolicyDocument(r.trust);
  if (!trust.doc) {
    if (r.trust !== undefined) b.diag(r.trustPath, `${r.name}: trust policy not read: ${trust.error}`, 'warn');
    return;
  }
  // AWS counts the policy without whitespace against the 2,048-character trust policy limit.
  attributes.trustPolicySize = JSON.stringify(trust.doc).length;
  const principals: string[] = [];
  asList(trust.doc.Statement).forEach((s, i) => {
    if (!isObj(s)) return;
    const sp = [...r.trustPath, 'Statement', i];
    if (s.Effect !== 'Allow') {
      b.diag(sp, `${r.name}: trust statement ${i} with Effect ${String(s.Effect)} is not modelled`, 'info');
      return;
    }
    const principal = s.Principal;
    const list: string[] =
      principal === '*'
        ? ['*']
        : isObj(principal)
          ? Object.entries(principal).flatMap(([k, v]) => strings(v).map((x) => (k === 'AWS' ? x : `${k}:${x}`)))
          : [];
    for (const p of list) if (!principals.includes(p)) principals.push(p);
    if (!allowsAssumeRole(s)) return;
    const aws = isObj(principal) ? strings(principal.AWS) : principal === '*' ? ['*'] : [];
    aws.forEach((p, j) => {
      const target = principalSegment(p);
      if (!target) return;
      b.rule(
        {
          id: `iam:${r.arn}:trust:${i}:${j}`,
          type: 'role-trust',
          level: 'role',
          role: id,
          principal: target,
          source: b.at(sp),
        },
        sp,
      );
    });
  });
  attributes.trustedPrincipals = principals;
  seg.extra = { assumeRolePolicyDocument: trust.doc };
};

/** sts:AssumeRole statements of the role's policies: one role-grant rule per target role or wildcard pattern; returns the wildcards. */
const readGrants = (b: AwsBuilder, r: RoleInput, id: string): string[] => {
  const policies: PolicyInput[] = [...r.inline, ...r.managed.flatMap((m) => (m.document ? [m.document] : []))];
  const wildcards: string[] = [];
  for (const policy of policies) {
    const parsed = parsePolicyDocument(policy.document);
    if (!parsed.doc) {
      b.diag(policy.path, `${r.name}: policy ${policy.name} not read: ${parsed.error}`, 'warn');
      continue;
    }
    asList(parsed.doc.Statement).forEach((s, i) => {
      if (!isObj(s) || (s.Effect !== 'Allow' && s.Effect !== 'Deny') || !allowsAssumeRole(s)) return;
      const sp = [...policy.path, 'Statement', i];
      let k = 0;
      for (const resource of strings(s.Resource)) {
        // A wildcard names roles of any loaded file (another account's export too): the role level matches it.
        const pattern = hasIamWildcard(resource);
        if (pattern && !wildcards.includes(resource)) wildcards.push(resource);
        const target = pattern ? awsIds.role(resource) : principalSegment(resource);
        if (!pattern && !target?.startsWith('role:')) continue;
        b.rule(
          {
            id: `iam:${r.arn}:grant:${policy.name}:${i}:${k++}`,
            type: 'role-grant',
            level: 'role',
            principal: id,
            target: target as string,
            ...(pattern ? { targetPattern: resource } : {}),
            effect: s.Effect,
            source: b.at(sp),
          },
          sp,
        );
      }
    });
  }
  return wildcards;
};

/** Builds the role segment, its trust rules (role-trust) and its sts:AssumeRole grants (role-grant). */
export const addRole = (b: AwsBuilder, r: RoleInput): string => {
  const accountId = arnPart(r.arn, 'account');
  const parent = b.account(accountId, r.path);
  const id = awsIds.role(r.arn);
  const attributes: Obj = {
    kind: 'iam-role',
    arn: r.arn,
    roleName: r.name,
    managedPolicyCount: r.managed.length,
    managedPolicies: r.managed.map((m) => m.arn),
    inlinePolicies: r.inline.map((p) => p.name),
  };
  // Attached policies whose documents the file lacks: the role's grants are then not fully known.
  const unread = r.managed.filter((m) => !m.document).map((m) => m.arn);
  if (unread.length > 0) attributes.unreadPolicies = unread;
  if (accountId) attributes.accountId = accountId;
  if (r.iamPath) attributes.path = r.iamPath;
  const seg: Segment = { id, level: 'role', name: r.name, attributes, source: [b.at(r.path)] };
  if (parent) seg.parent = parent;
  if (r.tags) seg.labels = r.tags;
  readTrust(b, r, id, seg, attributes);
  b.segment(seg);
  const wildcards = readGrants(b, r, id);
  if (wildcards.length > 0) {
    const s = b.getSegment(id);
    if (s) s.attributes = { ...s.attributes, assumeRoleWildcards: wildcards };
  }
  return id;
};

/** Instance profile segment, a child of its role so that a profile membership resolves to the role. */
export const addInstanceProfile = (
  b: AwsBuilder,
  p: { arn: string; name: string; role?: string | undefined },
  path: Path,
): string => {
  const accountId = arnPart(p.arn, 'account');
  const seg: Segment = {
    id: awsIds.role(p.arn),
    level: 'role',
    name: p.name,
    attributes: { kind: 'instance-profile', arn: p.arn, ...(accountId ? { accountId } : {}) },
    source: [b.at(path)],
  };
  if (p.role) {
    seg.parent = p.role;
    (seg.attributes as Obj).role = p.role;
    b.profileRoles.set(p.arn, p.role);
  }
  return b.segment(seg);
};

// ---------------------------------------------------------------------------------------------
// aws iam get-account-authorization-details

export interface AuthorizationSections {
  roles: { value: unknown; path: Path }[];
  policies: { value: unknown; path: Path }[];
  users: { value: unknown; path: Path }[];
  groups: { value: unknown; path: Path }[];
}

/** The default version's document of each customer or AWS managed policy, by ARN. */
const managedDocuments = (b: AwsBuilder, sections: AuthorizationSections): Map<string, PolicyInput> => {
  const out = new Map<string, PolicyInput>();
  for (const s of sections.policies) {
    eachObject(b, s.value, s.path, 'Policies', (pol, p) => {
      const arn = str(pol, 'Arn');
      if (!arn) return b.diag(p, 'managed policy without Arn; skipped', 'warn');
      const versions = Array.isArray(pol.PolicyVersionList) ? pol.PolicyVersionList : [];
      const i = versions.findIndex((v) => isObj(v) && v.IsDefaultVersion === true);
      const version = versions[i];
      if (isObj(version)) {
        out.set(arn, {
          name: str(pol, 'PolicyName') ?? arn,
          document: version.Document,
          path: [...p, 'PolicyVersionList', i, 'Document'],
        });
      }
    });
  }
  return out;
};

export const readAuthorizationDetails = (b: AwsBuilder, sections: AuthorizationSections): void => {
  const documents = managedDocuments(b, sections);
  for (const s of sections.roles) {
    eachObject(b, s.value, s.path, 'RoleDetailList', (r, p) => {
      const arn = str(r, 'Arn');
      const name = str(r, 'RoleName');
      if (!arn || !name) return b.diag(p, 'role without Arn or RoleName; skipped');
      const inline: PolicyInput[] = [];
      eachObject(b, r.RolePolicyList, [...p, 'RolePolicyList'], 'RolePolicyList', (pol, pp) => {
        inline.push({
          name: str(pol, 'PolicyName') ?? 'inline',
          document: pol.PolicyDocument,
          path: [...pp, 'PolicyDocument'],
        });
      });
      const managed: RoleInput['managed'] = [];
      eachObject(b, r.AttachedManagedPolicies, [...p, 'AttachedManagedPolicies'], 'AttachedManagedPolicies', (m) => {
        const policyArn = str(m, 'PolicyArn');
        if (policyArn) managed.push({ arn: policyArn, document: documents.get(policyArn) });
      });
      const role = addRole(b, {
        arn,
        name,
        iamPath: str(r, 'Path'),
        trust: r.AssumeRolePolicyDocument,
        trustPath: [...p, 'AssumeRolePolicyDocument'],
        inline,
        managed,
        tags: tagMap(r.Tags),
        path: p,
      });
      eachObject(b, r.InstanceProfileList, [...p, 'InstanceProfileList'], 'InstanceProfileList', (ip, ipp) => {
        const profileArn = str(ip, 'Arn');
        if (!profileArn) return b.diag(ipp, 'instance profile without Arn; skipped', 'warn');
        addInstanceProfile(b, { arn: profileArn, name: str(ip, 'InstanceProfileName') ?? profileArn, role }, ipp);
      });
    });
  }
  // Users and groups are people's identities, not workloads: counted, not modelled.
  for (const [list, what] of [
    [sections.users, 'user'],
    [sections.groups, 'group'],
  ] as const) {
    const count = list.reduce((n, s) => n + (Array.isArray(s.value) ? s.value.length : 0), 0);
    const first = list[0];
    if (first && count > 0) {
      b.diag(first.path, `${count} IAM ${what}(s) not modelled: segscope places workloads, which run as roles`, 'info');
    }
  }
};
