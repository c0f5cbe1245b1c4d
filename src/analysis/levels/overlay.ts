// Overlay level: Compose networks (v2+), the Compose v1 default bridge (icc, links), Weave and swarm overlays.
import type { OverlayLinkRule, Segment } from '../../model/types';
import { ALL, EMPTY } from '../connset';
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

/**
 * Docker networks do not filter ports, so the level allows all or nothing. On a shared user-defined
 * network (Compose v2+, Weave, overlay) containers reach each other. On the v1 default bridge they do
 * when the daemon runs with icc=true (the default); with icc=false only a link from caller to callee
 * opens the path. A side with no overlay data leaves the level open: we know nothing to restrict with.
 */
export const createOverlayLevel = (core: IndexCore): LevelEngine => {
  const links = new Map<string, OverlayLinkRule>();
  const linked = new Set<string>();
  for (const r of core.rulesOf('overlay-link')) {
    const key = `${r.from}\u0000${r.to}`;
    if (!links.has(key)) links.set(key, r);
    linked.add(r.from);
    linked.add(r.to);
  }
  const svc = (i: number) => core.services[i] as (typeof core.services)[number];
  const isBridge = (seg: Segment | undefined) => kindOf(seg) === 'bridge';

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
    evaluate: (a, b): LevelResult => {
      const sa = svc(a);
      const sb = svc(b);
      const oa = membershipOf(sa, 'overlay');
      const ob = membershipOf(sb, 'overlay');
      if (oa.length === 0 || ob.length === 0) {
        // Name the callee first: when it lacks data the answer is the same for every caller (shared).
        const reason = `${ob.length === 0 ? T.to : T.from} has no overlay data, so this level does not restrict the pair.`;
        return { verdict: 'open', reason, conns: ALL };
      }
      const shared = oa.filter((id) => ob.includes(id));
      const bridges: Segment[] = [];
      for (const id of shared) {
        const seg = core.segments.get(id);
        if (isBridge(seg)) {
          if (seg) bridges.push(seg);
          continue;
        }
        const n = nameOf(seg, id);
        return {
          verdict: 'allow',
          reason: `${T.from} and ${T.to} share network ${n}.`,
          rule: segmentRef(seg, id, `both on network ${n}`),
          conns: ALL,
          allowing: [id],
        };
      }
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
        const link = links.get(`${sa.id}\u0000${sb.id}`);
        if (link) {
          return {
            verdict: 'allow',
            reason: `${T.from} links to ${T.to} on the default bridge ${bridge.name} (icc=false).`,
            rule: ruleRef(link, `link ${T.from} → ${T.to}${link.alias ? ` (alias ${link.alias})` : ''}`),
            conns: ALL,
            allowing: [link.id],
          };
        }
      }
      const bridge = bridges[0];
      if (bridge) {
        return {
          verdict: 'deny',
          reason: `The default bridge ${bridge.name} runs with icc=false and ${T.from} has no link to ${T.to}.`,
          rule: segmentRef(
            bridge,
            bridge.id,
            `default bridge ${bridge.name} with icc=false, no link ${T.from} → ${T.to}`,
          ),
          conns: EMPTY,
          fix: `add \`links: [${T.to}]\` to ${T.from}`,
        };
      }
      const na = oa.map((id) => nameOf(core.segments.get(id), id));
      const nb = ob.map((id) => nameOf(core.segments.get(id), id));
      return {
        verdict: 'deny',
        reason: `${T.from} (on ${na.join(', ')}) and ${T.to} (on ${nb.join(', ')}) share no network.`,
        rule: defaultRef('overlay-no-shared-network', `${T.from} and ${T.to} share no network`),
        conns: EMPTY,
        fix: `attach ${T.from} to network ${nb[0]} (or ${T.to} to ${na[0]})`,
      };
    },
  };
};
