// One line per rule in its level's own terms, for the history panel, the change plan and fix lists.
import { entryText as istioEntryText } from './istio-text';
import type { LabelSelector, PolicyRuleEntry, Rule, SgPeer, SgPermissionRule, Workspace } from './types';

const segName = (ws: Workspace, id: string): string => ws.segments.find((s) => s.id === id)?.name ?? id;

const selectorText = (sel: LabelSelector | undefined): string => {
  if (!sel) return '{}';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) parts.push(`${e.key} ${e.operator} ${(e.values ?? []).join('|')}`);
  return parts.length === 0 ? '{}' : `{${parts.join(', ')}}`;
};

const sgPorts = (r: SgPermissionRule): string => {
  const p = r.protocol.toLowerCase();
  if (p === '-1' || p === 'all') return 'all traffic';
  if (r.fromPort === undefined || r.toPort === undefined || r.fromPort < 0) return `${p} all ports`;
  return r.fromPort === r.toPort ? `${p} ${r.fromPort}` : `${p} ${r.fromPort}-${r.toPort}`;
};

const sgPeer = (ws: Workspace, p: SgPeer): string =>
  p.kind === 'group' ? segName(ws, p.group) : p.kind === 'cidr' ? p.cidr : `prefix list ${p.prefixListId}`;

const entryText = (e: PolicyRuleEntry): string => {
  const peers = (e.peers ?? [])
    .map((p) =>
      p.ipBlock
        ? p.ipBlock.cidr
        : `${p.namespaceSelector ? `ns ${selectorText(p.namespaceSelector)} ` : ''}pods ${selectorText(p.podSelector)}`,
    )
    .join(' or ');
  const ports = (e.ports ?? []).map((p) => `${p.protocol ?? 'TCP'} ${p.port ?? 'all'}`).join(', ');
  return `${peers || 'all peers'} on ${ports || 'all ports'}`;
};

export const ruleText = (ws: Workspace, r: Rule): string => {
  switch (r.type) {
    case 'sg-permission':
      return `${segName(ws, r.group)} ${r.direction} ${sgPorts(r)} ${r.direction === 'ingress' ? 'from' : 'to'} ${sgPeer(ws, r.peer)}`;
    case 'k8s-network-policy': {
      const parts = [
        ...(r.ingress ?? []).map((e) => `ingress from ${entryText(e)}`),
        ...(r.egress ?? []).map((e) => `egress to ${entryText(e)}`),
      ];
      return `NetworkPolicy ${r.namespace}/${r.name} on pods ${selectorText(r.podSelector)}${parts.length ? `: ${parts.join('; ')}` : ' (deny all)'}`;
    }
    case 'admin-network-policy':
      return `${r.kind} ${r.name}${r.tier === 'admin' ? ` (priority ${r.priority})` : ''}: ${r.ingress.length} ingress, ${r.egress.length} egress rules`;
    case 'cilium-network-policy':
      return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.part !== undefined ? ` (specs[${r.part}])` : ''}: ${r.ingress.length + r.ingressDeny.length} ingress, ${r.egress.length + r.egressDeny.length} egress rules`;
    case 'calico-policy':
      return `Calico policy ${r.namespace ? `${r.namespace}/` : ''}${r.name} (tier ${r.tier})`;
    case 'calico-tier':
      return `Calico tier ${r.name}`;
    case 'calico-network-set':
      return `Calico network set ${r.name}`;
    case 'prefix-list':
      return `prefix list ${r.name ?? r.prefixListId}`;
    case 'vpc-peering':
      return `peering ${segName(ws, r.requester)} ↔ ${segName(ws, r.accepter)}`;
    case 'tgw-attachment':
      return `transit gateway ${r.transitGateway} attachment of ${segName(ws, r.vpc)}`;
    case 'route-table':
      return `route table ${r.name ?? r.routeTableId}${r.main ? ' (main)' : ''}${r.subnets.length > 0 ? ` of ${r.subnets.map((id) => segName(ws, id)).join(', ')}` : ''}`;
    case 'tgw-route-table':
      return `transit gateway route table ${r.name ?? r.routeTableId}${r.transitGateway ? ` of ${r.transitGateway}` : ''}`;
    case 'network-acl':
      return `network ACL ${r.name ?? r.aclId}${r.subnets.length > 0 ? ` of ${r.subnets.map((id) => segName(ws, id)).join(', ')}` : ''}`;
    case 'role-grant':
      return `${r.effect === 'Allow' ? 'grant' : 'deny'} ${segName(ws, r.principal)} → ${ws.services.find((s) => s.id === r.target)?.name ?? segName(ws, r.target)}`;
    case 'role-trust':
      return `${segName(ws, r.role)} trusts ${segName(ws, r.principal)}`;
    case 'istio-authorization': {
      const on = r.selector ? ` on workloads ${selectorText(r.selector)}` : '';
      const rules =
        r.rules === undefined ? ': no rules' : r.rules.length > 0 ? `: ${r.rules.map(istioEntryText).join('; ')}` : '';
      return `AuthorizationPolicy ${r.namespace}/${r.name} (${r.action})${on}${rules}`;
    }
    case 'istio-peer-authentication':
      return `PeerAuthentication ${r.namespace}/${r.name} (mTLS ${r.mode ?? 'UNSET'})`;
    case 'overlay-link':
      return `link ${ws.services.find((s) => s.id === r.from)?.name ?? r.from} → ${ws.services.find((s) => s.id === r.to)?.name ?? r.to}`;
    case 'account-path':
      return `${r.via} path ${segName(ws, r.from)} → ${segName(ws, r.to)}`;
  }
};
