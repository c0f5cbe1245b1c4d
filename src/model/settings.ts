// The analysis assumptions a workspace may change (its `settings`), read with their defaults and checked.
import type { Workspace, WorkspaceSettings } from './types';

export type PortRange = { from: number; to: number };

/**
 * "To cover the different types of clients that might initiate traffic to public-facing instances in
 * your VPC, you can open ephemeral ports 1024-65535" (AWS VPC User Guide, "Ephemeral ports"): Linux
 * clients use 32768–60999, Windows 49152–65535, NAT gateways and load balancers 1024–65535.
 */
export const DEFAULT_EPHEMERAL_PORTS: PortRange = { from: 1024, to: 65535 };

const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/** Why a range is not a port range, or undefined when it is one. */
export const portRangeProblem = (v: unknown): string | undefined => {
  if (typeof v !== 'object' || v === null) return 'expected {"from": port, "to": port}';
  const { from, to } = v as Record<string, unknown>;
  if (!isPort(from) || !isPort(to)) return 'from and to must be whole numbers from 1 to 65535';
  return from > to ? 'from must not be above to' : undefined;
};

/** The ephemeral port range in force: the workspace's when it is a valid range, else the default. */
export const ephemeralPorts = (ws: Pick<Workspace, 'settings'>): PortRange => {
  const v = ws.settings?.ephemeralPorts;
  return v && portRangeProblem(v) === undefined ? { from: v.from, to: v.to } : DEFAULT_EPHEMERAL_PORTS;
};

/** `1024-65535` → a range, or why not. */
export const parsePortRange = (text: string): PortRange | string => {
  const m = /^\s*(\d+)\s*[-–]\s*(\d+)\s*$/.exec(text);
  if (!m) return `"${text}" is not a port range like 1024-65535`;
  const range = { from: Number(m[1]), to: Number(m[2]) };
  return portRangeProblem(range) ?? range;
};

export const withEphemeralPorts = (ws: Workspace, range: PortRange): Workspace => {
  const settings: WorkspaceSettings = { ...(ws.settings ?? {}), ephemeralPorts: range };
  return { ...ws, settings };
};

/**
 * The Cilium agent's policy enforcement modes (docs.cilium.io, security/policy/intro, "Policy Enforcement
 * Modes"): `default` — an endpoint is in default deny for a direction once a rule selects it for that
 * direction, else it allows everything; `always` — every endpoint is in default deny, even with no rule
 * selecting it; `never` — no endpoint is, even where rules select it (no policy is enforced).
 */
export const CILIUM_ENFORCEMENT_MODES = ['default', 'always', 'never'] as const;
export type CiliumEnforcement = (typeof CILIUM_ENFORCEMENT_MODES)[number];

/** The mode in force: the workspace's when it is one of the three, else `default`. */
export const ciliumEnforcement = (ws: Pick<Workspace, 'settings'>): CiliumEnforcement => {
  const v = ws.settings?.ciliumPolicyEnforcement;
  return (CILIUM_ENFORCEMENT_MODES as readonly unknown[]).includes(v) ? (v as CiliumEnforcement) : 'default';
};

export const withCiliumEnforcement = (ws: Workspace, mode: CiliumEnforcement): Workspace => {
  const settings: WorkspaceSettings = { ...(ws.settings ?? {}), ciliumPolicyEnforcement: mode };
  return { ...ws, settings };
};

/**
 * The two readings Kubernetes allows for `hostNetwork` pods (network-policies, "NetworkPolicy and hostNetwork
 * pods"): `node` — the plugin cannot tell their traffic from the node's, so policies neither select nor match
 * them ("the most common implementation"); `pod` — it can, and applies pod and namespace selectors to them
 * like to any pod (as np-guard's netpol-analyzer reads them).
 */
export const HOST_NETWORK_MODES = ['node', 'pod'] as const;
export type HostNetworkPods = (typeof HOST_NETWORK_MODES)[number];

/** The reading in force: the workspace's when it is one of the two, else `node`. */
export const hostNetworkPods = (ws: Pick<Workspace, 'settings'>): HostNetworkPods =>
  ws.settings?.hostNetworkPods === 'pod' ? 'pod' : 'node';

export const withHostNetworkPods = (ws: Workspace, mode: HostNetworkPods): Workspace => ({
  ...ws,
  settings: { ...(ws.settings ?? {}), hostNetworkPods: mode },
});
