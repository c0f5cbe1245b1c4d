// Calico v3 policy in FORMATS: tiers, network sets and (global) network policies, the policy level's rules.
import type { Format } from '../types';
import { calicoReader } from './read';
import { exportCalico } from './write';

export const calicoFormat: Format = {
  ...calicoReader,
  noun: 'Calico',
  levels: ['policy'],
  write: { name: 'calico', label: 'Calico policy (YAML)', write: exportCalico, syntax: 'yaml', readsBack: true },
  samples: ['calico/tiers.yaml'],
  notes:
    'Tiers, (Global)NetworkSets and (Global)NetworkPolicies: rules and label sets of the policy level, no services.',
};
