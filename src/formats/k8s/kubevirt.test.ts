import { describe, expect, it } from 'vitest';
import { computeConnlist } from '../../analysis/connlist';
import { reach } from '../../analysis/reach';
import { importFiles } from '../../import/index';

// KubeVirt (kubevirt.io/user-guide, "Network Policy"): a VirtualMachine runs in a virt-launcher pod on the
// pod network, labelled with its template's labels and kubevirt.io=virt-launcher, kubevirt.io/domain and
// vm.kubevirt.io/name; NetworkPolicies select and admit it like any pod. A VirtualMachineInstance carries
// its labels itself.

const FILE = {
  name: 'vms.yaml',
  text: `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: { name: db, namespace: lab, labels: { kubevirt.io/vm: db } }
spec:
  runStrategy: Always
  template:
    metadata: { labels: { tier: data } }
    spec:
      domain: { devices: { interfaces: [{ name: default, masquerade: {} }] }, resources: { requests: { memory: 2G } } }
      networks: [{ name: default, pod: {} }]
---
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: { name: jump, namespace: lab, labels: { role: jump } }
spec:
  domain: { devices: { interfaces: [{ name: default, masquerade: {} }] } }
  networks: [{ name: default, pod: {} }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: app, namespace: lab }
spec:
  selector: { matchLabels: { app: app } }
  template:
    metadata: { labels: { app: app } }
    spec: { containers: [{ name: app, image: app }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-from-app, namespace: lab }
spec:
  podSelector: { matchLabels: { tier: data } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: app } } }], ports: [{ port: 5432 }] }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: vms-only-from-vms, namespace: lab }
spec:
  podSelector: { matchLabels: { kubevirt.io/domain: jump } }
  ingress: [{ from: [{ podSelector: { matchLabels: { kubevirt.io: virt-launcher } } }] }]
`,
};

describe('KubeVirt virtual machines as workloads', () => {
  const r = importFiles([FILE]);
  const w = r.workspace;

  it('reads a VirtualMachine and a VirtualMachineInstance as workloads, without a warning', () => {
    expect(r.report.files.flatMap((f) => f.diagnostics).filter((d) => d.severity !== 'info')).toEqual([]);
    const db = w.services.find((s) => s.id === 'k8s:lab/db');
    expect(db?.labels).toEqual({
      tier: 'data',
      'kubevirt.io': 'virt-launcher',
      'kubevirt.io/domain': 'db',
      'vm.kubevirt.io/name': 'db',
    });
    expect(db?.extra?.k8sKind).toBe('VirtualMachine');
    expect(w.services.find((s) => s.id === 'k8s:lab/jump')?.labels).toEqual({
      role: 'jump',
      'kubevirt.io': 'virt-launcher',
      'kubevirt.io/domain': 'jump',
    });
  });

  it('NetworkPolicies select a VM by its template labels and by the labels KubeVirt puts on its pod', () => {
    expect(reach(w, 'k8s:lab/app', 'k8s:lab/db', 5432).reachable).toBe(true);
    expect(reach(w, 'k8s:lab/app', 'k8s:lab/db', 22).reachable).toBe(false);
    expect(reach(w, 'k8s:lab/db', 'k8s:lab/jump', 22).reachable).toBe(true);
    expect(reach(w, 'k8s:lab/app', 'k8s:lab/jump', 22).levels.policy).toMatchObject({
      verdict: 'deny',
      rule: { id: 'k8s:lab/netpol/vms-only-from-vms' },
    });
    const lines = computeConnlist(w)
      .connections.filter((c) => !/^\d/.test(c.from) && !/^\d/.test(c.to))
      .map((c) => `${c.from} => ${c.to} : ${c.ports === 'all' ? 'all' : c.ports.join(',')}`);
    expect(lines).toEqual([
      'lab/app => lab/db : TCP 5432',
      'lab/db => lab/app : all',
      'lab/db => lab/jump : all',
      'lab/jump => lab/app : all',
    ]);
  });
});
