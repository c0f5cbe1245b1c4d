// Overlay level: Compose networks (v2+), the Compose v1 default bridge (icc, links), Weave and swarm overlays.
import type { OverlayLinkRule, Segment, Service } from '../../model/types';
import { ALL, type Conn, type ConnSet, conn, contains, EMPTY, formatConnSet, isEmpty, union } from '../connset';
import {
  defaultRef,
  type IndexCore,
  kindOf,
  type LevelEngine,
  type LevelResult,
  membershipOf,
  ruleRef,
  segmentRef,
  T,
} from '../core';

const nameOf = (seg: Segment | undefined, id: string): string => seg?.name ?? id;

/** The ports a container exposes (Compose `expose` and `ports`): what a link opens when icc=false. */
const exposedConns = (s: Service): ConnSet => {
  let set: ConnSet = EMPTY;
  for (const p of s.ports ?? []) set = union(set, conn(p.protocol ?? 'TCP', p.port));
  return set;
};

const connText = (c: Conn | undefined) => (c ? `${c.protocol} ${c.port}` : 'any port');

const svcOf = (core: IndexCore, i: number) => core.services[i] as Service;
const isBridge = (seg: Segment | undefined) => kindOf(seg) === 'bridge';
const isNone = (seg: Segment | undefined) => kindOf(seg) === 'none';
const hostSegment = (core: IndexCore, i: number): Segment | undefined =>
  membershipOf(svcOf(core, i), 'overlay')
    .map((id) => core.segments.get(id))
    .find((seg) => kindOf(seg) === 'host');

/** Links by caller and callee (the first one wins), and every service a link names. */
const indexLinks = (core: IndexCore) => {
  const links = new Map<string, OverlayLinkRule>();
  const linked = new Set<string>();
  for (const r of core.rulesOf('overlay-link')) {
    const key = `${r.from}\u0000${r.to}`;
    if (!links.has(key)) links.set(key, r);
    linked.add(r.from);
    linked.add(r.to);
  }
  return { links, linked };
};

/** icc=false: a link opens the target's exposed ports, and no other (Docker legacy links). */
const throughLink = (link: OverlayLinkRule, bridge: Segment, target: Service, c?: Conn): LevelResult => {
  const summary = `link ${T.from} → ${T.to}${link.alias ? ` (alias ${link.alias})` : ''}`;
  const exposed = exposedConns(target);
  if (isEmpty(exposed)) {
    return {
      verdict: 'open',
      reason: `${T.from} links to ${T.to} on the default bridge ${bridge.name} (icc=false), which opens the ports ${T.to} exposes; the file declares none (its image may EXPOSE some), so this level does not decide.`,
      conns: ALL,
    };
  }
  const shown = formatConnSet(exposed);
  const list = shown === 'all' ? 'all ports' : shown.join(', ');
  if (c && !contains(exposed, c)) {
    return {
      verdict: 'deny',
      reason: `${T.from} links to ${T.to} on the default bridge ${bridge.name} (icc=false), but ${T.to} exposes only ${list}, not ${connText(c)}.`,
      rule: ruleRef(link, summary),
      conns: EMPTY,
      fix: `expose ${connText(c)} on ${T.to}`,
    };
  }
  return {
    verdict: 'allow',
    reason: `${T.from} links to ${T.to} on the default bridge ${bridge.name} (icc=false): ${T.to}'s exposed ports ${list}.`,
    rule: ruleRef(link, summary),
    conns: c ? conn(c.protocol, c.port) : exposed,
    allowing: [link.id],
  };
};

/** network_mode: none isolates a container whatever else it shares; network_mode: host exposes it to its host. */
const networkModeVerdict = (core: IndexCore, a: number, b: number): LevelResult | undefined => {
  const isolated = [a, b].find((i) =>
    membershipOf(svcOf(core, i), 'overlay').some((id) => isNone(core.segments.get(id))),
  );
  if (isolated !== undefined) {
    const who = isolated === a ? T.from : T.to;
    const id = membershipOf(svcOf(core, isolated), 'overlay').find((x) => isNone(core.segments.get(x))) as string;
    return {
      verdict: 'deny',
      reason: `${who} has no network (network_mode: none): only its loopback interface exists.`,
      rule: segmentRef(core.segments.get(id), id, `${who} has network_mode: none`),
      conns: EMPTY,
      fix: `give ${who} a network shared with ${isolated === a ? T.to : T.from} instead of network_mode: none`,
    };
  }
  const onHost = hostSegment(core, a) ? a : hostSegment(core, b) ? b : undefined;
  if (onHost === undefined) return undefined;
  const host = hostSegment(core, onHost) as Segment;
  const who = onHost === a ? T.from : T.to;
  return {
    verdict: 'allow',
    reason: `${who} uses the host's network stack (network_mode: host), which no Docker network isolates from the containers of its host.`,
    rule: segmentRef(host, host.id, `${who} has network_mode: host`),
    conns: ALL,
    allowing: [host.id],
  };
};

/** The shared networks of a pair, split into ones that carry traffic (the first allows), default bridges and enable_icc=false ones. */
const sharedNetworks = (core: IndexCore, oa: readonly string[], ob: readonly string[]) => {
  const bridges: Segment[] = [];
  // A user-defined network with the bridge option enable_icc=false carries no container-to-container traffic.
  const noIcc: Segment[] = [];
  for (const id of oa.filter((x) => ob.includes(x))) {
    const seg = core.segments.get(id);
    if (isBridge(seg)) {
      if (seg) bridges.push(seg);
      continue;
    }
    if (seg?.attributes?.icc === false) {
      noIcc.push(seg);
      continue;
    }
    const n = nameOf(seg, id);
    const open: LevelResult = {
      verdict: 'allow',
      reason: `${T.from} and ${T.to} share network ${n}.`,
      rule: segmentRef(seg, id, `both on network ${n}`),
      conns: ALL,
      allowing: [id],
    };
    return { open, bridges, noIcc };
  }
  return { open: undefined, bridges, noIcc };
};

/** Default bridges shared by the pair: icc=true allows, icc=false needs a link; undefined when they share none. */
const bridgeVerdict = (
  bridges: readonly Segment[],
  link: OverlayLinkRule | undefined,
  callee: Service,
  c: Conn | undefined,
): LevelResult | undefined => {
  for (const bridge of bridges) {
    if (bridge.attributes?.icc !== false) {
      return {
        verdict: 'allow',
        reason: `${T.from} and ${T.to} are on the default bridge ${bridge.name}, where icc=true lets containers talk.`,
        rule: segmentRef(bridge, bridge.id, `default bridge ${bridge.name} with icc=true`),
        conns: ALL,
        allowing: [bridge.id],
      };
    }
    if (link) return throughLink(link, bridge, callee, c);
  }
  const bridge = bridges[0];
  if (!bridge) return undefined;
  return {
    verdict: 'deny',
    reason: `The default bridge ${bridge.name} runs with icc=false and ${T.from} has no link to ${T.to}.`,
    rule: segmentRef(bridge, bridge.id, `default bridge ${bridge.name} with icc=false, no link ${T.from} → ${T.to}`),
    conns: EMPTY,
    fix: `add \`links: [${T.to}]\` to ${T.from}`,
  };
};

/** No network carries the pair's traffic: the closed (enable_icc=false) one they share, else none shared. */
const noSharedNetwork = (
  core: IndexCore,
  oa: readonly string[],
  ob: readonly string[],
  closed: Segment | undefined,
): LevelResult => {
  if (closed) {
    return {
      verdict: 'deny',
      reason: `${T.from} and ${T.to} share only network ${closed.name}, which runs with com.docker.network.bridge.enable_icc=false: its containers cannot talk to each other.`,
      rule: segmentRef(closed, closed.id, `network ${closed.name} with enable_icc=false`),
      conns: EMPTY,
      fix: `attach ${T.from} and ${T.to} to a network that allows inter-container traffic`,
    };
  }
  // Named in a fixed order, so the same memberships read the same whatever order an edit left them in.
  const byName = (x: string, y: string) => x.localeCompare(y);
  const na = oa.map((id) => nameOf(core.segments.get(id), id)).sort(byName);
  const nb = ob.map((id) => nameOf(core.segments.get(id), id)).sort(byName);
  return {
    verdict: 'deny',
    reason: `${T.from} (on ${na.join(', ')}) and ${T.to} (on ${nb.join(', ')}) share no network.`,
    rule: defaultRef('overlay-no-shared-network', `${T.from} and ${T.to} share no network`),
    conns: EMPTY,
    fix: `attach ${T.from} to network ${nb[0]} (or ${T.to} to ${na[0]})`,
  };
};

/**
 * Docker networks do not filter ports, so a shared network allows all or nothing. On a shared
 * user-defined network (Compose v2+, Weave, overlay) containers reach each other. On the host's default
 * bridge they do when the daemon runs with icc=true (the default); with icc=false only a link from
 * caller to callee opens the path, to the callee's exposed ports only. A container in the `none`
 * network (network_mode: none) has no network at all; one in the `host` network shares the host's stack,
 * which no Docker network isolates. A side with no overlay data leaves the level open.
 */
export const createOverlayLevel = (core: IndexCore): LevelEngine => {
  const { links, linked } = indexLinks(core);
  const svc = (i: number) => svcOf(core, i);
  return {
    level: 'overlay',
    signature: (i) => {
      const s = svc(i);
      const ids = [...membershipOf(s, 'overlay')].sort().join(',');
      // Links name services, so a linked service is its own class.
      return linked.has(s.id) ? `${ids}#${s.id}` : ids;
    },
    callerIrrelevant: (b) => membershipOf(svc(b), 'overlay').length === 0,
    permits(a, b) {
      return this.evaluate(a, b).verdict !== 'deny';
    },
    evaluate: (a, b, c): LevelResult => {
      const sa = svc(a);
      const sb = svc(b);
      const oa = membershipOf(sa, 'overlay');
      const ob = membershipOf(sb, 'overlay');
      const byMode = networkModeVerdict(core, a, b);
      if (byMode) return byMode;
      if (oa.length === 0 || ob.length === 0) {
        // Name the callee first: when it lacks data the answer is the same for every caller (shared).
        const reason = `${ob.length === 0 ? T.to : T.from} has no overlay data, so this level does not restrict the pair.`;
        return { verdict: 'open', reason, conns: ALL };
      }
      const { open, bridges, noIcc } = sharedNetworks(core, oa, ob);
      if (open) return open;
      const onBridge =
        bridges.length > 0 ? bridgeVerdict(bridges, links.get(`${sa.id}\u0000${sb.id}`), sb, c) : undefined;
      return onBridge ?? noSharedNetwork(core, oa, ob, noIcc[0]);
    },
  };
};
