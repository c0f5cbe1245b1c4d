// Role level: identity grants (explicit deny wins) and, across accounts, the callee's role trusting the caller.
import type { RoleGrantRule, RoleTrustRule } from '../../model/types';
import { ALL, EMPTY } from '../connset';
import { type IndexCore, type LevelEngine, type LevelResult, membershipOf, ruleRef, T } from '../core';
import { accountUnits } from './account';

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
};

/**
 * Where no identity policy names the callee, the level is open. Grants name the callee by service id
 * or by one of its roles; a principal matches the caller's roles, their parents (instance profile →
 * role), or the caller's account. A callee with grants accepts only granted callers; a caller with no
 * known identity is therefore denied there.
 */
export const createRoleLevel = (core: IndexCore): LevelEngine => {
  const grants = new Map<string, RoleGrantRule[]>();
  const trusts = new Map<string, RoleTrustRule[]>();
  const principalsUsed = new Set<string>();
  for (const g of core.rulesOf('role-grant')) {
    push(grants, g.target, g);
    principalsUsed.add(g.principal);
  }
  for (const t of core.rulesOf('role-trust')) {
    push(trusts, t.role, t);
    principalsUsed.add(t.principal);
  }
  const svc = (i: number) => core.services[i] as (typeof core.services)[number];
  const roleIds = core.memoFn('role.ids', (i): string[] => {
    const out = new Set<string>();
    for (const id of membershipOf(svc(i), 'role')) for (const s of core.ancestors(id)) out.add(s.id);
    for (const id of membershipOf(svc(i), 'role')) out.add(id);
    return [...out];
  });
  const principals = core.memoFn('role.principals', (i): Set<string> => {
    const out = new Set(roleIds(i));
    for (const id of membershipOf(svc(i), 'account')) for (const s of core.ancestors(id)) out.add(s.id);
    return out;
  });
  const name = (id: string) => core.segments.get(id)?.name ?? id;
  const targeted = core.memoFn('role.targeted', (i) =>
    [svc(i).id, ...roleIds(i)].some((t) => grants.has(t) || trusts.has(t)),
  );
  return {
    level: 'role',
    callerIrrelevant: (b) => !targeted(b),
    signature: (i) => {
      const p = [...principals(i)].filter((x) => principalsUsed.has(x)).sort();
      const targeted = [svc(i).id, ...roleIds(i)].filter((x) => grants.has(x) || trusts.has(x)).sort();
      const accounts = trusts.size > 0 ? accountUnits(core, i).map((u) => u.id) : [];
      return `${p.join(',')}|${targeted.join(',')}|${accounts.sort().join(',')}`;
    },
    permits(a, b) {
      return this.evaluate(a, b).verdict !== 'deny';
    },
    evaluate: (a, b): LevelResult => {
      const sb = svc(b);
      const targets = [sb.id, ...roleIds(b)];
      const gs = targets.flatMap((t) => grants.get(t) ?? []);
      const ts = roleIds(b).flatMap((r) => trusts.get(r) ?? []);
      const p = principals(a);
      const callerName = T.fromRoles;
      const denied = gs.find((g) => g.effect === 'Deny' && p.has(g.principal));
      if (denied) {
        return {
          verdict: 'deny',
          reason: `An explicit deny for ${name(denied.principal)} on ${T.to} wins over any allow.`,
          rule: ruleRef(denied, `deny ${name(denied.principal)} → ${name(denied.target)}`),
          conns: EMPTY,
          fix: `remove the explicit deny ${denied.id} or run ${T.from} under another role`,
        };
      }
      const allowed = gs.find((g) => g.effect === 'Allow' && p.has(g.principal));
      if (gs.length > 0 && !allowed) {
        const granted = [...new Set(gs.filter((g) => g.effect === 'Allow').map((g) => name(g.principal)))];
        return {
          verdict: 'deny',
          reason: `${T.to} accepts only ${granted.length > 0 ? granted.join(', ') : 'no caller'}; ${callerName} is not granted.`,
          rule: ruleRef(gs[0] as RoleGrantRule, `identity policy on ${name((gs[0] as RoleGrantRule).target)}`),
          conns: EMPTY,
          fix: `grant ${T.fromRoles} access to ${T.to}`,
        };
      }
      const ua = accountUnits(core, a);
      const ub = accountUnits(core, b);
      const cross = ua.length > 0 && ub.length > 0 && !ua.some((u) => ub.some((v) => v.id === u.id));
      let trusted: RoleTrustRule | undefined;
      if (cross && ts.length > 0) {
        trusted = ts.find((t) => p.has(t.principal));
        if (!trusted) {
          const role = (ts[0] as RoleTrustRule).role;
          return {
            verdict: 'deny',
            reason: `${T.from} calls across accounts and ${name(role)} does not trust ${callerName}.`,
            rule: ruleRef(ts[0] as RoleTrustRule, `trust policy of ${name(role)}`),
            conns: EMPTY,
            fix: `add ${T.fromRoles} to the trust policy of ${name(role)}`,
          };
        }
      }
      const decisive = allowed ?? trusted;
      if (decisive) {
        const summary =
          decisive.type === 'role-grant'
            ? `allow ${name(decisive.principal)} → ${name(decisive.target)}`
            : `${name(decisive.role)} trusts ${name(decisive.principal)}`;
        return {
          verdict: 'allow',
          reason: `${callerName} is allowed to call ${T.to}: ${summary}.`,
          rule: ruleRef(decisive, summary),
          conns: ALL,
          allowing: [decisive.id],
        };
      }
      return { verdict: 'open', reason: `No identity policy restricts calls to ${T.to}.`, conns: ALL };
    },
  };
};
