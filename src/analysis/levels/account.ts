// Account level: same account/datacenter allowed; crossing needs a network path (peering, TGW) or an account-path rule.
import type { AccountPathRule, Segment } from '../../model/types';
import { ALL, EMPTY } from '../connset';
import {
  defaultRef,
  type IndexCore,
  type LevelEngine,
  type LevelResult,
  membershipOf,
  noDataOpen,
  ruleRef,
  segmentRef,
  T,
} from '../core';

export interface AccountUnit {
  id: string;
  seg: Segment | undefined;
}

/** The accounts (or datacenters) a service runs in: its account-level membership walked up to one. */
export const accountUnits = (core: IndexCore, i: number): readonly AccountUnit[] =>
  core.memoFn('account.units', (i): AccountUnit[] => {
    const out: AccountUnit[] = [];
    for (const id of membershipOf(core.services[i] as never, 'account')) {
      const seg = core.nearest(id, ['account', 'datacenter']) ?? core.segments.get(id);
      const unit = { id: seg?.id ?? id, seg };
      if (!out.some((u) => u.id === unit.id)) out.push(unit);
    }
    return out;
  })(i);

/**
 * A path between accounts is a network-level allow (peering, transit gateway, a shared VPC) or an
 * `account-path` rule (PrivateLink and the like). PrivateLink is one-way (consumer → provider); the
 * other kinds of path work both ways. Role trust across accounts is the role level's business.
 */
export const createAccountLevel = (core: IndexCore, network: LevelEngine): LevelEngine => {
  const paths: AccountPathRule[] = [...core.rulesOf('account-path')];
  const pathEnds = new Set(paths.flatMap((p) => [p.from, p.to]));
  const svc = (i: number) => core.services[i] as (typeof core.services)[number];
  const name = (u: AccountUnit) => u.seg?.name ?? u.id;
  const findPath = (a: number, b: number, ua: readonly AccountUnit[], ub: readonly AccountUnit[]) => {
    const fromIds = new Set([svc(a).id, ...ua.map((u) => u.id)]);
    const toIds = new Set([svc(b).id, ...ub.map((u) => u.id)]);
    return paths.find(
      (p) =>
        (fromIds.has(p.from) && toIds.has(p.to)) || (p.via !== 'privatelink' && fromIds.has(p.to) && toIds.has(p.from)),
    );
  };
  return {
    level: 'account',
    signature: (i) => {
      const units = accountUnits(core, i)
        .map((u) => u.id)
        .sort()
        .join(',');
      const own = pathEnds.has(svc(i).id) ? `#${svc(i).id}` : '';
      return `${units}${own}|${network.signature(i)}`;
    },
    callerIrrelevant: (b) => accountUnits(core, b).length === 0,
    permits(a, b) {
      return this.evaluate(a, b).verdict !== 'deny';
    },
    evaluate: (a, b): LevelResult => {
      const ua = accountUnits(core, a);
      const ub = accountUnits(core, b);
      if (ua.length === 0 || ub.length === 0) return noDataOpen('account', ub.length === 0);
      const same = ua.find((u) => ub.some((v) => v.id === u.id));
      if (same) {
        return {
          verdict: 'allow',
          reason: `${T.from} and ${T.to} are in the same account ${name(same)}.`,
          rule: segmentRef(same.seg, same.id, `both in ${name(same)}`),
          conns: ALL,
          allowing: [same.id],
        };
      }
      const ua0 = ua[0] as AccountUnit;
      const ub0 = ub[0] as AccountUnit;
      const path = findPath(a, b, ua, ub);
      if (path) {
        return {
          verdict: 'allow',
          reason: `${T.from} crosses from ${name(ua0)} to ${name(ub0)} over ${path.via} path ${path.id}.`,
          rule: ruleRef(path, `${path.via} path ${path.from} → ${path.to}`),
          conns: ALL,
          allowing: [path.id],
        };
      }
      const net = network.evaluate(a, b);
      if (net.verdict === 'allow' && net.rule) {
        return {
          verdict: 'allow',
          reason: `${T.from} crosses from ${name(ua0)} to ${name(ub0)} over a network path: ${net.rule.summary}.`,
          rule: net.rule,
          conns: ALL,
          allowing: [net.rule.id],
        };
      }
      return {
        verdict: 'deny',
        reason: `${T.from} (${name(ua0)}) and ${T.to} (${name(ub0)}) are in different accounts with no network path between them.`,
        rule: defaultRef('account-boundary', `no path from ${name(ua0)} to ${name(ub0)}`),
        conns: EMPTY,
        fix: `add a network path from ${name(ua0)} to ${name(ub0)} (VPC peering, transit gateway or PrivateLink)`,
      };
    },
  };
};
