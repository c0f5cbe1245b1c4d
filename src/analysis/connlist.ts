// Connectivity list: every ordered pair of workloads (and external address ranges) with the exact allowed connection set.
import ipaddr from 'ipaddr.js';
import { LEVELS, type Rule, type Service, type Workspace } from '../model/types';
import { signatureIds } from './classes';
import { ingressConnections, ingressStandIns } from './connlist-ingress';
import { ALL, type ConnSet, EMPTY, formatConnSet, intersect, isAll, isEmpty, union } from './connset';
import { type AnalysisIndex, buildIndex } from './context';
import { runPipeline } from './levels/policy';
import type { PolicyRuleView, PolicyView } from './levels/policy-endpoint';
import { parseCidr } from './net';

/** `"all"` or `["TCP 8080", "TCP 10053-10054", "UDP 53"]`, as `formatConnSet` writes it. */
export type Ports = 'all' | string[];

export interface Connection {
  from: string;
  to: string;
  ports: Ports;
}

/** The stable JSON shape of `segscope connlist --json`. */
export interface Connlist {
  connections: Connection[];
}

/** A connlist with the peers it was computed over, so a diff can tell a removed peer from a removed connection. */
export interface ConnlistResult extends Connlist {
  /** Names of every workload, connected or not, sorted. */
  workloads: string[];
  /** The Kubernetes kind of each workload name that has one (`Deployment`, `Pod`, …). */
  kinds: Record<string, string>;
  /** Address ranges as sources (split by the CIDRs ingress rules name) and as destinations (egress rules). */
  ranges: { sources: string[]; destinations: string[] };
  stats: ConnlistStats;
}

export interface ConnlistStats {
  workloads: number;
  ranges: number;
  /** Equivalence classes of peers (equal signature at every level). */
  classes: number;
  /** Class pairs evaluated (each once, whatever the number of peer pairs in them). */
  classPairs: number;
}

// ---------------------------------------------------------------------------------------------
// Address ranges

export interface AddressRange {
  v6: boolean;
  lo: bigint;
  hi: bigint;
}

const bits = (v6: boolean): bigint => (v6 ? 128n : 32n);
const maxOf = (v6: boolean): bigint => (1n << bits(v6)) - 1n;

const toBig = (bytes: number[]): bigint => bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);

const fromBig = (n: bigint, v6: boolean): string => {
  const len = v6 ? 16 : 4;
  const bytes = new Array<number>(len);
  let x = n;
  for (let i = len - 1; i >= 0; i--) {
    bytes[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  const a = ipaddr.fromByteArray(bytes);
  return v6 ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
};

/** The addresses of a CIDR (host bits ignored, as the API servers mask them); undefined when not a CIDR. */
export const cidrRange = (cidr: string): AddressRange | undefined => {
  const c = parseCidr(cidr);
  if (!c) return undefined;
  const v6 = c[0].kind() === 'ipv6';
  const host = bits(v6) - BigInt(c[1]);
  const lo = (toBig(c[0].toByteArray()) >> host) << host;
  return { v6, lo, hi: lo + (1n << host) - 1n };
};

/** `10.0.0.0-10.255.255.255`: how K8s connectivity analyzers print an address range, whatever its shape. */
export const rangeName = (r: AddressRange): string => `${fromBig(r.lo, r.v6)}-${fromBig(r.hi, r.v6)}`;

/** The range a name of `rangeName` stands for; undefined for any other text (a workload name). */
export const parseRangeName = (name: string): AddressRange | undefined => {
  const dash = name.indexOf('-');
  if (dash < 0 || name.indexOf('-', dash + 1) >= 0) return undefined;
  const a = name.slice(0, dash);
  const b = name.slice(dash + 1);
  if (!ipaddr.isValid(a) || !ipaddr.isValid(b)) return undefined;
  const x = ipaddr.parse(a);
  const y = ipaddr.parse(b);
  if (x.kind() !== y.kind()) return undefined;
  const r = { v6: x.kind() === 'ipv6', lo: toBig(x.toByteArray()), hi: toBig(y.toByteArray()) };
  return r.lo <= r.hi ? r : undefined;
};

/**
 * The whole address space of each family cut at every boundary of the given CIDRs, so every CIDR is a
 * union of whole pieces and any address of a piece stands for all of it. IPv4 is always there (the
 * 0.0.0.0/0 everyone can be reached from); IPv6 only when some CIDR is IPv6.
 */
export const splitAddressSpace = (cidrs: Iterable<string>): AddressRange[] => {
  const cuts = { v4: new Set<bigint>([0n]), v6: new Set<bigint>([0n]) };
  let anyV6 = false;
  for (const text of cidrs) {
    const r = cidrRange(text);
    if (!r) continue;
    anyV6 ||= r.v6;
    const set = r.v6 ? cuts.v6 : cuts.v4;
    set.add(r.lo);
    if (r.hi < maxOf(r.v6)) set.add(r.hi + 1n);
  }
  const out: AddressRange[] = [];
  for (const v6 of anyV6 ? [false, true] : [false]) {
    const starts = [...(v6 ? cuts.v6 : cuts.v4)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    starts.forEach((lo, i) => {
      const next = starts[i + 1];
      out.push({ v6, lo, hi: next === undefined ? maxOf(v6) : next - 1n });
    });
  }
  return out;
};

/** CIDRs that can decide traffic from outside sources (ingress side) and to outside destinations (egress side). */
export const referencedCidrs = (rules: readonly Rule[]): { sources: string[]; destinations: string[] } => {
  const sources = new Set<string>();
  const destinations = new Set<string>();
  const both = (c: string) => {
    sources.add(c);
    destinations.add(c);
  };
  for (const r of rules) {
    switch (r.type) {
      case 'k8s-network-policy':
        if (r.networks) break;
        for (const [dir, set] of [
          [r.ingress, sources],
          [r.egress, destinations],
        ] as const) {
          for (const e of dir ?? []) {
            for (const p of e.peers ?? []) {
              if (!p.ipBlock) continue;
              set.add(p.ipBlock.cidr);
              for (const x of p.ipBlock.except ?? []) set.add(x);
            }
          }
        }
        break;
      case 'calico-policy':
        // An ingress rule's source and an egress rule's destination are the remote side.
        for (const e of r.ingress ?? [])
          for (const c of [...(e.source?.nets ?? []), ...(e.source?.notNets ?? [])]) sources.add(c);
        for (const e of r.egress ?? []) {
          for (const c of [...(e.destination?.nets ?? []), ...(e.destination?.notNets ?? [])]) destinations.add(c);
        }
        break;
      case 'calico-network-set':
        for (const c of r.nets) both(c);
        break;
      case 'admin-network-policy':
        for (const [dir, set] of [
          [r.ingress, sources],
          [r.egress, destinations],
        ] as const) {
          for (const e of dir) for (const p of e.peers) for (const c of p.networks ?? []) set.add(c);
        }
        break;
      case 'sg-permission':
        if (r.peer.kind === 'cidr') (r.direction === 'ingress' ? sources : destinations).add(r.peer.cidr);
        break;
      case 'prefix-list':
        for (const c of r.cidrs) both(c);
        break;
      default:
        break;
    }
  }
  return { sources: [...sources], destinations: [...destinations] };
};

// ---------------------------------------------------------------------------------------------
// Peer names

/** `namespace/name` (K8s namespace, Compose project), or the plain name (AWS instance Name tag). */
export const workloadName = (s: Service): string => (s.namespace ? `${s.namespace}/${s.name}` : s.name);

/** Names of the services, made unique: a clash gets the K8s kind (`shop/web[StatefulSet]`) or the id. */
export const workloadNames = (services: readonly Service[]): string[] => {
  const base = services.map(workloadName);
  const count = new Map<string, number>();
  for (const n of base) count.set(n, (count.get(n) ?? 0) + 1);
  const names = services.map((s, i) => {
    const n = base[i] as string;
    if ((count.get(n) ?? 0) < 2) return n;
    const kind = s.extra?.k8sKind;
    return typeof kind === 'string' ? `${n}[${kind}]` : `${n}[${s.id}]`;
  });
  // Still clashing (same kind twice): fall back to ids, which are unique.
  const again = new Map<string, number>();
  for (const n of names) again.set(n, (again.get(n) ?? 0) + 1);
  return names.map((n, i) => ((again.get(n) ?? 0) < 2 ? n : `${base[i]}[${(services[i] as Service).id}]`));
};

// ---------------------------------------------------------------------------------------------
// The list

const RANGE_ID = 'range:';

/** Code-unit order, the same on every machine (localeCompare is not). */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

type Direction = 'ingress' | 'egress';

/** A set of policies selecting some endpoints for one direction, and the rules they bring. */
interface Side {
  key: string;
  policies: readonly PolicyView[];
  /** Kubernetes policies only: Allow rules that ignore the selected endpoint, so the result is a union. */
  union: boolean;
  ruleViews: readonly PolicyRuleView[];
}

/** A row of results: per peer signature class, the set one side lets through (filled eagerly or on demand). */
type Row = (ConnSet | undefined)[];

/** More rules than this in one direction of one endpoint: its results are computed per pair, not by rule mask. */
const MASK_RULES = 30;

/**
 * The policy level's exact set a → b, organised for all pairs at once. A NetworkPolicy rule is an
 * Allow that looks only at the peer, so a side made of them yields the union of the rules that match
 * the peer: rule matches are computed once per (rule, peer signature), and a whole row of results per
 * (policy set, target ports) in one pass over the peer classes. Sides with Calico policies (tiers,
 * Deny, Pass, selectors on the endpoint itself) run the level's own pipeline per pair of signatures.
 * Either way the set is the `conns` of the level's `evaluate`.
 */
const policySets = (ix: AnalysisIndex, policyClass: Int32Array, policyClasses: number) => {
  const pol = ix.levels.policy;
  const n = ix.services.length;
  // A service standing for each policy class, to evaluate rule matches on.
  const classRep = new Int32Array(policyClasses).fill(-1);
  for (let i = 0; i < n; i++)
    if ((classRep[policyClass[i] as number] as number) < 0) classRep[policyClass[i] as number] = i;
  const viewIds = new Map(pol.views.map((v, k) => [v, k]));
  const namedPorts = pol.views.some((v) => v.usesNamedPorts);
  const portIds = new Map<string, number>();
  const portId = new Int32Array(n);
  if (namedPorts) {
    for (let i = 0; i < n; i++) {
      const key = pol
        .endpoint(i)
        .ports.map((p) => `${p.name ?? ''}:${p.protocol ?? 'TCP'}:${p.port}`)
        .join(',');
      let id = portIds.get(key);
      if (id === undefined) {
        id = portIds.size;
        portIds.set(key, id);
      }
      portId[i] = id;
    }
  }

  const matchVectors = new Map<PolicyRuleView, Uint8Array>();
  /** Per peer class: does the rule match it (a union side's rules ignore the endpoint they apply to). */
  const matchVector = (r: PolicyRuleView, self: number): Uint8Array => {
    let v = matchVectors.get(r);
    if (!v) {
      v = new Uint8Array(policyClasses);
      const epSelf = pol.endpoint(self);
      for (let pc = 0; pc < policyClasses; pc++)
        v[pc] = r.matches(epSelf, pol.endpoint(classRep[pc] as number)) ? 1 : 0;
      matchVectors.set(r, v);
    }
    return v;
  };

  const sides = new Map<string, Side>();
  const rows = new Map<string, Row>();
  const rowFor = (dir: Direction) => {
    const memo = new Array<Row | null | undefined>(n);
    return (self: number): Row | null => {
      const hit = memo[self];
      if (hit !== undefined) return hit;
      const policies = pol.applicable(self, dir);
      let row: Row | null = null;
      if (policies.length > 0) {
        const key = `${dir}:${policies.map((v) => viewIds.get(v)).join(',')}`;
        let side = sides.get(key);
        if (!side) {
          const ruleViews = policies.flatMap((v) => (dir === 'ingress' ? v.ingressRules : v.egressRules));
          const union =
            policies.every((v) => v.kind === 'k8s') &&
            ruleViews.every((r) => r.action === 'Allow') &&
            ruleViews.length <= MASK_RULES;
          side = { key, policies, union, ruleViews };
          sides.set(key, side);
        }
        // Egress: the target is the peer, whose class the row is indexed by; ingress: the endpoint itself.
        const rowKey = side.union ? `${key}|${dir === 'ingress' ? portId[self] : ''}` : `${key}|c${policyClass[self]}`;
        row = rows.get(rowKey) ?? null;
        if (!row) {
          row = side.union ? unionRow(side, dir, self) : new Array<ConnSet | undefined>(policyClasses);
          rows.set(rowKey, row);
        }
      }
      memo[self] = row;
      return row;
    };
  };

  /** Every entry of a union side's row at once: a rule mask per peer class, one union per distinct mask. */
  const unionRow = (side: Side, dir: Direction, self: number): Row => {
    const masks = new Int32Array(policyClasses);
    side.ruleViews.forEach((r, k) => {
      const v = matchVector(r, self);
      const bit = 1 << k;
      for (let pc = 0; pc < policyClasses; pc++) if (v[pc] === 1) masks[pc] = (masks[pc] as number) | bit;
    });
    const byMask = new Map<number, ConnSet>([[0, EMPTY]]);
    const row: Row = new Array<ConnSet | undefined>(policyClasses);
    // Ingress rules resolve named ports on the endpoint itself, egress rules on each peer.
    const conns = (mask: number, target: number): ConnSet => {
      let set: ConnSet = EMPTY;
      side.ruleViews.forEach((r, k) => {
        if (mask & (1 << k)) set = union(set, r.conns(pol.endpoint(target)));
      });
      return set;
    };
    for (let pc = 0; pc < policyClasses; pc++) {
      const mask = masks[pc] as number;
      if (dir === 'egress' && mask !== 0) {
        row[pc] = conns(mask, classRep[pc] as number);
        continue;
      }
      let set = byMask.get(mask);
      if (set === undefined) {
        set = conns(mask, self);
        byMask.set(mask, set);
      }
      row[pc] = set;
    }
    return row;
  };

  const egressRow = rowFor('egress');
  const ingressRow = rowFor('ingress');
  const pipeline = (dir: Direction, self: number, peer: number, target: number): ConnSet =>
    runPipeline(pol.applicable(self, dir), dir, pol.endpoint(self), pol.endpoint(peer), pol.endpoint(target), ALL)
      .allowed;

  return (a: number, b: number): ConnSet => {
    const out = egressRow(a);
    const inn = ingressRow(b);
    if (!out && !inn) return ALL;
    let e: ConnSet = ALL;
    if (out) {
      const pb = policyClass[b] as number;
      let hit = out[pb];
      if (hit === undefined) {
        hit = pipeline('egress', a, b, b);
        out[pb] = hit;
      }
      e = hit;
      if (isEmpty(e)) return EMPTY;
    }
    if (!inn) return e;
    const pa = policyClass[a] as number;
    let i = inn[pa];
    if (i === undefined) {
      i = pipeline('ingress', b, a, b);
      inn[pa] = i;
    }
    return intersect(e, i);
  };
};

/** Per level, signature ids of every service (equal ids: equal verdicts on either end of any pair). */
const levelIds = (ix: AnalysisIndex) =>
  LEVELS.map((_, li) => {
    const map = new Map<string, number>();
    const arr = signatureIds(ix, li, ix.services.length, map);
    return { arr, size: map.size };
  });

/** Most (class, class) entries a cache holds: 16M (64 MB as integers); past it, rows are dropped and recomputed. */
const CACHE_ENTRIES = 1 << 24;

/**
 * A (class, class) cache by rows of the first class. All rows fit when classes² ≤ CACHE_ENTRIES (a
 * dense table); beyond, the rows kept are bounded and dropped when full, so memory stays flat on huge
 * inputs while consecutive lookups of one row (the N² loop goes source by source) still hit.
 */
const rowCache = <T>(size: number, makeRow: () => T[] | Int32Array) => {
  const maxRows = Math.max(1, Math.floor(CACHE_ENTRIES / Math.max(1, size)));
  const rows = new Map<number, T[] | Int32Array>();
  return (x: number): T[] | Int32Array => {
    let row = rows.get(x);
    if (!row) {
      if (rows.size >= maxRows) rows.clear();
      row = makeRow();
      rows.set(x, row);
    }
    return row;
  };
};

/**
 * The exact set a → b across every level (what `pairConnections` computes), memoised per level by the
 * pair of the level's signatures, so each level does its work once per pair of its own classes.
 */
const pairEvaluator = (ix: AnalysisIndex) => {
  const ids = levelIds(ix);
  const policyIndex = LEVELS.indexOf('policy');
  const policyIds = ids[policyIndex] as { arr: Int32Array; size: number };
  const policy = policySets(ix, policyIds.arr, policyIds.size);
  /** One level's set for a pair, cached by its pair of signatures (a flat table when small). */
  const levelLookup = (li: number): ((a: number, b: number) => ConnSet) => {
    const { arr, size } = ids[li] as { arr: Int32Array; size: number };
    const evaluate = (a: number, b: number): ConnSet => ix.engines[li]?.evaluate(a, b).conns ?? ALL;
    if (size * size <= CACHE_ENTRIES) {
      const table = new Array<ConnSet | undefined>(size * size);
      return (a, b) => {
        const k = (arr[a] as number) * size + (arr[b] as number);
        let set = table[k];
        if (set === undefined) {
          set = evaluate(a, b);
          table[k] = set;
        }
        return set;
      };
    }
    const rows = rowCache<ConnSet | undefined>(size, () => new Array<ConnSet | undefined>(size));
    return (a, b) => {
      const row = rows(arr[a] as number) as (ConnSet | undefined)[];
      let set = row[arr[b] as number];
      if (set === undefined) {
        set = evaluate(a, b);
        row[arr[b] as number] = set;
      }
      return set;
    };
  };
  // A level where every service has one signature answers one set for every pair (of distinct
  // services); when that set is everything, the level cannot restrict anything and is skipped.
  const others: ((a: number, b: number) => ConnSet)[] = [];
  for (let li = 0; li < LEVELS.length; li++) {
    if (li === policyIndex) continue;
    const lookup = levelLookup(li);
    if ((ids[li] as { size: number }).size === 1 && ix.services.length >= 2 && isAll(lookup(0, 1))) continue;
    others.push(lookup);
  }
  const pair = (a: number, b: number): ConnSet => {
    // The policy level first: it is the most restrictive, so an empty set stops early.
    let conns = policy(a, b);
    for (const level of others) {
      if (isEmpty(conns)) return EMPTY;
      conns = intersect(conns, level(a, b));
    }
    return conns;
  };
  const classKey = (i: number): string => ids.map((x) => x.arr[i]).join(',');
  return { pair, classKey };
};

interface Peer {
  name: string;
  /** Service index in the analysis index. */
  index: number;
  range: boolean;
}

/**
 * Every ordered pair of distinct workloads (a workload to itself is left out, as K8s connectivity
 * analyzers do) with a non-empty allowed set across all levels, plus address ranges: ranges as sources
 * of workloads that K8s policy or security groups can see (pods, services in groups), and as their
 * destinations. Ranges cut the address space at every CIDR of the rules of that side, so each range
 * gets one exact set. Sorted by from, then to.
 */
export interface ConnlistOptions {
  /**
   * Cut sources and destinations at the same boundaries (every CIDR of either side), as np-guard's
   * netpol-analyzer does, instead of sources at the CIDRs that decide incoming traffic and destinations
   * at those that decide outgoing traffic. The sets are the same; only the ranges are finer.
   */
  sharedRanges?: boolean;
  /**
   * Add `{ingress-nginx} => workload` and `{openshift-ingress-operator} => workload` lines for the ports
   * Ingress and Route objects route to, where the levels let such a controller in (np-guard's ingress analysis).
   */
  ingressControllers?: boolean;
}

export const computeConnlist = (ws: Workspace, options: ConnlistOptions = {}): ConnlistResult => {
  const cidrs = referencedCidrs(ws.rules);
  // Admin policies' `nodes` peers match node addresses: they cut the outside address space too.
  if (
    ws.rules.some(
      (r) => r.type === 'admin-network-policy' && [...r.egress, ...r.ingress].some((e) => e.peers.some((p) => p.nodes)),
    )
  ) {
    for (const s of ws.segments) {
      if (s.attributes?.kind !== 'node') continue;
      cidrs.sources.push(...(s.cidrs ?? []));
      cidrs.destinations.push(...(s.cidrs ?? []));
    }
  }
  if (options.sharedRanges) {
    const all = [...cidrs.sources, ...cidrs.destinations];
    cidrs.sources = all;
    cidrs.destinations = all;
  }
  const srcRanges = splitAddressSpace(cidrs.sources).map(rangeName);
  const dstRanges = splitAddressSpace(cidrs.destinations).map(rangeName);
  const rangeNames = [...new Set([...srcRanges, ...dstRanges])];
  // Each range is a stand-in service at its first address: every CIDR holds all of a range or none of it.
  const standIns: Service[] = rangeNames.map((name) => {
    const r = parseRangeName(name) as AddressRange;
    return {
      id: `${RANGE_ID}${name}`,
      name,
      kind: 'external',
      addresses: [fromBig(r.lo, r.v6)],
      memberships: {},
    };
  });
  // Ingress controllers' stand-in pods come after the ranges' stand-ins.
  const ingress = options.ingressControllers ? ingressStandIns(ws) : undefined;
  const ix = buildIndex({
    ...ws,
    services: [...ws.services, ...standIns, ...(ingress?.services ?? [])],
    segments: ingress ? [...ws.segments, ...ingress.segments] : ws.segments,
  });
  const nWs = ws.services.length;
  const workloadIdx: number[] = [];
  for (let i = 0; i < nWs; i++) if ((ws.services[i] as Service).kind !== 'external') workloadIdx.push(i);
  const names = workloadNames(workloadIdx.map((i) => ws.services[i] as Service));
  const workloads: Peer[] = workloadIdx.map((index, k) => ({ name: names[k] as string, index, range: false }));
  // Only pods and services in security groups have an address-based view of outside traffic.
  const addressAware = new Set(
    workloadIdx.filter((i) => ix.levels.policy.endpoint(i).pod || ix.levels.group.groups(i).length > 0),
  );
  const rangeIndex = new Map(rangeNames.map((name, k) => [name, nWs + k]));
  const rangePeers = (list: string[]): Peer[] =>
    addressAware.size === 0 ? [] : list.map((name) => ({ name, index: rangeIndex.get(name) as number, range: true }));
  const sources = [...workloads, ...rangePeers(srcRanges)].sort((a, b) => byText(a.name, b.name));
  const destinations = [...workloads, ...rangePeers(dstRanges)].sort((a, b) => byText(a.name, b.name));

  // Equivalence classes: equal signatures at every level give equal sets on either end of any pair.
  const { pair, classKey } = pairEvaluator(ix);
  const classOf = new Map<string, number>();
  const classIds = new Int32Array(ix.services.length);
  const members: number[][] = [];
  for (const p of [...workloads, ...rangePeers(rangeNames)]) {
    const key = classKey(p.index);
    let c = classOf.get(key);
    if (c === undefined) {
      c = members.length;
      classOf.set(key, c);
      members.push([]);
    }
    classIds[p.index] = c;
    (members[c] as number[]).push(p.index);
  }
  const nClasses = members.length;
  // Class pair → 0 not computed yet, 1 nothing allowed, k + 2 the k-th distinct set (shared in the output).
  const results = rowCache<number>(nClasses, () => new Int32Array(nClasses));
  const portsList: Ports[] = [];
  const portsByKey = new Map<string, number>();
  const portsBySet = new Map<ConnSet, number>();
  let classPairs = 0;
  const classPair = (ca: number, cb: number): number => {
    const ma = members[ca] as number[];
    const mb = members[cb] as number[];
    // Within one class, two distinct members (a pair of distinct peers is what is asked).
    const set = pair(ma[0] as number, (ca === cb ? mb[1] : mb[0]) as number);
    classPairs++;
    if (isEmpty(set)) return 1;
    // Rows share set objects, so most sets are found by identity before being formatted.
    let k = portsBySet.get(set);
    if (k === undefined) {
      const f = formatConnSet(set);
      const key = f === 'all' ? f : f.join(',');
      k = portsByKey.get(key);
      if (k === undefined) {
        k = portsList.length;
        portsList.push(f);
        portsByKey.set(key, k);
      }
      portsBySet.set(set, k);
    }
    return k + 2;
  };

  // Flat arrays for the N² loop: service index, class, and what the peer is (0 a workload outside
  // address-based rules, 1 a workload inside them, 2 an address range).
  const flat = (peers: Peer[]) => ({
    index: Int32Array.from(peers, (p) => p.index),
    cls: Int32Array.from(peers, (p) => classIds[p.index] as number),
    what: Uint8Array.from(peers, (p) => (p.range ? 2 : addressAware.has(p.index) ? 1 : 0)),
  });
  const src = flat(sources);
  const dst = flat(destinations);
  const connections: Connection[] = [];
  for (let x = 0; x < sources.length; x++) {
    const si = src.index[x] as number;
    const sc = src.cls[x] as number;
    const sw = src.what[x] as number;
    const from = (sources[x] as Peer).name;
    const row = results(sc) as Int32Array;
    for (let y = 0; y < destinations.length; y++) {
      const di = dst.index[y] as number;
      if (di === si) continue;
      const dw = dst.what[y] as number;
      // A range meets only workloads that address-based rules see, and never another range.
      if (sw === 2 ? dw !== 1 : dw === 2 && sw !== 1) continue;
      const dc = dst.cls[y] as number;
      let r = row[dc] as number;
      if (r === 0) {
        r = classPair(sc, dc);
        row[dc] = r;
      }
      if (r > 1) connections.push({ from, to: (destinations[y] as Peer).name, ports: portsList[r - 2] as Ports });
    }
  }
  if (ingress) connections.push(...ingressConnections(ws, nWs + rangeNames.length, workloads, pair));
  const shown = addressAware.size > 0;
  const kinds: Record<string, string> = {};
  for (const w of workloads) {
    const kind = (ws.services[w.index] as Service).extra?.k8sKind;
    if (typeof kind === 'string') kinds[w.name] = kind;
  }
  return {
    connections,
    workloads: workloads.map((w) => w.name).sort(byText),
    kinds,
    ranges: { sources: shown ? srcRanges : [], destinations: shown ? dstRanges : [] },
    stats: {
      workloads: workloads.length,
      ranges: shown ? rangeNames.length : 0,
      classes: nClasses,
      classPairs,
    },
  };
};

/** The JSON document of `connlist --json`. */
export const connlistJson = (r: Connlist): Connlist => ({ connections: r.connections });

/** `TCP 8080,UDP 53` or `all`, the text form of a set (comma-separated like K8s connectivity analyzers). */
export const portsText = (p: Ports): string => (p === 'all' ? 'all' : p.join(','));

/** One line per pair: `from => to : ports`. */
export const formatConnlist = (r: Connlist): string =>
  r.connections.map((c) => `${c.from} => ${c.to} : ${portsText(c.ports)}`).join('\n');

/** Connections per piece of the texts below. */
const PER_CHUNK = 5000;

/**
 * `formatConnlist` in pieces of whole lines (each without its last newline). The list grows with the
 * square of the workloads (2.7 million lines at 2,000): as one string it would pass the longest
 * string a JavaScript engine makes, so writers take it piece by piece.
 */
export function* connlistTextChunks(
  r: Connlist,
  format: (part: Connlist) => string = formatConnlist,
): Generator<string> {
  for (let i = 0; i < r.connections.length; i += PER_CHUNK) {
    yield format({ connections: r.connections.slice(i, i + PER_CHUNK) });
  }
}

/** `JSON.stringify(connlistJson(r), null, 2)` in pieces that end in a newline (the last one excepted). */
export function* connlistJsonChunks(r: Connlist): Generator<string> {
  const n = r.connections.length;
  if (n === 0) {
    yield JSON.stringify(connlistJson(r), null, 2);
    return;
  }
  // Names and port sets repeat across millions of connections: each is written out once.
  const names = new Map<string, string>();
  const name = (x: string): string => {
    let t = names.get(x);
    if (t === undefined) {
      t = JSON.stringify(x);
      names.set(x, t);
    }
    return t;
  };
  const portTexts = new Map<Ports, string>();
  const ports = (p: Ports): string => {
    let t = portTexts.get(p);
    if (t === undefined) {
      t = JSON.stringify(p, null, 2).replaceAll('\n', '\n      ');
      portTexts.set(p, t);
    }
    return t;
  };
  yield '{\n  "connections": [\n';
  for (let i = 0; i < n; i += PER_CHUNK) {
    const end = Math.min(n, i + PER_CHUNK);
    let text = '';
    for (let k = i; k < end; k++) {
      const c = r.connections[k] as Connection;
      text += `    {\n      "from": ${name(c.from)},\n      "to": ${name(c.to)},\n      "ports": ${ports(c.ports)}\n    }${k < n - 1 ? ',' : ''}\n`;
    }
    yield text;
  }
  yield '  ]\n}';
}
