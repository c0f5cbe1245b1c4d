// Kubernetes manifests in FORMATS: cluster, service accounts, namespaces and NetworkPolicies (account, role, network, policy).
import type { Format } from '../types';
import { k8sReader, linkK8s } from './read';
import { exportK8s } from './write';

export const k8sFormat: Format = {
  ...k8sReader,
  noun: 'Kubernetes',
  levels: ['account', 'role', 'network', 'policy'],
  link: linkK8s,
  write: { name: 'k8s', label: 'Kubernetes manifests (YAML)', write: exportK8s, syntax: 'yaml', readsBack: true },
  samples: [
    'k8s/shop.yaml',
    'k8s/admin-policies.yaml',
    'k8s/cluster-network-policy.yaml',
    'k8s/user-defined-networks.yaml',
    'k8s/cilium-policies.yaml',
    'k8s/istio-bookinfo.yaml',
  ],
  notes:
    'Workloads, Services and Ingresses, ServiceAccounts, Namespaces and NetworkPolicies; AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy; CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy; Istio AuthorizationPolicy and PeerAuthentication (role); user-defined and secondary networks: the cluster (account), service accounts (role), namespaces and pod networks (network) and label sets (policy).',
};
