// The generator's group, role, policy and overlay levels: segments and the rules the kept entries become.
import type {
  K8sNetworkPolicyRule,
  PolicyPeer,
  RoleGrantRule,
  Segment,
  Service,
  SgPermissionRule,
} from '../model/types';
import { byKey, type Entries } from './entries';
import { accountIdOf, accountSeg, DOMAIN_WORDS, type Estate, REGION, TIERS, teamAt, type Vpc } from './estate';
import { below } from './random';
import { domainNet, labelSet, type Traffic } from './traffic';

/** Old partner and VPN ranges that match no service: what pads real groups towards their limits. */
const CRUFT_CIDRS = Array.from({ length: 24 }, (_, k) => `198.18.${k * 8}.0/24`);
const CRUFT_PORTS = [443, 22, 8443, 3389];

const groupSeg = (id: string, name: string, vpc: Vpc): Segment => ({
  id,
  level: 'group',
  name,
  parent: vpc.id,
  attributes: {
    kind: 'security-group',
    groupId: id.slice('group:'.length),
    vpc: vpc.id,
    ownerId: accountIdOf(vpc.account),
    name,
    region: REGION,
  },
});

/** Ingress rules per group, numbered in order as the AWS export numbers them. */
class Ingress {
  readonly byGroup = new Map<string, SgPermissionRule[]>();

  used(group: string): number {
    return this.byGroup.get(group)?.length ?? 0;
  }

  add(group: string, peer: string, port: number, description?: string): void {
    const list = this.byGroup.get(group) ?? [];
    this.byGroup.set(group, list);
    const r: SgPermissionRule = {
      id: `sg:${group.slice('group:'.length)}:ingress:${list.length}:0`,
      type: 'sg-permission',
      level: 'group',
      group,
      direction: 'ingress',
      protocol: 'tcp',
      fromPort: port,
      toPort: port,
      peer: peer.startsWith('g:') ? { kind: 'group', group: peer.slice(2) } : { kind: 'cidr', cidr: peer.slice(2) },
    };
    if (description) r.description = description;
    list.push(r);
  }

  /** Old partner ranges until the group has `to` rules. */
  pad(e: Estate, group: string, to: number): void {
    let k = below(e.rand, CRUFT_CIDRS.length * CRUFT_PORTS.length);
    while (this.used(group) < to) {
      const cidr = CRUFT_CIDRS[k % CRUFT_CIDRS.length] as string;
      const port = CRUFT_PORTS[Math.floor(k / CRUFT_CIDRS.length) % CRUFT_PORTS.length] as number;
      this.add(group, `c:${cidr}`, port, `partner range ${k % CRUFT_CIDRS.length} (legacy)`);
      k++;
    }
  }
}

/**
 * Group level: team groups, hub groups, the kept ingress entries; then old partner ranges push a few
 * team groups near the limit, and the fullest hub group over it if no group is. Returns the rule
 * count of each group, for the facts.
 */
export const addGroupLevel = (e: Estate, traffic: Traffic, entries: Entries, limit: number): Map<string, number> => {
  const ingress = new Ingress();
  const groupSegs: Segment[] = e.teams.map((t) => groupSeg(t.sg, `${t.name}-sg`, e.vpcs[t.vpc] as Vpc));
  for (const [i, g] of traffic.hubSg)
    groupSegs.push(groupSeg(g, `${(e.services[i] as Service).name}-sg`, e.vpcs[teamAt(e, i).vpc] as Vpc));
  for (const en of [...entries.values()].sort(byKey)) {
    if (en.level !== 'group' || en.dropped) continue;
    const [g, peer, port] = en.key.split('|') as [string, string, string];
    ingress.add(g, peer, Number(port));
  }
  const used = (g: string) => ingress.used(g);
  const teamGroups = new Set(e.teams.map((t) => t.sg));
  const nearAt = Math.ceil(limit * 0.8);
  const byUse = [...teamGroups].sort((x, y) => used(y) - used(x) || (x < y ? -1 : 1));
  const nearCount = Math.max(1, Math.round(teamGroups.size * 0.03));
  for (const g of byUse.filter((x) => used(x) < nearAt).slice(0, nearCount)) {
    ingress.pad(e, g, nearAt + below(e.rand, limit - nearAt + 1));
  }
  const allGroups = groupSegs.map((s) => s.id);
  if (!allGroups.some((g) => used(g) > limit)) {
    const hubGroups = [...traffic.hubSg.values()];
    const fullest = (hubGroups.length > 0 ? hubGroups : allGroups).sort((x, y) => used(y) - used(x))[0] as string;
    ingress.pad(e, fullest, limit + 1 + below(e.rand, Math.ceil(limit * 0.1)));
  }
  e.segments.push(...groupSegs);
  for (const g of allGroups) {
    e.rules.push({
      id: `sg:${g.slice('group:'.length)}:egress:0:0`,
      type: 'sg-permission',
      level: 'group',
      group: g,
      direction: 'egress',
      protocol: '-1',
      peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
    });
    e.rules.push(...(ingress.byGroup.get(g) ?? []));
  }
  return new Map(allGroups.map((g) => [g, used(g)]));
};

/** Role level: one IAM role per team; hubs accept only the teams granted. */
export const addRoleLevel = (e: Estate, entries: Entries): void => {
  for (const t of e.teams) {
    const v = e.vpcs[t.vpc] as Vpc;
    e.segments.push({
      id: t.role,
      level: 'role',
      name: `${t.name}-role`,
      parent: accountSeg(v.account),
      attributes: { kind: 'iam-role', arn: t.role.slice('role:aws:'.length) },
    });
  }
  for (const en of [...entries.values()].sort(byKey)) {
    if (en.level !== 'role' || en.dropped) continue;
    const [target, principal] = en.key.split('|') as [string, string];
    const g: RoleGrantRule = {
      id: `iam:${principal.slice(principal.lastIndexOf('/') + 1)}/grant/${target}`,
      type: 'role-grant',
      level: 'role',
      principal,
      target,
      effect: 'Allow',
    };
    e.rules.push(g);
  }
};

/** Policy level: namespaces, label sets per tier, default deny plus one ingress policy per tier. */
export const addPolicyLevel = (e: Estate, entries: Entries): void => {
  const peersOf = new Map<string, string[]>();
  for (const en of entries.values()) {
    if (en.level !== 'policy' || en.dropped) continue;
    const at = en.key.lastIndexOf('|');
    const set = en.key.slice(0, at);
    peersOf.set(set, [...(peersOf.get(set) ?? []), en.key.slice(at + 1)]);
  }
  for (const t of e.teams) {
    const ns = `policy:k8s:ns:${t.ns}`;
    e.segments.push({
      id: ns,
      level: 'policy',
      name: t.ns,
      labels: {
        'kubernetes.io/metadata.name': t.ns,
        team: t.name,
        domain: DOMAIN_WORDS[t.domain % DOMAIN_WORDS.length] as string,
      },
      attributes: { kind: 'namespace', namespace: t.ns },
    });
    if (t.flat) continue;
    e.rules.push({
      id: `k8s:${t.ns}/netpol/default-deny-ingress`,
      type: 'k8s-network-policy',
      level: 'policy',
      name: 'default-deny-ingress',
      namespace: t.ns,
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    for (const tier of TIERS) {
      const id = labelSet(t, tier);
      const name = `${tier}-ingress`;
      e.segments.push({
        id,
        level: 'policy',
        name: `tier=${tier}`,
        parent: ns,
        attributes: { kind: 'label-set', namespace: t.ns, selector: { matchLabels: { tier } }, policies: [name] },
      });
      const ports = [
        ...new Set(t.members.filter((i) => e.tierOf[i] === tier).map((i) => e.services[i]?.ports?.[0]?.port as number)),
      ].sort((x, y) => x - y);
      const peers: PolicyPeer[] = (peersOf.get(id) ?? [])
        .sort()
        .map((p) =>
          p === 'self'
            ? { podSelector: {} }
            : { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.slice(3) } } },
        );
      const np: K8sNetworkPolicyRule = {
        id: `k8s:${t.ns}/netpol/${name}`,
        type: 'k8s-network-policy',
        level: 'policy',
        name,
        namespace: t.ns,
        podSelector: { matchLabels: { tier } },
        policyTypes: ['Ingress'],
        // An empty peer list would mean "from anywhere"; a policy with no caller left allows nothing.
        ingress: peers.length > 0 ? [{ peers, ports: ports.map((port) => ({ protocol: 'TCP', port })) }] : [],
      };
      e.rules.push(np);
    }
  }
};

/** Overlay level: one Weave network per domain and the mesh the cross-domain callers join. */
export const addOverlayLevel = (e: Estate): void => {
  for (let d = 0; d < e.shape.domains; d++) {
    e.segments.push({
      id: domainNet(d),
      level: 'overlay',
      name: `weave-${DOMAIN_WORDS[d % DOMAIN_WORDS.length]}-${d}`,
      attributes: { kind: 'weave' },
    });
  }
  e.segments.push({ id: 'overlay:weave:mesh', level: 'overlay', name: 'weave-mesh', attributes: { kind: 'weave' } });
};
