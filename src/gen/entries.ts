// The generator's allowing entries: what each call needs at the group, policy and role levels, and which are left out.
//
// An entry is one rule (or one peer of a policy) and the calls it carries. Entries are derived from
// the calls, widened to VPC CIDRs where a group nears its rule limit (as people do), and then a few
// are dropped so that an exact, known set of calls breaks.
import type { Service } from '../model/types';
import { type Estate, type Team, type Tier, teamAt, type Vpc } from './estate';
import { shuffle } from './random';
import { labelSet, netReach, type Traffic } from './traffic';

export interface Entry {
  key: string;
  level: 'group' | 'policy' | 'role';
  calls: number[];
  breakable: boolean;
  dropped: boolean;
}

export type Entries = Map<string, Entry>;

/** `group|peer|port` (peer `g:<group>` or `c:<cidr>`), `labelSet|self|ns:<ns>`, `service|role`: sorted on output. */
export const byKey = (x: Entry, y: Entry): number => (x.key < y.key ? -1 : 1);

/** Group the ingress rule for a call sits on, and the peer it names. */
const sgPlace = (e: Estate, traffic: Traffic, a: number, b: number): { group: string; peer: string } => {
  const ta = teamAt(e, a);
  const tb = teamAt(e, b);
  const hub = traffic.hubSg.get(b);
  const group = hub && ta !== tb ? hub : tb.sg;
  const peer = ta === tb || ta.vpc === tb.vpc ? `g:${ta.sg}` : `c:${ta.subnetCidr}`;
  return { group, peer };
};

/** The policy entry of a call into b: its label set and the caller's namespace (or self). */
const policyKey = (e: Estate, a: number, b: number): string => {
  const tb = teamAt(e, b);
  return `${labelSet(tb, e.tierOf[b] as Tier)}|${teamAt(e, a) === tb ? 'self' : `ns:${teamAt(e, a).ns}`}`;
};

/** What each call needs: an ingress rule, a policy peer (unless flat) and, into a hub, an identity grant. */
export const deriveEntries = (e: Estate, traffic: Traffic): Entries => {
  const entries: Entries = new Map();
  const entry = (key: string, level: Entry['level'], call: number): void => {
    const got = entries.get(key);
    if (got) got.calls.push(call);
    else entries.set(key, { key, level, calls: [call], breakable: true, dropped: false });
  };
  traffic.ends.forEach(([a, b], c) => {
    const port = traffic.calls[c]?.port as number;
    const { group, peer } = sgPlace(e, traffic, a, b);
    entry(`${group}|${peer}|${port}`, 'group', c);
    if (!teamAt(e, b).flat) entry(policyKey(e, a, b), 'policy', c);
    if (traffic.hubSg.has(b)) entry(`${(e.services[b] as Service).id}|${teamAt(e, a).role}`, 'role', c);
  });
  return entries;
};

/** A team group close to its limit gets VPC-wide CIDR rules instead of one rule per caller team. */
export const widenNearLimit = (e: Estate, entries: Entries, limit: number): void => {
  const teamGroups = new Set(e.teams.map((t) => t.sg));
  const perGroup = new Map<string, Entry[]>();
  for (const en of entries.values()) {
    if (en.level !== 'group') continue;
    const g = en.key.slice(0, en.key.indexOf('|'));
    const list = perGroup.get(g);
    if (list) list.push(en);
    else perGroup.set(g, [en]);
  }
  const vpcCidrOf = new Map<string, string>(e.teams.map((t) => [`c:${t.subnetCidr}`, (e.vpcs[t.vpc] as Vpc).cidr]));
  const aggregateAt = Math.floor(limit * 0.75);
  const widened: Entry[] = [];
  for (const [g, list] of perGroup) {
    if (!teamGroups.has(g) || list.length <= aggregateAt) continue;
    const groupTeam = e.teams.find((t) => t.sg === g) as Team;
    const ownCidr = (e.vpcs[groupTeam.vpc] as Vpc).cidr;
    const widen = (en: Entry, all: boolean): void => {
      const [, peer, port] = en.key.split('|') as [string, string, string];
      const cidr = peer.startsWith('c:') ? vpcCidrOf.get(peer) : all && peer !== `g:${g}` ? ownCidr : undefined;
      if (!cidr) return;
      entries.delete(en.key);
      const key = `${g}|c:${cidr}|${port}`;
      const into = entries.get(key);
      if (into) into.calls.push(...en.calls);
      else {
        const made: Entry = { key, level: 'group', calls: [...en.calls], breakable: false, dropped: false };
        entries.set(key, made);
        widened.push(made);
      }
    };
    for (const en of list) widen(en, false);
    const left = new Set([...list.filter((en) => entries.has(en.key)), ...widened]);
    widened.length = 0;
    if (left.size > aggregateAt) for (const en of left) if (en.breakable) widen(en, true);
  }
};

/**
 * Which entries carry each call, per level: a call breaks when every entry carrying it is left out.
 * (A hub's caller may also match a rule its team group has for a teammate on the same port.)
 */
const brokenTest = (e: Estate, traffic: Traffic, entries: Entries): ((call: number) => boolean) => {
  const peerKeys = (a: number): string[] => {
    const ta = teamAt(e, a);
    const own = traffic.hubSg.get(a);
    return [`g:${ta.sg}`, ...(own ? [`g:${own}`] : []), `c:${ta.subnetCidr}`, `c:${(e.vpcs[ta.vpc] as Vpc).cidr}`];
  };
  const carriers = traffic.ends.map(([a, b], c) => {
    const port = traffic.calls[c]?.port as number;
    const groups = e.services[b]?.memberships.group ?? [];
    const group = groups.flatMap((g) => peerKeys(a).map((p) => `${g}|${p}|${port}`)).filter((k) => entries.has(k));
    const policy = teamAt(e, b).flat ? [] : [policyKey(e, a, b)];
    const role = traffic.hubSg.has(b) ? [`${(e.services[b] as Service).id}|${teamAt(e, a).role}`] : [];
    return { group, policy, role };
  });
  const cut = (keys: string[]) => keys.length > 0 && keys.every((k) => entries.get(k)?.dropped !== false);
  return (c: number): boolean => {
    const [a, b] = traffic.ends[c] as readonly [number, number];
    const k = carriers[c] as { group: string[]; policy: string[]; role: string[] };
    return !netReach(e, a, b) || k.group.length === 0 || cut(k.group) || cut(k.policy) || cut(k.role);
  };
};

/**
 * Leave a few entries out: the network island breaks some calls, then small entries per level
 * (half group, a third policy, the rest role) until about `breakRate` of the calls are broken.
 * Returns the calls broken, exactly.
 */
export const dropEntries = (e: Estate, traffic: Traffic, entries: Entries, breakRate: number): Set<number> => {
  const isBroken = brokenTest(e, traffic, entries);
  const { calls } = traffic;
  const broken = new Set<number>();
  calls.forEach((_, c) => {
    if (isBroken(c)) broken.add(c);
  });
  const budget = Math.round(breakRate * calls.length);
  const rest = Math.max(breakRate > 0 ? 3 : 0, budget - broken.size);
  const shares = { group: 0.5, policy: 0.35, role: 0.15 } as const;
  for (const level of ['group', 'policy', 'role'] as const) {
    const want = Math.max(breakRate > 0 ? 1 : 0, Math.round(rest * shares[level]));
    const cap = Math.max(1, Math.ceil(want / 4));
    const candidates = shuffle(
      e.rand,
      [...entries.values()].filter((en) => en.level === level && en.breakable).sort(byKey),
    );
    let got = 0;
    for (const en of candidates) {
      if (got >= want) break;
      en.dropped = true;
      const fresh = en.calls.filter((c) => !broken.has(c) && isBroken(c));
      if (fresh.length === 0 || fresh.length > cap) {
        en.dropped = false;
        continue;
      }
      for (const c of fresh) broken.add(c);
      got += fresh.length;
    }
  }
  // Dropping one entry can also cut a call it carried only incidentally: settle the final set.
  calls.forEach((_, c) => {
    if (isBroken(c)) broken.add(c);
  });
  return broken;
};
