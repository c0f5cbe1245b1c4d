// The native format's schema (zod): validates each item on load; unknown keys pass through untouched.
import { z } from 'zod';
import { ruleValueIssues } from './rule-values';
import { LEVELS } from './types';

const level = z.enum(LEVELS);
const source = z.looseObject({ file: z.string(), line: z.number().int(), column: z.number().int() });
const protocol = z.enum(['TCP', 'UDP', 'SCTP']);
const labels = z.record(z.string(), z.string());
const port = z.number().int().min(0).max(65535);

export const serviceSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(['service', 'datastore', 'external', 'gateway']),
  namespace: z.string().optional(),
  labels: labels.optional(),
  ports: z
    .array(
      z.looseObject({
        port,
        protocol: protocol.optional(),
        name: z.string().optional(),
        published: z.boolean().optional(),
        routed: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  exposed: z.boolean().optional(),
  critical: z.boolean().optional(),
  hostNetwork: z.boolean().optional(),
  sidecar: z.boolean().optional(),
  placement: z
    .looseObject({
      host: z.string().optional(),
      mode: z.enum(['bare-metal', 'shared-vm', 'dedicated-vm', 'container']).optional(),
    })
    .optional(),
  addresses: z.array(z.string()).optional(),
  replicas: z.number().int().min(0).optional(),
  profiles: z.array(z.string()).optional(),
  memberships: z.partialRecord(level, z.array(z.string())),
  source: z.array(source).optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
});

export const segmentSchema = z.looseObject({
  id: z.string().min(1),
  level,
  name: z.string().min(1),
  parent: z.string().optional(),
  cidrs: z.array(z.string()).optional(),
  labels: labels.optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  source: z.array(source).optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
});

export const callSchema = z.looseObject({
  from: z.string().min(1),
  to: z.string().min(1),
  port: port.optional(),
  protocol: protocol.optional(),
  origin: z.enum(['links', 'depends_on', 'env', 'observed', 'declared']),
  source: source.optional(),
});

/**
 * Rules are checked for their common envelope, and the values that decide what a rule lets through
 * (ports, protocols, CIDRs of security group permissions and NetworkPolicies) for what the readers
 * accept: a value outside it is an error and the rule is dropped, never read as wider.
 */
export const ruleSchema = z
  .looseObject({
    id: z.string().min(1),
    type: z.enum([
      'k8s-network-policy',
      'admin-network-policy',
      'cilium-network-policy',
      'calico-policy',
      'calico-tier',
      'calico-network-set',
      'sg-permission',
      'prefix-list',
      'vpc-peering',
      'tgw-attachment',
      'network-acl',
      'route-table',
      'tgw-route-table',
      'role-grant',
      'role-trust',
      'istio-authorization',
      'istio-peer-authentication',
      'overlay-link',
      'account-path',
    ]),
    level,
    source: source.optional(),
  })
  .superRefine((r, ctx) => {
    for (const i of ruleValueIssues(r)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  });

/** The top-level shape; items are validated one by one so one bad item does not sink the file. */
export const workspaceShape = z.looseObject({
  segscope: z.literal(1),
  name: z.string().optional(),
  sources: z.array(z.looseObject({ name: z.string(), format: z.string() })).optional(),
  services: z.array(z.unknown()),
  segments: z.array(z.unknown()),
  calls: z.array(z.unknown()).optional(),
  rules: z.array(z.unknown()).optional(),
  quotas: z.record(z.string(), z.number()).optional(),
  // A mode the analysis does not know is an error at the field, never quietly the default.
  settings: z
    .looseObject({
      ciliumPolicyEnforcement: z.enum(['default', 'always', 'never']).optional(),
      hostNetworkPods: z.enum(['node', 'pod']).optional(),
    })
    .optional(),
});
