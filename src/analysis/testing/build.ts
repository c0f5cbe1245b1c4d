// Small builders for hand-written test workspaces: services, segments and rules of every level in one line each.
import { sgPermission } from '../../model/sg-permission';
import type {
  AccountPathRule,
  AdminNetworkPolicyRule,
  AdminPolicyAction,
  AdminPolicyPeer,
  AdminPolicyPort,
  AdminPolicyRuleEntry,
  AdminPolicySubject,
  CalicoNetworkSetRule,
  CalicoPolicyRule,
  CalicoRuleEntry,
  CalicoTierRule,
  Call,
  K8sNetworkPolicyRule,
  LabelSelector,
  Level,
  Memberships,
  OverlayLinkRule,
  PolicyRuleEntry,
  PrefixListRule,
  Protocol,
  RoleGrantRule,
  RoleTrustRule,
  Rule,
  Segment,
  Service,
  ServicePort,
  SgPeer,
  SgPermissionRule,
  SourceLocation,
  TgwAttachmentRule,
  VpcPeeringRule,
  Workspace,
} from '../../model/types';

let line = 0;
/** A fresh source position in the fictional file `test.yaml`, so rule sources are distinct and checkable. */
export const at = (): SourceLocation => ({ file: 'test.yaml', line: ++line, column: 1 });

export interface ServiceOpts extends Partial<Omit<Service, 'id' | 'memberships' | 'ports'>> {
  ports?: (number | ServicePort)[];
  account?: string[];
  role?: string[];
  network?: string[];
  group?: string[];
  policy?: string[];
  overlay?: string[];
  host?: string;
}

export const svc = (id: string, o: ServiceOpts = {}): Service => {
  const { account, role, network, group, policy, overlay, host, ports, ...rest } = o;
  const memberships: Memberships = {};
  const m: Partial<Record<Level, string[] | undefined>> = { account, role, network, group, policy, overlay };
  for (const [k, v] of Object.entries(m)) if (v) memberships[k as Level] = v;
  const s: Service = {
    id,
    name: rest.name ?? id.replace(/^.*[:/]/, ''),
    kind: 'service',
    ...rest,
    memberships,
  };
  if (ports) s.ports = ports.map((p) => (typeof p === 'number' ? { port: p } : p));
  if (host !== undefined) s.placement = { ...(s.placement ?? {}), host };
  return s;
};

export interface SegmentOpts {
  name?: string;
  parent?: string;
  kind?: string;
  cidrs?: string[];
  labels?: Record<string, string>;
  attributes?: Record<string, unknown>;
}

export const seg = (id: string, level: Level, o: SegmentOpts = {}): Segment => {
  const s: Segment = { id, level, name: o.name ?? id.replace(/^.*:/, ''), source: [at()] };
  if (o.parent) s.parent = o.parent;
  if (o.cidrs) s.cidrs = o.cidrs;
  if (o.labels) s.labels = o.labels;
  const attributes = { ...(o.kind ? { kind: o.kind } : {}), ...(o.attributes ?? {}) };
  if (Object.keys(attributes).length > 0) s.attributes = attributes;
  return s;
};

export const call = (from: string, to: string, port?: number, protocol?: Protocol): Call => {
  const c: Call = { from, to, origin: 'declared' };
  if (port !== undefined) c.port = port;
  if (protocol) c.protocol = protocol;
  return c;
};

export const ws = (parts: Partial<Omit<Workspace, 'segscope'>>): Workspace => ({
  segscope: 1,
  services: [],
  segments: [],
  calls: [],
  rules: [],
  ...parts,
});

// ---- rules

export const sgRule = (
  id: string,
  group: string,
  direction: 'ingress' | 'egress',
  protocol: string,
  peer: SgPeer | string,
  fromPort?: number,
  toPort: number | undefined = fromPort,
): SgPermissionRule => ({
  ...sgPermission({
    id,
    group,
    direction,
    protocol,
    peer:
      typeof peer === 'string'
        ? peer.includes('/')
          ? { kind: 'cidr', cidr: peer }
          : { kind: 'group', group: peer }
        : peer,
    ...(fromPort !== undefined && toPort !== undefined ? { ports: [fromPort, toPort] as const } : {}),
  }),
  // A one-sided range is kept as given (tests of rules AWS would not write).
  ...(fromPort !== undefined && toPort === undefined ? { fromPort } : {}),
  ...(fromPort === undefined && toPort !== undefined ? { toPort } : {}),
  source: at(),
});

export const prefixList = (id: string, prefixListId: string, cidrs: string[]): PrefixListRule => ({
  id,
  type: 'prefix-list',
  level: 'group',
  prefixListId,
  cidrs,
  source: at(),
});

export const np = (
  id: string,
  namespace: string,
  podSelector: LabelSelector,
  policyTypes: ('Ingress' | 'Egress')[],
  ingress?: PolicyRuleEntry[],
  egress?: PolicyRuleEntry[],
): K8sNetworkPolicyRule => {
  const r: K8sNetworkPolicyRule = {
    id,
    type: 'k8s-network-policy',
    level: 'policy',
    name: id.replace(/^.*\//, ''),
    namespace,
    podSelector,
    policyTypes,
    source: at(),
  };
  if (ingress) r.ingress = ingress;
  if (egress) r.egress = egress;
  return r;
};

export const calico = (
  id: string,
  o: Partial<Omit<CalicoPolicyRule, 'id' | 'type' | 'level'>> & {
    ingress?: CalicoRuleEntry[];
    egress?: CalicoRuleEntry[];
  },
): CalicoPolicyRule => ({
  id,
  type: 'calico-policy',
  level: 'policy',
  name: o.name ?? id.replace(/^.*\//, ''),
  tier: o.tier ?? 'default',
  selector: o.selector ?? 'all()',
  types: o.types ?? [],
  ...o,
  source: at(),
});

export const tier = (name: string, order?: number): CalicoTierRule => {
  const r: CalicoTierRule = { id: `calico:tier/${name}`, type: 'calico-tier', level: 'policy', name, source: at() };
  if (order !== undefined) r.order = order;
  return r;
};

export const networkSet = (
  id: string,
  labels: Record<string, string>,
  nets: string[],
  namespace?: string,
): CalicoNetworkSetRule => {
  const r: CalicoNetworkSetRule = {
    id,
    type: 'calico-network-set',
    level: 'policy',
    name: id.replace(/^.*\//, ''),
    labels,
    nets,
    source: at(),
  };
  if (namespace !== undefined) r.namespace = namespace;
  return r;
};

export const peering = (id: string, requester: string, accepter: string, status?: string): VpcPeeringRule => {
  const r: VpcPeeringRule = { id, type: 'vpc-peering', level: 'network', requester, accepter, source: at() };
  if (status !== undefined) r.status = status;
  return r;
};

export const tgw = (id: string, transitGateway: string, vpc: string, state?: string): TgwAttachmentRule => {
  const r: TgwAttachmentRule = { id, type: 'tgw-attachment', level: 'network', transitGateway, vpc, source: at() };
  if (state !== undefined) r.state = state;
  return r;
};

export const grant = (
  id: string,
  principal: string,
  target: string,
  effect: 'Allow' | 'Deny' = 'Allow',
): RoleGrantRule => ({
  id,
  type: 'role-grant',
  level: 'role',
  principal,
  target,
  effect,
  source: at(),
});

export const trust = (id: string, role: string, principal: string): RoleTrustRule => ({
  id,
  type: 'role-trust',
  level: 'role',
  role,
  principal,
  source: at(),
});

export const link = (id: string, from: string, to: string): OverlayLinkRule => ({
  id,
  type: 'overlay-link',
  level: 'overlay',
  from,
  to,
  source: at(),
});

export const accountPath = (
  id: string,
  from: string,
  to: string,
  via: AccountPathRule['via'] = 'privatelink',
): AccountPathRule => ({ id, type: 'account-path', level: 'account', from, to, via, source: at() });

export type { Rule };

/** One admin rule with its own source line (verdicts name the rule's line, not only the policy's). */
export const adminRule = (
  action: AdminPolicyAction,
  peers: AdminPolicyPeer[],
  ports?: AdminPolicyPort[],
  name?: string,
): AdminPolicyRuleEntry => {
  const r: AdminPolicyRuleEntry = { action, peers, source: at() };
  if (ports) r.ports = ports;
  if (name !== undefined) r.name = name;
  return r;
};

/** An AdminNetworkPolicy (priority given) or a BaselineAdminNetworkPolicy (priority undefined). */
export const anp = (
  name: string,
  priority: number | undefined,
  subject: AdminPolicySubject,
  rules: { ingress?: AdminPolicyRuleEntry[]; egress?: AdminPolicyRuleEntry[] },
): AdminNetworkPolicyRule => ({
  id: `${priority === undefined ? 'banp' : 'anp'}:${name}`,
  type: 'admin-network-policy',
  level: 'policy',
  kind: priority === undefined ? 'BaselineAdminNetworkPolicy' : 'AdminNetworkPolicy',
  tier: priority === undefined ? 'baseline' : 'admin',
  name,
  priority: priority ?? 0,
  subject,
  ingress: rules.ingress ?? [],
  egress: rules.egress ?? [],
  source: at(),
});
