// aws_iam_role, its policies and attachments, and aws_iam_instance_profile → role segments and rules.
import { type AwsBuilder, isObj, str, tagMap } from '../aws/builder';
import { awsIds } from '../aws/conventions';
import { addInstanceProfile, addRole, type PolicyInput } from '../aws/iam';
import { list, type Resource, valuesBy } from './resources';

/** Roles with their inline and attached policies; returns role name → role segment id for profiles. */
export const readRoles = (b: AwsBuilder, of: (type: string) => Resource[]): Map<string, string> => {
  const byName = new Map<string, string>();
  const inlineByRole = new Map<string, PolicyInput[]>();
  for (const r of of('aws_iam_role_policy')) {
    const role = str(r.values, 'role');
    if (!role) continue;
    const policy: PolicyInput = {
      name: str(r.values, 'name') ?? r.address,
      document: r.values.policy,
      path: [...r.path, 'policy'],
    };
    inlineByRole.set(role, [...(inlineByRole.get(role) ?? []), policy]);
  }
  const attachedByRole = valuesBy(of('aws_iam_role_policy_attachment'), 'role', 'policy_arn');
  for (const r of of('aws_iam_role')) {
    const v = r.values;
    const arn = str(v, 'arn');
    const name = str(v, 'name');
    if (!arn || !name) {
      b.diag(r.path, `${r.address}: role without arn or name; skipped`, 'warn');
      continue;
    }
    const inline: PolicyInput[] = [];
    if (Array.isArray(v.inline_policy)) {
      v.inline_policy.forEach((p, i) => {
        // The provider keeps an empty placeholder block when a role has no inline policy.
        if (isObj(p) && str(p, 'name') && str(p, 'policy')) {
          inline.push({
            name: str(p, 'name') as string,
            document: p.policy,
            path: [...r.path, 'inline_policy', i, 'policy'],
          });
        }
      });
    }
    inline.push(...(inlineByRole.get(name) ?? []));
    const managedArns = [...new Set([...list(v.managed_policy_arns), ...(attachedByRole.get(name) ?? [])])];
    byName.set(
      name,
      addRole(b, {
        arn,
        name,
        iamPath: str(v, 'path'),
        trust: v.assume_role_policy,
        trustPath: [...r.path, 'assume_role_policy'],
        inline,
        managed: managedArns.map((m) => ({ arn: m })),
        tags: tagMap(v.tags),
        path: r.path,
      }),
    );
  }
  for (const r of of('aws_iam_instance_profile')) {
    const arn = str(r.values, 'arn');
    const name = str(r.values, 'name');
    if (!arn || !name) continue;
    const roleName = str(r.values, 'role');
    const role = roleName ? byName.get(roleName) : undefined;
    addInstanceProfile(b, { arn, name, role }, r.path);
    byName.set(`profile:${name}`, role ?? awsIds.role(arn));
  }
  return byName;
};
