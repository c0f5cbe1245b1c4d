// Connectivity list: every ordered pair of workloads (and external address ranges) with the exact allowed connection set.
import { type Service, UNKNOWN_OWNER_KIND, type Workspace } from '../model/types';
import { ingressConnections, ingressStandIns } from './connlist-ingress';
import { pairEvaluator, rowCache } from './connlist-pairs';
import {
  type AddressRange,
  awsNetworkCidrs,
  fromBig,
  parseRangeName,
  rangeName,
  referencedCidrs,
  splitAddressSpace,
} from './connlist-ranges';
import { type ConnSet, formatConnSet, isEmpty } from './connset';
import { buildIndex } from './context';

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
  /**
   * The owner a workload's Pods name as their controller, where segscope names the workload after an
   * inferred top controller instead (`shop/web` → `shop/web-7d4b9c[ReplicaSet]`): how the reference prints it.
   */
  podControllers: Record<string, string>;
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

interface Peer {
  name: string;
  /** Service index in the analysis index. */
  index: number;
  range: boolean;
}

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

/** The CIDRs that cut the outside address space, as sources and as destinations. */
const outsideCidrs = (ws: Workspace, options: ConnlistOptions): { sources: string[]; destinations: string[] } => {
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
  // AWS: where an outside address lies (a VPC, a subnet, a route, an ACL entry) decides both ways.
  const aws = awsNetworkCidrs(ws);
  cidrs.sources.push(...aws);
  cidrs.destinations.push(...aws);
  if (options.sharedRanges) {
    const all = [...cidrs.sources, ...cidrs.destinations];
    return { sources: all, destinations: all };
  }
  return cidrs;
};

/** Each range as a stand-in service at its first address: every CIDR holds all of a range or none of it. */
const rangeStandIns = (rangeNames: readonly string[]): Service[] =>
  rangeNames.map((name) => {
    const r = parseRangeName(name) as AddressRange;
    return {
      id: `${RANGE_ID}${name}`,
      name,
      kind: 'external',
      addresses: [fromBig(r.lo, r.v6)],
      memberships: {},
    };
  });

/** The analysis index of the workspace with the stand-ins appended: the ranges', then ingress controllers' pods. */
const indexWithStandIns = (
  ws: Workspace,
  rangeNames: readonly string[],
  ingress: ReturnType<typeof ingressStandIns> | undefined,
) =>
  buildIndex({
    ...ws,
    services: [...ws.services, ...rangeStandIns(rangeNames), ...(ingress?.services ?? [])],
    segments: ingress ? [...ws.segments, ...ingress.segments] : ws.segments,
  });

/**
 * Peers grouped by equivalence class (equal signatures at every level give equal sets on either end
 * of any pair): the class of each service index, and the members of each class.
 */
const peerClasses = (peers: readonly Peer[], size: number, classKey: (i: number) => string) => {
  const classOf = new Map<string, number>();
  const classIds = new Int32Array(size);
  const members: number[][] = [];
  for (const p of peers) {
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
  return { classIds, members };
};

/**
 * The set of a pair of classes as a small integer: 1 nothing allowed, k + 2 the k-th distinct set of
 * `portsList` (shared in the output); `count` says how many class pairs were computed.
 */
const classPairSets = (members: readonly number[][], pair: (a: number, b: number) => ConnSet) => {
  const portsList: Ports[] = [];
  const portsByKey = new Map<string, number>();
  const portsBySet = new Map<ConnSet, number>();
  const stats = { classPairs: 0 };
  const classPair = (ca: number, cb: number): number => {
    const ma = members[ca] as number[];
    const mb = members[cb] as number[];
    // Within one class, two distinct members (a pair of distinct peers is what is asked).
    const set = pair(ma[0] as number, (ca === cb ? mb[1] : mb[0]) as number);
    stats.classPairs++;
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
  return { classPair, portsList, stats };
};

/** Kubernetes kinds and Pod controllers of the workloads, by name, for the reference's `ns/name[Kind]` layout. */
const k8sNames = (ws: Workspace, workloads: readonly Peer[]) => {
  const kinds: Record<string, string> = {};
  const podControllers: Record<string, string> = {};
  for (const w of workloads) {
    const s = ws.services[w.index] as Service;
    const kind = s.extra?.k8sKind;
    // The reference names a workload whose owner reference has no kind `[Pod]` (its Kind() falls back to Pod).
    if (typeof kind === 'string') kinds[w.name] = kind === UNKNOWN_OWNER_KIND ? 'Pod' : kind;
    const c = s.extra?.k8sPodController as { kind: string; name: string } | undefined;
    if (c) podControllers[w.name] = `${s.namespace}/${c.name}[${c.kind === UNKNOWN_OWNER_KIND ? 'Pod' : c.kind}]`;
  }
  return { kinds, podControllers };
};

/**
 * The N² loop over sources and destinations: the allowed set of each pair from its class pair (cached by
 * row), skipping self-pairs and range pairs that address-based rules cannot see.
 */
const allowedPairs = (
  sources: readonly Peer[],
  destinations: readonly Peer[],
  classIds: ArrayLike<number>,
  addressAware: ReadonlySet<number>,
  results: (sc: number) => Int32Array | number[],
  classPair: (sc: number, dc: number) => number,
  portsList: readonly Ports[],
): Connection[] => {
  // Flat arrays for the N² loop: service index, class, and what the peer is (0 a workload outside
  // address-based rules, 1 a workload inside them, 2 an address range).
  const flat = (peers: readonly Peer[]) => ({
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
  return connections;
};

/**
 * Every ordered pair of distinct workloads (a workload to itself is left out, as K8s connectivity
 * analyzers do) with a non-empty allowed set across all levels, plus address ranges: ranges as sources
 * of workloads that K8s policy or security groups can see (pods, services in groups), and as their
 * destinations. Ranges cut the address space at every CIDR of the rules of that side, so each range
 * gets one exact set. Sorted by from, then to.
 */
export const computeConnlist = (ws: Workspace, options: ConnlistOptions = {}): ConnlistResult => {
  const cidrs = outsideCidrs(ws, options);
  const srcRanges = splitAddressSpace(cidrs.sources).map(rangeName);
  const dstRanges = splitAddressSpace(cidrs.destinations).map(rangeName);
  const rangeNames = [...new Set([...srcRanges, ...dstRanges])];
  const ingress = options.ingressControllers ? ingressStandIns(ws) : undefined;
  const ix = indexWithStandIns(ws, rangeNames, ingress);
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

  const { pair, classKey } = pairEvaluator(ix);
  const { classIds, members } = peerClasses([...workloads, ...rangePeers(rangeNames)], ix.services.length, classKey);
  const nClasses = members.length;
  // Class pair → 0 not computed yet, else what classPair answers.
  const results = rowCache<number>(nClasses, () => new Int32Array(nClasses));
  const { classPair, portsList, stats } = classPairSets(members, pair);

  const connections = allowedPairs(sources, destinations, classIds, addressAware, results, classPair, portsList);
  if (ingress) connections.push(...ingressConnections(ws, nWs + rangeNames.length, workloads, pair));
  const shown = addressAware.size > 0;
  const { kinds, podControllers } = k8sNames(ws, workloads);
  return {
    connections,
    workloads: workloads.map((w) => w.name).sort(byText),
    kinds,
    podControllers,
    ranges: { sources: shown ? srcRanges : [], destinations: shown ? dstRanges : [] },
    stats: {
      workloads: workloads.length,
      ranges: shown ? rangeNames.length : 0,
      classes: nClasses,
      classPairs: stats.classPairs,
    },
  };
};
