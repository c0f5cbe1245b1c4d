// Role level: identity grants (explicit deny wins) and, across accounts, the caller's grant AND the callee role's trust.
import { iamGlobMatch } from '../../model/iam';
import type { RoleGrantRule, RoleTrustRule, Segment } from '../../model/types';
import { ALL, type Conn, EMPTY, intersect } from '../connset';
import {
  defaultRef,
  type IndexCore,
  kindOf,
  type LevelEngine,
  type LevelResult,
  membershipOf,
  ruleRef,
  T,
} from '../core';
import { accountUnits } from './account';
import { createIstioPart } from './role-istio';

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
};

/** Grants and trusts by what they name; wildcard grants apart, matched against role ARNs. Shared by what-if copies. */
const roleStatic = (core: IndexCore) => {
  const grants = new Map<string, RoleGrantRule[]>();
  const patterns: RoleGrantRule[] = [];
  const trusts = new Map<string, RoleTrustRule[]>();
  const principalsUsed = new Set<string>();
  for (const g of core.rulesOf('role-grant')) {
    if (g.targetPattern !== undefined) patterns.push(g);
    else push(grants, g.target, g);
    principalsUsed.add(g.principal);
  }
  for (const t of core.rulesOf('role-trust')) {
    push(trusts, t.role, t);
    principalsUsed.add(t.principal);
  }
  return { grants, patterns, trusts, principalsUsed };
};

type RoleStatic = ReturnType<typeof roleStatic>;

/** The identity half's per-workspace state: the shared rule indexes and memos of each service's roles. */
interface RoleState extends RoleStatic {
  core: IndexCore;
  roleIds(i: number): readonly string[];
  iamRoles(i: number): readonly (Segment | undefined)[];
  /** What a grant or trust may name for the service: its roles, their parents and its accounts. */
  principals(i: number): ReadonlySet<string>;
  /** Every grant naming the service, one of its roles, or a pattern matching one of its roles' ARNs. */
  grantsOn(i: number): readonly RoleGrantRule[];
  /** The caller's identity policies were all read (a described role, no attached policy left unread). */
  policiesKnown(i: number): boolean;
  /** The callee's roles whose trust policy was read. */
  trustKnown(i: number): boolean;
  targeted(i: number): boolean;
  name(id: string): string;
}

const roleState = (core: IndexCore): RoleState => {
  const stat = core.shared('role.static', () => roleStatic(core));
  const { grants, patterns, trusts } = stat;
  const svc = (i: number) => core.services[i] as (typeof core.services)[number];
  const roleIds = core.memoFn('role.ids', (i): string[] => {
    const out = new Set<string>();
    for (const id of membershipOf(svc(i), 'role')) for (const s of core.ancestors(id)) out.add(s.id);
    for (const id of membershipOf(svc(i), 'role')) out.add(id);
    return [...out];
  });
  const iamRoles = core.memoFn('role.iam', (i) =>
    roleIds(i)
      .map((id) => core.segments.get(id))
      .filter((s) => s !== undefined && kindOf(s) === 'iam-role'),
  );
  const principals = core.memoFn('role.principals', (i): Set<string> => {
    const out = new Set(roleIds(i));
    for (const id of membershipOf(svc(i), 'account')) for (const s of core.ancestors(id)) out.add(s.id);
    return out;
  });
  const grantsOn = core.memoFn('role.grantsOn', (i): RoleGrantRule[] => {
    const arns = iamRoles(i).flatMap((s) => (typeof s?.attributes?.arn === 'string' ? [s.attributes.arn] : []));
    return [
      ...[svc(i).id, ...roleIds(i)].flatMap((t) => grants.get(t) ?? []),
      ...patterns.filter((g) => arns.some((arn) => iamGlobMatch(g.targetPattern as string, arn))),
    ];
  });
  const policiesKnown = core.memoFn('role.policiesKnown', (i) =>
    iamRoles(i).some((s) => {
      const a = s?.attributes ?? {};
      return Array.isArray(a.inlinePolicies) && !(Array.isArray(a.unreadPolicies) && a.unreadPolicies.length > 0);
    }),
  );
  const trustKnown = core.memoFn('role.trustKnown', (i) =>
    roleIds(i).some((r) => trusts.has(r) || Array.isArray(core.segments.get(r)?.attributes?.trustedPrincipals)),
  );
  const name = (id: string) => core.segments.get(id)?.name ?? id;
  const targeted = core.memoFn('role.targeted', (i) => grantsOn(i).length > 0 || roleIds(i).some((t) => trusts.has(t)));
  return { ...stat, core, roleIds, iamRoles, principals, grantsOn, policiesKnown, trustKnown, targeted, name };
};

/** Inside one account: a callee with Allow grants accepts only granted callers; none leaves the level open. */
const byGrants = (st: RoleState, a: number, g: readonly RoleGrantRule[]): LevelResult => {
  const { name } = st;
  const p = st.principals(a);
  const allows = g.filter((x) => x.effect === 'Allow');
  const allowed = allows.find((x) => p.has(x.principal));
  if (allowed) {
    const summary = `allow ${name(allowed.principal)} → ${name(allowed.target)}`;
    return {
      verdict: 'allow',
      reason: `${T.fromRoles} is allowed to call ${T.to}: ${summary}.`,
      rule: ruleRef(allowed, summary),
      conns: ALL,
      allowing: [allowed.id],
    };
  }
  if (allows.length > 0) {
    const granted = [...new Set(allows.map((x) => name(x.principal)))];
    return {
      verdict: 'deny',
      reason: `${T.to} accepts only ${granted.join(', ')}; ${T.fromRoles} is not granted.`,
      rule: ruleRef(allows[0] as RoleGrantRule, `identity policy on ${name((allows[0] as RoleGrantRule).target)}`),
      conns: EMPTY,
      fix: `grant ${T.fromRoles} access to ${T.to}`,
    };
  }
  return { verdict: 'open', reason: `No identity policy restricts calls to ${T.to}.`, conns: ALL };
};

/** Across accounts: the caller's sts:AssumeRole grant AND the callee role's trust; an unloaded half is no data. */
const crossAccount = (st: RoleState, a: number, b: number, g: readonly RoleGrantRule[]): LevelResult => {
  const { name, trusts } = st;
  const p = st.principals(a);
  const role = st.iamRoles(b)[0]?.id ?? st.roleIds(b)[0];
  const roleName = role ? name(role) : T.to;
  const ts = st.roleIds(b).flatMap((r) => trusts.get(r) ?? []);
  const trusted = ts.find((t) => p.has(t.principal));
  if (!trusted && st.trustKnown(b)) {
    const first = ts[0];
    return {
      verdict: 'deny',
      reason: `${T.from} calls across accounts and the trust policy of ${roleName} does not trust ${T.fromRoles}.`,
      rule: first
        ? ruleRef(first, `trust policy of ${roleName}`)
        : defaultRef('role-not-trusted', `trust policy of ${roleName} trusts no caller role or account`),
      conns: EMPTY,
      fix: `add ${T.fromRoles} to the trust policy of ${roleName}`,
    };
  }
  const granted = g.find((x) => x.effect === 'Allow' && p.has(x.principal));
  // Grants to others only: the callee accepts only those (as inside an account).
  if (!granted && g.some((x) => x.effect === 'Allow')) return byGrants(st, a, g);
  if (!granted && st.policiesKnown(a)) {
    return {
      verdict: 'deny',
      reason: `${T.from} calls across accounts and no policy of ${T.fromRoles} allows sts:AssumeRole on ${roleName}.`,
      rule: defaultRef('role-no-assume-grant', `${T.fromRoles} has no sts:AssumeRole grant on ${roleName}`),
      conns: EMPTY,
      fix: `allow sts:AssumeRole on ${roleName} in a policy of ${T.fromRoles}`,
    };
  }
  if (granted && trusted) {
    const summary = `allow ${name(granted.principal)} → ${name(granted.target)}`;
    return {
      verdict: 'allow',
      reason: `${T.fromRoles} may assume ${roleName} across accounts: ${summary}, and ${roleName} trusts ${name(trusted.principal)}.`,
      rule: ruleRef(granted, summary),
      conns: ALL,
      allowing: [granted.id, trusted.id],
    };
  }
  const missing = [
    ...(granted ? [] : [`the policies of ${T.fromRoles} were not loaded`]),
    ...(trusted ? [] : [`the trust policy of ${roleName} was not loaded`]),
  ];
  return {
    verdict: 'open',
    reason: `Across accounts both the caller's grant and the role's trust are needed; ${missing.join(' and ')}, so this level does not decide.`,
    conns: ALL,
  };
};

/** The identity (IAM) half: an explicit deny wins, then cross-account or same-account grants. */
const iamVerdict = (st: RoleState, a: number, b: number): LevelResult => {
  const { core, name } = st;
  const g = st.grantsOn(b);
  const p = st.principals(a);
  const denied = g.find((x) => x.effect === 'Deny' && p.has(x.principal));
  if (denied) {
    return {
      verdict: 'deny',
      reason: `An explicit deny for ${name(denied.principal)} on ${T.to} wins over any allow.`,
      rule: ruleRef(denied, `deny ${name(denied.principal)} → ${denied.targetPattern ?? name(denied.target)}`),
      conns: EMPTY,
      fix: `remove the explicit deny ${denied.id} or run ${T.from} under another role`,
    };
  }
  const ua = accountUnits(core, a);
  const ub = accountUnits(core, b);
  const cross = ua.length > 0 && ub.length > 0 && !ua.some((u) => ub.some((v) => v.id === u.id));
  if (cross && (st.targeted(b) || st.trustKnown(b))) return crossAccount(st, a, b, g);
  return byGrants(st, a, g);
};

const createIamPart = (core: IndexCore): LevelEngine => {
  const st = roleState(core);
  const { principals, grantsOn, roleIds, policiesKnown, trustKnown, targeted, principalsUsed, trusts } = st;
  return {
    level: 'role',
    callerIrrelevant: (b) => !targeted(b) && !trustKnown(b),
    signature: (i) => {
      const p = [...principals(i)].filter((x) => principalsUsed.has(x)).sort();
      const on = grantsOn(i)
        .map((g) => g.id)
        .sort();
      const own = roleIds(i)
        .filter((x) => trusts.has(x))
        .sort();
      const accounts = accountUnits(core, i).map((u) => u.id);
      const known = `${policiesKnown(i) ? 'P' : ''}${trustKnown(i) ? 'T' : ''}`;
      return `${p.join(',')}|${on.join(',')}|${own.join(',')}|${accounts.sort().join(',')}|${known}`;
    },
    permits(a, b) {
      return this.evaluate(a, b).verdict !== 'deny';
    },
    evaluate: (a, b): LevelResult => iamVerdict(st, a, b),
  };
};

/**
 * Where no identity policy names the callee, the level is open. Grants name the callee by service id,
 * by one of its roles, or by an ARN pattern matching one of its roles (from any loaded file); a principal
 * matches the caller's roles, their parents (instance profile → role), or the caller's account. An
 * explicit Deny for the caller wins. Inside one account, a callee with Allow grants accepts only granted
 * callers. Across accounts (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)
 * the caller needs an sts:AssumeRole grant on the callee's role AND the role's trust policy must trust it;
 * a half whose policies were not loaded is no data.
 */
export const createRoleLevel = (core: IndexCore): LevelEngine => {
  const iam = createIamPart(core);
  const istio = createIstioPart(core);
  if (!istio.active) return iam;
  return {
    level: 'role',
    callerIrrelevant: (b) => (iam.callerIrrelevant?.(b) ?? false) && !istio.targeted(b),
    signature: (i) => `${iam.signature(i)}#${istio.signature(i)}`,
    permits(a, b) {
      return this.evaluate(a, b).verdict !== 'deny';
    },
    evaluate: (a, b, c?: Conn) => bothMustAllow(iam.evaluate(a, b, c), istio.evaluate(a, b, c)),
  };
};

/**
 * Identity policy (IAM) and the mesh (Istio) are separate enforcement points: a call needs both. A denial
 * names its own rule; two allows keep both reasons; a side with no say is left out.
 */
const bothMustAllow = (iam: LevelResult, istio: LevelResult): LevelResult => {
  const conns = intersect(iam.conns, istio.conns);
  const deny = iam.verdict === 'deny' ? iam : istio.verdict === 'deny' ? istio : undefined;
  if (deny) return { ...deny, conns };
  if (istio.verdict === 'open' && iam.verdict === 'open')
    return { ...iam, reason: `${iam.reason} ${istio.reason}`, conns };
  if (istio.verdict === 'open') return { ...iam, conns };
  if (iam.verdict === 'open') return { ...istio, conns };
  return {
    ...iam,
    reason: `${iam.reason} ${istio.reason}`,
    conns,
    allowing: [...(iam.allowing ?? []), ...(istio.allowing ?? [])],
  };
};
