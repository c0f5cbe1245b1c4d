// KubeVirt virtual machines (kubevirt.io/v1 VirtualMachine, VirtualMachineInstance) as workloads: each runs in one virt-launcher pod.
import type { Manifest } from '../../import/manifests';

const KINDS: ReadonlySet<string> = new Set(['VirtualMachine', 'VirtualMachineInstance']);

export const isKubevirtWorkload = (m: Manifest): boolean =>
  KINDS.has(m.kind) && m.apiVersion.startsWith('kubevirt.io/');

/** Where the pod-level metadata and spec are: a VirtualMachine's `spec.template`, a VirtualMachineInstance itself. */
export const kubevirtTemplatePath = (m: Manifest): string[] =>
  m.kind === 'VirtualMachine' ? ['spec', 'template'] : [];

/**
 * The labels of the virt-launcher pod that carries the VM on the pod network, which policies select: the
 * template's (VirtualMachine) or the instance's own labels, plus those KubeVirt sets on the pod
 * (kubevirt.io/user-guide "Network Policy": `kubevirt.io: virt-launcher`, `kubevirt.io/domain: <name>`, and
 * `vm.kubevirt.io/name: <vm>` for a VirtualMachine's instance).
 */
export const kubevirtPodLabels = (
  m: Manifest,
  name: string,
  labels: Record<string, string>,
): Record<string, string> => ({
  ...labels,
  'kubevirt.io': 'virt-launcher',
  'kubevirt.io/domain': name,
  ...(m.kind === 'VirtualMachine' ? { 'vm.kubevirt.io/name': name } : {}),
});
