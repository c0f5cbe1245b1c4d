// Node objects → network-level segments with their labels and addresses, which admin policies' `nodes` peers match.
import ipaddr from 'ipaddr.js';
import { arr, get, type Manifest, meta, str } from '../../import/manifests';
import type { K8sRead } from './context';

/** A Node: a network-level segment of kind `node` with its labels and its addresses as host CIDRs. */
export const readNode = (ctx: K8sRead, m: Manifest): void => {
  const { name } = meta(m);
  if (!name) {
    ctx.diag(m, ['metadata'], 'Node without metadata.name; skipped');
    return;
  }
  const cidrs: string[] = [];
  for (const a of arr(get(m.value, 'status', 'addresses')) ?? []) {
    const ip = str(get(a, 'address'));
    if (ip && ipaddr.isValid(ip)) cidrs.push(`${ip}/${ipaddr.parse(ip).kind() === 'ipv6' ? 128 : 32}`);
  }
  ctx.fragment.segments.push({
    id: `network:k8s:node:${name}`,
    level: 'network',
    name,
    labels: ctx.labels(m, ['metadata', 'labels'], get(m.value, 'metadata', 'labels')),
    ...(cidrs.length > 0 ? { cidrs } : {}),
    attributes: { kind: 'node' },
    source: [m.source()],
  });
};
