// Reader for Kubernetes manifests: workloads, Services, Ingress, ServiceAccounts, Namespaces, NetworkPolicies (+ Calico in the same file).
import ipaddr from 'ipaddr.js';
import {
  arr,
  flattenObjects,
  get,
  isRecord,
  loadManifests,
  type Manifest,
  meta,
  type Path,
  put,
  rec,
  str,
} from '../../import/manifests';
import { type ParsedFile, parseFile } from '../../import/parse';
import { diagnostic, pointer } from '../../import/text';
import { emptyFragment, type FileInput, type FormatReader, type ReadResult } from '../../import/types';
import { labelSelectorText, matchCalicoSelector, matchLabelSelector } from '../../model/selector';
import type {
  Call,
  Diagnostic,
  K8sNetworkPolicyRule,
  LabelSelector,
  LabelSelectorRequirement,
  PolicyPeer,
  PolicyPort,
  PolicyRuleEntry,
  Protocol,
  Segment,
  Service,
  ServicePort,
  SourceLocation,
  Workspace,
} from '../../model/types';
import {
  type CalicoContext,
  calicoEndpointLabels,
  calicoLabelSets,
  calicoNamespaceLabels,
  checkCalicoTiers,
  isCalicoApiVersion,
  isValidNet,
  type LabelSetSpec,
  readCalicoManifest,
} from '../calico/read';
import { guessKind } from '../compose/read';

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'Job',
  'CronJob',
]);

/** Kinds that exist in every cluster but say nothing about segmentation: read, reported as ignored. */
const IGNORED_KINDS = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ControllerRevision',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'Endpoints',
  'EndpointSlice',
  'Event',
  'HorizontalPodAutoscaler',
  'IngressClass',
  'Lease',
  'LimitRange',
  'MutatingWebhookConfiguration',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'PodDisruptionBudget',
  'PodTemplate',
  'PriorityClass',
  'ResourceQuota',
  'Role',
  'RoleBinding',
  'RuntimeClass',
  'Secret',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VerticalPodAutoscaler',
  'VolumeAttachment',
]);

/** Cloud annotations that make a LoadBalancer internal (not reachable from the internet). */
const INTERNAL_LB_ANNOTATIONS: [string, RegExp][] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', /^private$/i],
];

/** Default ports of URL schemes, for references like `http://cart` without a port. */
const SCHEME_PORTS: Record<string, number> = {
  http: 80,
  ws: 80,
  https: 443,
  wss: 443,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  redis: 6379,
  mongodb: 27017,
  amqp: 5672,
  nats: 4222,
  memcached: 11211,
};

const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

// Ids (conventions.md)
const nsNetworkId = (ns: string) => `network:k8s:ns:${ns}`;
const nsPolicyId = (ns: string) => `policy:k8s:ns:${ns}`;
const saRoleId = (ns: string, sa: string) => `role:k8s:sa:${ns}/${sa}`;
const clusterId = (name: string) => `account:k8s:cluster:${name}`;

// ---------------------------------------------------------------------------------------------
// Reading context

interface PodTemplate {
  labels: Record<string, string>;
  spec: Record<string, unknown>;
  /** Path of the pod spec inside the manifest. */
  specPath: Path;
}

interface WorkloadObject {
  m: Manifest;
  kind: string;
  name: string;
  namespace: string;
  template?: PodTemplate;
  owner?: { kind: string; name: string };
}

interface Group {
  /** The top controller: an object of the file, or inferred from owner references. */
  kind: string;
  name: string;
  namespace: string;
  top?: WorkloadObject;
  members: WorkloadObject[];
  service?: Service;
  serviceAccount: string;
}

interface K8sServiceObject {
  m: Manifest;
  name: string;
  namespace: string;
  type: string;
  selector?: Record<string, string>;
  ports: { port: number; targetPort: number | string; protocol: Protocol; name?: string }[];
  targets: Group[];
  externalName?: string;
}

class Reader {
  readonly fragment = emptyFragment();
  readonly diagnostics: Diagnostic[];
  readonly calico: CalicoContext;
  private readonly namespaces = new Map<string, { labels: Record<string, string>; m?: Manifest }>();
  private readonly serviceAccounts = new Map<string, Manifest>();
  private readonly configMaps = new Map<string, Manifest>();
  private readonly workloads: WorkloadObject[] = [];
  private readonly workloadKeys = new Set<string>();
  private readonly groups = new Map<string, Group>();
  private readonly k8sServices = new Map<string, K8sServiceObject>();
  private readonly policies: { rule: K8sNetworkPolicyRule; m: Manifest }[] = [];
  private readonly ingresses: Manifest[] = [];
  private clusterName?: string;
  private readonly callKeys = new Set<string>();

  constructor(
    private readonly file: FileInput,
    private readonly manifests: Manifest[],
    diagnostics: Diagnostic[],
  ) {
    this.diagnostics = diagnostics;
    this.calico = { file: file.name, rules: this.fragment.rules, diagnostics };
  }

  private diag(m: Manifest, sub: Path, message: string, severity: Diagnostic['severity'] = 'error') {
    this.diagnostics.push(diagnostic(this.file.name, m.at(sub), message, severity, pointer([...m.path, ...sub])));
  }

  private ns(namespace: string): void {
    if (!this.namespaces.has(namespace)) this.namespaces.set(namespace, { labels: {} });
  }

  /** Label maps must be string → string; YAML numbers and booleans are coerced with a warning. */
  private labels(m: Manifest, sub: Path, value: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (value === undefined || value === null) return out;
    if (!isRecord(value)) {
      this.diag(m, sub, `labels must be a map of strings`);
      return out;
    }
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') put(out, k, v);
      else if (typeof v === 'number' || typeof v === 'boolean') {
        put(out, k, String(v));
        this.diag(
          m,
          [...sub, k],
          `label ${k}: ${String(v)} is not a string; Kubernetes requires quoting it ("${String(v)}")`,
          'warn',
        );
      } else this.diag(m, [...sub, k], `label ${k} must be a string; ignored`, 'warn');
    }
    return out;
  }

  read(): void {
    for (const m of this.manifests) {
      const cn = str(get(m.value, 'metadata', 'clusterName'));
      if (cn && !this.clusterName) this.clusterName = cn;
      if (isCalicoApiVersion(m.apiVersion)) {
        readCalicoManifest(m, this.calico);
        if (m.kind === 'NetworkPolicy' || m.kind === 'NetworkSet') this.ns(meta(m).namespace ?? 'default');
        continue;
      }
      this.collect(m);
    }
    checkCalicoTiers(this.calico);
    this.groupWorkloads();
    this.buildServices();
    this.readK8sServices();
    this.readIngresses();
    this.readPolicies();
    this.buildSegmentsAndMemberships();
    this.buildCalls();
  }

  // -------------------------------------------------------------------------------------------
  // Pass 1: collect objects by kind

  private collect(m: Manifest): void {
    const { name } = meta(m);
    if (IGNORED_KINDS.has(m.kind)) {
      this.diag(m, [], `${m.kind}${name ? ` ${name}` : ''} is not used for segmentation; ignored`, 'info');
      return;
    }
    const handled =
      WORKLOAD_KINDS.has(m.kind) ||
      ['Namespace', 'Service', 'ServiceAccount', 'NetworkPolicy', 'Ingress', 'ConfigMap', 'Route'].includes(m.kind);
    if (!handled || (m.kind === 'Route' && !m.apiVersion.startsWith('route.openshift.io/'))) {
      this.diag(m, ['kind'], `unknown kind "${m.kind}"${m.apiVersion ? ` (${m.apiVersion})` : ''}; skipped`, 'warn');
      return;
    }
    if (!name) {
      this.diag(m, ['metadata'], `${m.kind} without metadata.name; skipped`);
      return;
    }
    const namespace = meta(m).namespace ?? 'default';
    if (m.kind === 'Namespace') {
      const labels = this.labels(m, ['metadata', 'labels'], get(m.value, 'metadata', 'labels'));
      const prev = this.namespaces.get(name);
      if (prev?.m) {
        this.diag(m, ['metadata', 'name'], `duplicate Namespace ${name}; the later one is skipped`, 'warn');
        return;
      }
      this.namespaces.set(name, { labels, m });
      return;
    }
    this.ns(namespace);
    switch (m.kind) {
      case 'ServiceAccount':
        if (this.serviceAccounts.has(`${namespace}/${name}`)) {
          this.diag(
            m,
            ['metadata', 'name'],
            `duplicate ServiceAccount ${namespace}/${name}; the later one is skipped`,
            'warn',
          );
        } else this.serviceAccounts.set(`${namespace}/${name}`, m);
        return;
      case 'ConfigMap':
        this.configMaps.set(`${namespace}/${name}`, m);
        this.diag(m, [], `ConfigMap ${namespace}/${name}: only read for environment values that name services`, 'info');
        return;
      case 'Service':
        this.collectService(m, name, namespace);
        return;
      case 'NetworkPolicy': {
        const rule = this.readNetworkPolicy(m, name, namespace);
        if (rule) this.policies.push({ rule, m });
        return;
      }
      case 'Ingress':
      case 'Route':
        this.ingresses.push(m);
        return;
      default:
        this.collectWorkload(m, name, namespace);
    }
  }

  private collectWorkload(m: Manifest, name: string, namespace: string): void {
    const key = `${namespace}/${m.kind}/${name}`;
    if (this.workloadKeys.has(key)) {
      this.diag(m, ['metadata', 'name'], `duplicate ${m.kind} ${namespace}/${name}; the later one is skipped`, 'warn');
      return;
    }
    this.workloadKeys.add(key);
    const templatePath: Path =
      m.kind === 'Pod' ? [] : m.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
    const tpl = templatePath.length === 0 ? m.value : get(m.value, ...templatePath);
    let template: PodTemplate | undefined;
    if (isRecord(tpl) && (m.kind === 'Pod' || isRecord(tpl.spec) || isRecord(tpl.metadata))) {
      template = {
        labels: this.labels(m, [...templatePath, 'metadata', 'labels'], get(tpl, 'metadata', 'labels')),
        spec: rec(tpl.spec) ?? {},
        specPath: [...templatePath, 'spec'],
      };
    } else if (m.kind !== 'Pod' || tpl === undefined) {
      this.diag(
        m,
        ['spec'],
        `${m.kind} ${namespace}/${name} has no pod template; read without labels or ports`,
        'warn',
      );
    }
    const refs = arr(get(m.value, 'metadata', 'ownerReferences'))?.filter(isRecord) ?? [];
    const ref = refs.find((r) => r.controller === true) ?? refs[0];
    const owner =
      ref && typeof ref.kind === 'string' && typeof ref.name === 'string'
        ? { kind: ref.kind, name: ref.name }
        : undefined;
    this.workloads.push({
      m,
      kind: m.kind,
      name,
      namespace,
      ...(template ? { template } : {}),
      ...(owner ? { owner } : {}),
    });
  }

  private collectService(m: Manifest, name: string, namespace: string): void {
    const key = `${namespace}/${name}`;
    if (this.k8sServices.has(key)) {
      this.diag(m, ['metadata', 'name'], `duplicate Service ${key}; the later one is skipped`, 'warn');
      return;
    }
    const spec = rec(m.value.spec) ?? {};
    const type = str(spec.type) ?? 'ClusterIP';
    const rawSel = rec(spec.selector);
    const selector =
      rawSel && Object.keys(rawSel).length > 0 ? this.labels(m, ['spec', 'selector'], rawSel) : undefined;
    const ports: K8sServiceObject['ports'] = [];
    (arr(spec.ports) ?? []).forEach((p, i) => {
      const port = get(p, 'port');
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        this.diag(
          m,
          ['spec', 'ports', i, 'port'],
          `Service ${key}: port ${JSON.stringify(port)} is not a port number; skipped`,
        );
        return;
      }
      const tp = get(p, 'targetPort');
      const targetPort =
        typeof tp === 'number' ? tp : typeof tp === 'string' && tp !== '' ? (/^\d+$/.test(tp) ? Number(tp) : tp) : port;
      const proto = str(get(p, 'protocol')) ?? 'TCP';
      const pname = str(get(p, 'name'));
      ports.push({
        port,
        targetPort,
        protocol: PROTOCOLS.includes(proto as Protocol) ? (proto as Protocol) : 'TCP',
        ...(pname ? { name: pname } : {}),
      });
    });
    const externalName = type === 'ExternalName' ? str(spec.externalName) : undefined;
    this.k8sServices.set(key, {
      m,
      name,
      namespace,
      type,
      ...(selector ? { selector } : {}),
      ports,
      targets: [],
      ...(externalName ? { externalName } : {}),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Pass 2: workloads → groups (pods under their owner) → services

  private groupWorkloads(): void {
    const byKey = new Map(this.workloads.map((w) => [`${w.namespace}/${w.kind}/${w.name}`, w]));
    const topOf = (w: WorkloadObject): { kind: string; name: string } => {
      let cur: { kind: string; name: string; obj?: WorkloadObject } = { kind: w.kind, name: w.name, obj: w };
      for (let hops = 0; hops < 10 && cur.obj?.owner; hops++) {
        const o = cur.obj.owner;
        const found = byKey.get(`${w.namespace}/${o.kind}/${o.name}`);
        if (found) {
          cur = { kind: found.kind, name: found.name, obj: found };
          continue;
        }
        // A ReplicaSet that is not in the file: its Deployment is its name minus the pod-template-hash.
        const hash =
          cur.obj.template?.labels['pod-template-hash'] ??
          str(get(cur.obj.m.value, 'metadata', 'labels', 'pod-template-hash'));
        if (o.kind === 'ReplicaSet' && hash && o.name.endsWith(`-${hash}`)) {
          const dep = o.name.slice(0, -hash.length - 1);
          const depObj = byKey.get(`${w.namespace}/Deployment/${dep}`);
          return depObj ? topOf(depObj) : { kind: 'Deployment', name: dep };
        }
        // A Job that is not in the file, named `<cronjob>-<schedule time>`: its CronJob, when that is.
        const cron = o.kind === 'Job' ? /^(.+)-\d+$/.exec(o.name)?.[1] : undefined;
        const cronObj = cron ? byKey.get(`${w.namespace}/CronJob/${cron}`) : undefined;
        if (cronObj) return { kind: cronObj.kind, name: cronObj.name };
        return { kind: o.kind, name: o.name };
      }
      return { kind: cur.kind, name: cur.name };
    };
    for (const w of this.workloads) {
      const top = topOf(w);
      const key = `${w.namespace}/${top.kind}/${top.name}`;
      let g = this.groups.get(key);
      if (!g) {
        g = { kind: top.kind, name: top.name, namespace: w.namespace, members: [], serviceAccount: 'default' };
        this.groups.set(key, g);
      }
      g.members.push(w);
      if (w.kind === top.kind && w.name === top.name) g.top = w;
    }
  }

  /** The pod template a group's service is described by: its top controller's, else its first member's. */
  private templateOf(g: Group): { w: WorkloadObject; t: PodTemplate } | undefined {
    for (const w of [g.top, ...g.members]) if (w?.template) return { w, t: w.template };
    return undefined;
  }

  private buildServices(): void {
    const usedIds = new Map<string, Group>();
    for (const g of this.groups.values()) {
      const tt = this.templateOf(g);
      const labels = { ...(tt?.t.labels ?? {}) };
      // The hash differs per ReplicaSet revision; keeping it would split one workload's identity.
      if (g.top?.kind !== 'Pod') delete labels['pod-template-hash'];
      const spec = tt?.t.spec ?? {};
      const containers = (arr(spec.containers) ?? []).filter(isRecord);
      const ports: ServicePort[] = [];
      for (const c of containers) {
        for (const p of (arr(c.ports) ?? []).filter(isRecord)) {
          const port = p.containerPort;
          if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) continue;
          const proto = str(p.protocol) ?? 'TCP';
          const name = str(p.name);
          if (ports.some((x) => x.port === port && (x.protocol ?? 'TCP') === proto)) continue;
          ports.push({
            port,
            protocol: PROTOCOLS.includes(proto as Protocol) ? (proto as Protocol) : 'TCP',
            ...(name ? { name } : {}),
            ...(typeof p.hostPort === 'number' ? { published: true } : {}),
          });
        }
      }
      const sa = str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default';
      g.serviceAccount = sa;
      if (tt && sa !== 'default' && !this.serviceAccounts.has(`${g.namespace}/${sa}`)) {
        const sub = [...tt.t.specPath, spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount'];
        this.diag(
          tt.w.m,
          sub,
          `${g.kind} ${g.namespace}/${g.name} runs as ServiceAccount "${sa}", which is not in this file`,
          'warn',
        );
      }
      let id = `k8s:${g.namespace}/${g.name}`;
      const clash = usedIds.get(id);
      if (clash) {
        id = `k8s:${g.namespace}/${g.kind.toLowerCase()}/${g.name}`;
        const m = g.top?.m ?? g.members[0]?.m;
        if (m) {
          this.diag(
            m,
            ['metadata', 'name'],
            `${clash.kind} and ${g.kind} are both named "${g.name}" in namespace ${g.namespace}; the ${g.kind} is imported as ${id}`,
            'warn',
          );
        }
      }
      usedIds.set(id, g);
      const image = str(containers[0]?.image);
      const addresses = new Set<string>();
      for (const w of g.members) {
        if (w.kind !== 'Pod') continue;
        const ip = str(get(w.m.value, 'status', 'podIP'));
        if (ip) addresses.add(ip);
        for (const x of arr(get(w.m.value, 'status', 'podIPs')) ?? []) {
          const a = str(get(x, 'ip'));
          if (a) addresses.add(a);
        }
      }
      let replicas: number | undefined;
      const topSpec = g.top ? rec(g.top.m.value.spec) : undefined;
      if (g.top && ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(g.top.kind)) {
        replicas = typeof topSpec?.replicas === 'number' ? topSpec.replicas : 1;
      } else if (!g.top || g.top.kind === 'Pod') {
        replicas = g.members.filter((w) => w.kind === 'Pod').length || undefined;
      }
      const sources: SourceLocation[] = [];
      for (const w of g.top ? [g.top, ...g.members.filter((x) => x !== g.top)] : g.members) sources.push(w.m.source());
      const service: Service = {
        id,
        name: g.name,
        kind: guessKind(g.name, image, false),
        namespace: g.namespace,
        labels,
        ...(ports.length > 0 ? { ports } : {}),
        ...(addresses.size > 0 ? { addresses: [...addresses] } : {}),
        ...(replicas !== undefined ? { replicas } : {}),
        ...(spec.hostNetwork === true ? { hostNetwork: true } : {}),
        memberships: {},
        source: sources,
        extra: { k8sKind: g.kind },
      };
      g.service = service;
      this.fragment.services.push(service);
    }
  }

  private groupsIn(namespace: string): Group[] {
    return [...this.groups.values()].filter((g) => g.namespace === namespace && g.service);
  }

  // -------------------------------------------------------------------------------------------
  // Pass 3: Services (selection, aliases, exposure) and Ingress

  private readK8sServices(): void {
    for (const s of this.k8sServices.values()) {
      if (s.externalName) {
        // An ExternalName Service is a DNS alias for something outside the cluster: an external service.
        const service: Service = {
          id: `k8s:${s.namespace}/${s.name}`,
          name: s.name,
          kind: 'external',
          namespace: s.namespace,
          memberships: {},
          source: [s.m.source()],
          extra: { k8sKind: 'Service', externalName: s.externalName },
        };
        if (this.fragment.services.some((x) => x.id === service.id)) {
          this.diag(
            s.m,
            ['metadata', 'name'],
            `ExternalName Service ${s.namespace}/${s.name} has the name of a workload; not imported as an external service`,
            'warn',
          );
        } else {
          this.fragment.services.push(service);
          const g: Group = {
            kind: 'Service',
            name: s.name,
            namespace: s.namespace,
            members: [],
            service,
            serviceAccount: '',
          };
          s.targets.push(g);
        }
        continue;
      }
      if (!s.selector) {
        this.diag(
          s.m,
          ['spec'],
          `Service ${s.namespace}/${s.name} has no selector; its endpoints are managed outside the manifests and not modelled`,
          'info',
        );
        continue;
      }
      const sel = s.selector;
      s.targets = this.groupsIn(s.namespace).filter((g) =>
        matchLabelSelector({ matchLabels: sel }, g.service?.labels ?? {}),
      );
      if (s.targets.length === 0) {
        const text = Object.entries(sel)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        this.diag(
          s.m,
          ['spec', 'selector'],
          `Service ${s.namespace}/${s.name} selects no workload in this file (selector ${text})`,
          'warn',
        );
        continue;
      }
      const internal = INTERNAL_LB_ANNOTATIONS.some(([k, re]) => {
        const v = get(s.m.value, 'metadata', 'annotations', k);
        return typeof v === 'string' && re.test(v);
      });
      const exposed =
        (s.type === 'LoadBalancer' && !internal) ||
        s.type === 'NodePort' ||
        (arr(get(s.m.value, 'spec', 'externalIPs'))?.length ?? 0) > 0;
      for (const g of s.targets) {
        const svc = g.service as Service;
        if (s.name !== svc.name) {
          svc.extra = svc.extra ?? {};
          const extra = svc.extra;
          const aliases = (extra.aliases as string[] | undefined) ?? [];
          if (!aliases.includes(s.name)) aliases.push(s.name);
          extra.aliases = aliases;
        }
        if (exposed) {
          svc.exposed = true;
          for (const sp of s.ports) {
            const target = this.resolveTargetPort(svc, sp.targetPort, sp.protocol);
            const cp = svc.ports?.find((p) => p.port === target && (p.protocol ?? 'TCP') === sp.protocol);
            if (cp) cp.published = true;
          }
        }
      }
    }
  }

  private resolveTargetPort(svc: Service, target: number | string, protocol: Protocol): number | undefined {
    if (typeof target === 'number') return target;
    return svc.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol)?.port;
  }

  private readIngresses(): void {
    for (const m of this.ingresses) {
      const { name } = meta(m);
      const namespace = meta(m).namespace ?? 'default';
      const backends: { service: string; sub: Path }[] = [];
      const spec = rec(m.value.spec) ?? {};
      if (m.kind === 'Route') {
        const to = str(get(spec, 'to', 'name'));
        if (to) backends.push({ service: to, sub: ['spec', 'to', 'name'] });
        (arr(spec.alternateBackends) ?? []).forEach((b, i) => {
          const n = str(get(b, 'name'));
          if (n) backends.push({ service: n, sub: ['spec', 'alternateBackends', i, 'name'] });
        });
      } else {
        const backendAt = (b: unknown, sub: Path) => {
          const v1 = str(get(b, 'service', 'name'));
          if (v1) backends.push({ service: v1, sub: [...sub, 'service', 'name'] });
          const beta = str(get(b, 'serviceName'));
          if (beta) backends.push({ service: beta, sub: [...sub, 'serviceName'] });
        };
        backendAt(spec.defaultBackend, ['spec', 'defaultBackend']);
        backendAt(spec.backend, ['spec', 'backend']);
        (arr(spec.rules) ?? []).forEach((r, i) => {
          (arr(get(r, 'http', 'paths')) ?? []).forEach((p, j) => {
            backendAt(get(p, 'backend'), ['spec', 'rules', i, 'http', 'paths', j, 'backend']);
          });
        });
      }
      if (backends.length === 0) {
        this.diag(m, ['spec'], `${m.kind} ${namespace}/${name} routes to no Service`, 'warn');
      }
      for (const b of backends) {
        const s = this.k8sServices.get(`${namespace}/${b.service}`);
        if (!s) {
          this.diag(
            m,
            b.sub,
            `${m.kind} ${namespace}/${name} routes to Service "${b.service}", which is not in this file`,
            'warn',
          );
          continue;
        }
        for (const g of s.targets) if (g.service && g.service.kind !== 'external') g.service.exposed = true;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // NetworkPolicy → rule, kept in the API's own terms

  private readLabelSelector(m: Manifest, sub: Path, value: unknown, errors: { n: number }): LabelSelector | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) {
      this.diag(m, sub, `a label selector must be a map`);
      errors.n++;
      return undefined;
    }
    const out: LabelSelector = {};
    if (value.matchLabels !== undefined && value.matchLabels !== null) {
      const ml = this.labels(m, [...sub, 'matchLabels'], value.matchLabels);
      if (!isRecord(value.matchLabels)) errors.n++;
      if (Object.keys(ml).length > 0) out.matchLabels = ml;
    }
    if (value.matchExpressions !== undefined && value.matchExpressions !== null) {
      const list = arr(value.matchExpressions);
      if (!list) {
        this.diag(m, [...sub, 'matchExpressions'], `matchExpressions must be a list`);
        errors.n++;
      } else {
        const exprs: LabelSelectorRequirement[] = [];
        list.forEach((e, i) => {
          const at: Path = [...sub, 'matchExpressions', i];
          const key = str(get(e, 'key'));
          const op = get(e, 'operator');
          const values = arr(get(e, 'values'));
          if (!key) {
            this.diag(m, at, `matchExpressions[${i}] has no key`);
            errors.n++;
            return;
          }
          if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
            this.diag(
              m,
              [...at, 'operator'],
              `operator ${JSON.stringify(op)} is not In, NotIn, Exists or DoesNotExist`,
            );
            errors.n++;
            return;
          }
          const strs = (values ?? []).map((v) =>
            typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined,
          );
          if (strs.some((v) => v === undefined)) {
            this.diag(m, [...at, 'values'], `values must be strings`);
            errors.n++;
            return;
          }
          if ((op === 'In' || op === 'NotIn') && strs.length === 0) {
            this.diag(m, [...at, 'values'], `operator ${op} needs at least one value`);
            errors.n++;
            return;
          }
          if ((op === 'Exists' || op === 'DoesNotExist') && strs.length > 0) {
            this.diag(m, [...at, 'values'], `operator ${op} takes no values`);
            errors.n++;
            return;
          }
          exprs.push({ key, operator: op, ...(op === 'In' || op === 'NotIn' ? { values: strs as string[] } : {}) });
        });
        if (exprs.length > 0) out.matchExpressions = exprs;
      }
    }
    return out;
  }

  private readPolicyPorts(m: Manifest, sub: Path, value: unknown, errors: { n: number }): PolicyPort[] | undefined {
    if (value === undefined || value === null) return undefined;
    const list = arr(value);
    if (!list) {
      this.diag(m, sub, `ports must be a list`);
      errors.n++;
      return undefined;
    }
    const out: PolicyPort[] = [];
    list.forEach((raw, i) => {
      const at: Path = [...sub, i];
      if (!isRecord(raw)) {
        this.diag(m, at, `a port entry must be a map`);
        errors.n++;
        return;
      }
      const proto = raw.protocol ?? 'TCP';
      if (!PROTOCOLS.includes(proto as Protocol)) {
        this.diag(m, [...at, 'protocol'], `protocol ${JSON.stringify(proto)} is not TCP, UDP or SCTP`);
        errors.n++;
        return;
      }
      const p: PolicyPort = { protocol: proto as Protocol };
      let port = raw.port;
      if (typeof port === 'string' && /^\d+$/.test(port)) {
        this.diag(m, [...at, 'port'], `port "${port}" is a string; read as the number ${port}`, 'warn');
        port = Number(port);
      }
      if (port !== undefined && port !== null) {
        if (typeof port === 'number') {
          if (!Number.isInteger(port) || port < 1 || port > 65535) {
            this.diag(m, [...at, 'port'], `port ${port} is not between 1 and 65535`);
            errors.n++;
            return;
          }
        } else if (
          typeof port !== 'string' ||
          !/^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(port) ||
          port.length > 15
        ) {
          this.diag(m, [...at, 'port'], `port ${JSON.stringify(port)} is neither a number nor a valid port name`);
          errors.n++;
          return;
        }
        p.port = port;
      }
      if (raw.endPort !== undefined && raw.endPort !== null) {
        const end = raw.endPort;
        if (typeof p.port !== 'number') {
          this.diag(m, [...at, 'endPort'], `endPort needs a numeric port`);
          errors.n++;
          return;
        }
        if (typeof end !== 'number' || !Number.isInteger(end) || end < p.port || end > 65535) {
          this.diag(m, [...at, 'endPort'], `endPort ${JSON.stringify(end)} must be a port number ≥ port ${p.port}`);
          errors.n++;
          return;
        }
        p.endPort = end;
      }
      out.push(p);
    });
    return out;
  }

  private readPeers(m: Manifest, sub: Path, value: unknown, errors: { n: number }): PolicyPeer[] | undefined {
    if (value === undefined || value === null) return undefined;
    const list = arr(value);
    if (!list) {
      this.diag(m, sub, `peers must be a list`);
      errors.n++;
      return undefined;
    }
    const out: PolicyPeer[] = [];
    list.forEach((raw, i) => {
      const at: Path = [...sub, i];
      if (!isRecord(raw)) {
        this.diag(m, at, `a peer must be a map`);
        errors.n++;
        return;
      }
      const peer: PolicyPeer = {};
      const pod = this.readLabelSelector(m, [...at, 'podSelector'], raw.podSelector, errors);
      if (pod) peer.podSelector = pod;
      const ns = this.readLabelSelector(m, [...at, 'namespaceSelector'], raw.namespaceSelector, errors);
      if (ns) peer.namespaceSelector = ns;
      if (raw.ipBlock !== undefined && raw.ipBlock !== null) {
        const cidr = str(get(raw.ipBlock, 'cidr'));
        if (!cidr || !isValidNet(cidr, false)) {
          this.diag(
            m,
            [...at, 'ipBlock', 'cidr'],
            `ipBlock.cidr ${JSON.stringify(get(raw.ipBlock, 'cidr'))} is not a CIDR`,
          );
          errors.n++;
          return;
        }
        const except: string[] = [];
        (arr(get(raw.ipBlock, 'except')) ?? []).forEach((e, j) => {
          if (typeof e !== 'string' || !isValidNet(e, false) || !cidrInside(e, cidr)) {
            this.diag(
              m,
              [...at, 'ipBlock', 'except', j],
              `ipBlock.except ${JSON.stringify(e)} is not a CIDR inside ${cidr}`,
            );
            errors.n++;
            return;
          }
          except.push(e);
        });
        peer.ipBlock = { cidr, ...(except.length > 0 ? { except } : {}) };
        if (pod || ns) {
          this.diag(m, at, `a peer with ipBlock cannot also have podSelector or namespaceSelector`);
          errors.n++;
          return;
        }
      }
      if (!peer.podSelector && !peer.namespaceSelector && !peer.ipBlock) {
        this.diag(m, at, `a peer needs podSelector, namespaceSelector or ipBlock`);
        errors.n++;
        return;
      }
      out.push(peer);
    });
    return out;
  }

  private readNetworkPolicy(m: Manifest, name: string, namespace: string): K8sNetworkPolicyRule | undefined {
    const errors = { n: 0 };
    const spec = rec(m.value.spec);
    if (!spec) {
      this.diag(
        m,
        [],
        `NetworkPolicy ${namespace}/${name} has no spec: it selects every pod of namespace ${namespace} and denies their ingress`,
        'warn',
      );
    }
    const podSelector = this.readLabelSelector(m, ['spec', 'podSelector'], spec?.podSelector, errors) ?? {};
    const entries = (dir: 'ingress' | 'egress'): PolicyRuleEntry[] | undefined => {
      const v = spec?.[dir];
      if (v === undefined || v === null) return undefined;
      const list = arr(v);
      if (!list) {
        this.diag(m, ['spec', dir], `${dir} must be a list`);
        errors.n++;
        return undefined;
      }
      const peersKey = dir === 'ingress' ? 'from' : 'to';
      return list.map((raw, i) => {
        const e: PolicyRuleEntry = {};
        if (raw !== null && !isRecord(raw)) {
          this.diag(m, ['spec', dir, i], `${dir} rule ${i + 1} must be a map`);
          errors.n++;
          return e;
        }
        const peers = this.readPeers(m, ['spec', dir, i, peersKey], get(raw, peersKey), errors);
        // An empty `from`/`to` means all peers, exactly like an absent one.
        if (peers && peers.length > 0) e.peers = peers;
        const ports = this.readPolicyPorts(m, ['spec', dir, i, 'ports'], get(raw, 'ports'), errors);
        if (ports && ports.length > 0) e.ports = ports;
        return e;
      });
    };
    const ingress = entries('ingress');
    const egress = entries('egress');
    let policyTypes: ('Ingress' | 'Egress')[] = [];
    const rawTypes = arr(spec?.policyTypes);
    if (spec?.policyTypes !== undefined && spec.policyTypes !== null && !rawTypes) {
      this.diag(m, ['spec', 'policyTypes'], `policyTypes must be a list`);
      errors.n++;
    }
    (rawTypes ?? []).forEach((t, i) => {
      if (t === 'Ingress' || t === 'Egress') {
        if (!policyTypes.includes(t)) policyTypes.push(t);
      } else {
        this.diag(m, ['spec', 'policyTypes', i], `policyType ${JSON.stringify(t)} is not Ingress or Egress`);
        errors.n++;
      }
    });
    // The API server's defaulting: Ingress always, Egress when there are egress rules.
    if (policyTypes.length === 0) policyTypes = (egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
    if (errors.n > 0) {
      this.diag(
        m,
        [],
        `NetworkPolicy ${namespace}/${name} skipped because of the errors above (the API server would reject it)`,
      );
      return undefined;
    }
    return {
      id: `k8s:${namespace}/netpol/${name}`,
      type: 'k8s-network-policy',
      level: 'policy',
      name,
      namespace,
      podSelector,
      policyTypes,
      ...(ingress ? { ingress } : {}),
      ...(egress ? { egress } : {}),
      source: m.source(),
    };
  }

  private readPolicies(): void {
    const seen = new Set<string>();
    for (const { rule, m } of this.policies) {
      if (seen.has(rule.id)) {
        this.diag(
          m,
          ['metadata', 'name'],
          `duplicate NetworkPolicy ${rule.namespace}/${rule.name}; the later one is skipped`,
          'warn',
        );
        continue;
      }
      seen.add(rule.id);
      this.fragment.rules.push(rule);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Segments and memberships

  private buildSegmentsAndMemberships(): void {
    const segs = this.fragment.segments;
    const cluster = this.clusterName;
    if (cluster) {
      segs.push({ id: clusterId(cluster), level: 'account', name: cluster, attributes: { kind: 'cluster' } });
    }
    const nsIds = new Set<string>();
    // Namespaces and service accounts only referenced (not declared) here are stubs, as in the AWS
    // readers: a declared one of the same id from another file should win when merged.
    for (const [ns, info] of [...this.namespaces.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const src = info.m ? [info.m.source()] : undefined;
      const stub = info.m ? {} : { stub: true };
      segs.push({
        id: nsNetworkId(ns),
        level: 'network',
        name: ns,
        ...(cluster ? { parent: clusterId(cluster) } : {}),
        attributes: { kind: 'namespace-network', namespace: ns, ...stub },
        ...(src ? { source: src } : {}),
      });
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(info.labels)) put(labels, k, v);
      // The API server sets this label on every namespace (1.21+); namespaceSelectors rely on it.
      labels['kubernetes.io/metadata.name'] = ns;
      segs.push({
        id: nsPolicyId(ns),
        level: 'policy',
        name: ns,
        labels,
        attributes: { kind: 'namespace', namespace: ns, ...stub },
        ...(src ? { source: src } : {}),
      });
      nsIds.add(nsPolicyId(ns));
    }
    // Role level: every declared ServiceAccount, and the ones workloads run as.
    const roles = new Map<string, Segment>();
    const role = (ns: string, sa: string, m?: Manifest) => {
      const id = saRoleId(ns, sa);
      if (!roles.has(id)) {
        const saLabels = m ? this.labels(m, ['metadata', 'labels'], get(m.value, 'metadata', 'labels')) : undefined;
        roles.set(id, {
          id,
          level: 'role',
          name: `${ns}/${sa}`,
          attributes: { kind: 'service-account', namespace: ns, ...(m ? {} : { stub: true }) },
          ...(m ? { source: [m.source()] } : {}),
          // Calico's serviceAccounts selector matches the account's own labels.
          ...(saLabels && Object.keys(saLabels).length > 0 ? { labels: saLabels } : {}),
        });
      }
      return id;
    };
    for (const [key, m] of this.serviceAccounts) {
      const [ns, sa] = key.split('/') as [string, string];
      role(ns, sa, m);
    }
    // Policy level: one label set per distinct podSelector of the namespace's NetworkPolicies.
    const k8sSets = new Map<
      string,
      { segment: Segment; selector: LabelSelector; namespace: string; policies: string[] }
    >();
    for (const r of this.fragment.rules) {
      if (r.type !== 'k8s-network-policy') continue;
      const text = labelSelectorText(r.podSelector);
      if (text === '') continue; // `{}`: the whole namespace, which its segment already is
      const id = `${nsPolicyId(r.namespace)}:sel:${text}`;
      const prev = k8sSets.get(id);
      if (prev) {
        prev.policies.push(r.name);
        continue;
      }
      const policies = [r.name];
      k8sSets.set(id, {
        selector: r.podSelector,
        namespace: r.namespace,
        policies,
        segment: {
          id,
          level: 'policy',
          name: text,
          parent: nsPolicyId(r.namespace),
          attributes: { kind: 'label-set', namespace: r.namespace, selector: r.podSelector, policies },
          ...(r.source ? { source: [r.source] } : {}),
        },
      });
    }
    const calicoSets: LabelSetSpec[] = calicoLabelSets(this.fragment.rules, this.file.name, nsIds);
    const nsLabelsById = new Map(segs.filter((x) => x.level === 'policy').map((x) => [x.id, x.labels ?? {}]));
    for (const g of this.groups.values()) {
      const svc = g.service;
      if (!svc) continue;
      const ns = g.namespace;
      const labels = svc.labels ?? {};
      if (cluster) svc.memberships.account = [clusterId(cluster)];
      if (g.top || g.members.length > 0) svc.memberships.role = [role(ns, g.serviceAccount)];
      svc.memberships.network = [nsNetworkId(ns)];
      const sets: string[] = [];
      for (const s of k8sSets.values())
        if (s.namespace === ns && matchLabelSelector(s.selector, labels)) sets.push(s.segment.id);
      const nsLabels = nsLabelsById.get(nsPolicyId(ns)) ?? {};
      for (const s of calicoSets) {
        if (s.matches({ labels, namespace: ns, namespaceLabels: nsLabels, serviceAccount: g.serviceAccount }))
          sets.push(s.segment.id);
      }
      svc.memberships.policy = sets.length > 0 ? sets : [nsPolicyId(ns)];
    }
    segs.push(...roles.values());
    segs.push(...[...k8sSets.values()].map((s) => s.segment));
    segs.push(...calicoSets.map((s) => s.segment));
  }

  // -------------------------------------------------------------------------------------------
  // Calls: env values, args and commands that name a Service (or workload)

  private buildCalls(): void {
    for (const g of this.groups.values()) {
      const tt = this.templateOf(g);
      if (!g.service || !tt) continue;
      const spec = tt.t.spec;
      for (const list of ['initContainers', 'containers'] as const) {
        (arr(spec[list]) ?? []).forEach((c, ci) => {
          if (!isRecord(c)) return;
          const base: Path = [...tt.t.specPath, list, ci];
          (arr(c.env) ?? []).forEach((e, ei) => {
            const value = get(e, 'value');
            if (typeof value === 'string') this.scan(g, value, tt.w.m, [...base, 'env', ei, 'value']);
            const cmRef = get(e, 'valueFrom', 'configMapKeyRef');
            const cmName = str(get(cmRef, 'name'));
            const cmKey = str(get(cmRef, 'key'));
            if (cmName && cmKey) {
              const cm = this.configMaps.get(`${g.namespace}/${cmName}`);
              const v = cm ? get(cm.value, 'data', cmKey) : undefined;
              if (cm && typeof v === 'string') this.scan(g, v, cm, ['data', cmKey]);
            }
          });
          (arr(c.envFrom) ?? []).forEach((e) => {
            const cmName = str(get(e, 'configMapRef', 'name'));
            const cm = cmName ? this.configMaps.get(`${g.namespace}/${cmName}`) : undefined;
            const data = cm ? rec(cm.value.data) : undefined;
            if (!cm || !data) return;
            for (const [k, v] of Object.entries(data)) if (typeof v === 'string') this.scan(g, v, cm, ['data', k]);
          });
          for (const key of ['command', 'args'] as const) {
            (arr(c[key]) ?? []).forEach((a, ai) => {
              if (typeof a === 'string') this.scan(g, a, tt.w.m, [...base, key, ai]);
            });
          }
        });
      }
    }
  }

  /** Find service references in one string and add a call for each. */
  private scan(g: Group, text: string, m: Manifest, sub: Path): void {
    const from = g.service as Service;
    for (const ref of findHostRefs(text)) {
      for (const target of this.resolveHost(ref.host, g.namespace)) {
        const to = target.group.service;
        if (!to || to.id === from.id) continue;
        let port: number | undefined;
        let protocol: Protocol | undefined;
        const wanted = ref.port ?? (ref.scheme ? SCHEME_PORTS[ref.scheme] : undefined);
        const s = target.k8sService;
        if (s && to.kind !== 'external') {
          const sp =
            wanted !== undefined
              ? s.ports.find((p) => p.port === wanted)
              : s.ports.length === 1
                ? s.ports[0]
                : undefined;
          if (sp) {
            port = this.resolveTargetPort(to, sp.targetPort, sp.protocol);
            protocol = sp.protocol;
          } else if (wanted !== undefined && ref.port !== undefined) {
            port = wanted;
            if (s.ports.length > 0) {
              this.diag(
                m,
                sub,
                `"${text}" names port ${wanted} of Service ${s.namespace}/${s.name}, which does not expose it`,
                'warn',
              );
            }
          }
        } else if (wanted !== undefined) {
          port = wanted;
          protocol = to.ports?.find((p) => p.port === wanted)?.protocol;
        }
        const key = `${from.id}\u0000${to.id}\u0000${port ?? ''}`;
        if (this.callKeys.has(key)) continue;
        this.callKeys.add(key);
        const call: Call = {
          from: from.id,
          to: to.id,
          ...(port !== undefined ? { port } : {}),
          ...(protocol ? { protocol } : {}),
          origin: 'env',
          source: m.source(sub),
        };
        this.fragment.calls.push(call);
      }
    }
  }

  /** `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`, `pod.svc.ns.svc…` → the workloads behind it. */
  private resolveHost(host: string, callerNs: string): { group: Group; k8sService?: K8sServiceObject }[] {
    const parts = host.toLowerCase().replace(/\.$/, '').split('.');
    const candidates: { name: string; ns: string }[] = [];
    if (parts.length === 1) candidates.push({ name: parts[0] as string, ns: callerNs });
    else if (parts.length === 2) {
      candidates.push({ name: parts[0] as string, ns: parts[1] as string });
      // `web-0.web`: a StatefulSet pod behind its headless Service, in the caller's namespace.
      if (/-\d+$/.test(parts[0] as string)) candidates.push({ name: parts[1] as string, ns: callerNs });
    } else if (parts[2] === 'svc') candidates.push({ name: parts[0] as string, ns: parts[1] as string });
    else if (parts[3] === 'svc') candidates.push({ name: parts[1] as string, ns: parts[2] as string });
    for (const c of candidates) {
      const s = this.k8sServices.get(`${c.ns}/${c.name}`);
      if (s && s.targets.length > 0) return s.targets.map((group) => ({ group, k8sService: s }));
      const g = this.groupsIn(c.ns).find((x) => x.name === c.name);
      if (g) return [{ group: g }];
    }
    return [];
  }
}

/** `a` is a sub-range of `b` (both valid CIDRs), as NetworkPolicy `except` requires. */
const cidrInside = (a: string, b: string): boolean => {
  try {
    const [addrA, lenA] = ipaddr.parseCIDR(a);
    const [addrB, lenB] = ipaddr.parseCIDR(b);
    return addrA.kind() === addrB.kind() && lenA >= lenB && addrA.match(addrB, lenB);
  } catch {
    return false;
  }
};

const HOST_REF =
  /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:[^@/\s]*@)?([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\.?)(?::(\d{1,5}))?(?:[/?#].*)?$/i;

export interface HostRef {
  host: string;
  port?: number;
  scheme?: string;
}

/**
 * Host references in a value or argument: whole tokens of the form `[scheme://][user@]host[:port][/path]`,
 * also after `--flag=` or `KEY=`. Which hosts are services is decided by the caller.
 */
export const findHostRefs = (text: string): HostRef[] => {
  const out: HostRef[] = [];
  for (let token of text.split(/[\s,;'"`()[\]{}<>|]+/)) {
    if (token === '') continue;
    const flag = /^(?:-{1,2}[\w.-]+|[A-Za-z_][\w.]*)=(.*)$/.exec(token);
    if (flag && !/^[a-z][a-z0-9+.-]*:\/\//i.test(token)) token = flag[1] as string;
    const m = HOST_REF.exec(token);
    if (!m) continue;
    const port = m[3] !== undefined ? Number(m[3]) : undefined;
    if (port !== undefined && (port < 1 || port > 65535)) continue;
    out.push({
      host: m[2] as string,
      ...(port !== undefined ? { port } : {}),
      ...(m[1] ? { scheme: m[1].toLowerCase() } : {}),
    });
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// Across files

/**
 * Recompute policy-level memberships of Kubernetes workloads against every label-set segment of a
 * merged workspace. Each file's reader can only match its own pods; when workloads and policies come
 * in separate files, this puts the pods into the sets of the other files (and namespaced Calico sets
 * under their namespace segment). Services without a Kubernetes namespace network are left alone.
 */
export const linkPolicyMemberships = (ws: Workspace): Workspace => {
  const segById = new Map(ws.segments.map((s) => [s.id, s]));
  const sets = ws.segments.filter((s) => s.level === 'policy' && s.attributes?.kind === 'label-set');
  if (sets.length === 0) return ws;
  const segments = ws.segments.map((s) => {
    const ns = s.attributes?.namespace;
    if (s.parent || !sets.includes(s) || typeof ns !== 'string' || !segById.has(nsPolicyId(ns))) return s;
    return { ...s, parent: nsPolicyId(ns) };
  });
  const services = ws.services.map((svc) => {
    const net = svc.memberships.network?.find((id) => id.startsWith('network:k8s:ns:'));
    if (!net) return svc;
    const ns = net.slice('network:k8s:ns:'.length);
    const labels = svc.labels ?? {};
    const nsLabels = segById.get(nsPolicyId(ns))?.labels ?? {};
    const role = svc.memberships.role?.find((id) => id.startsWith(`role:k8s:sa:${ns}/`));
    const sa = role?.slice(`role:k8s:sa:${ns}/`.length);
    const member: string[] = [];
    for (const set of sets) {
      const a = set.attributes ?? {};
      if (a.engine === 'calico') {
        if (typeof a.namespace === 'string' && a.namespace !== ns) continue;
        const ep = calicoEndpointLabels(labels, ns, sa);
        if (typeof a.selector !== 'string' || !matchCalicoSelector(a.selector, ep)) continue;
        const nsSel = a.namespaceSelector;
        if (typeof nsSel === 'string' && !matchCalicoSelector(nsSel, calicoNamespaceLabels(nsLabels, ns))) continue;
        member.push(set.id);
      } else if (
        a.namespace === ns &&
        isRecord(a.selector) &&
        matchLabelSelector(a.selector as LabelSelector, labels)
      ) {
        member.push(set.id);
      }
    }
    const policy = member.length > 0 ? member : segById.has(nsPolicyId(ns)) ? [nsPolicyId(ns)] : [];
    const same = JSON.stringify(policy) === JSON.stringify(svc.memberships.policy ?? []);
    return same ? svc : { ...svc, memberships: { ...svc.memberships, policy } };
  });
  return { ...ws, segments, services };
};

// ---------------------------------------------------------------------------------------------
// The reader

/** Detect: some API object in the file is not a Calico object (mixed files are read here, whole). */
const detect = (_file: FileInput, parsed: unknown): boolean => {
  const objects = flattenObjects(parsed);
  return objects.some((o) => typeof o.apiVersion === 'string' && !isCalicoApiVersion(o.apiVersion));
};

const read = (file: FileInput, parsed: ParsedFile = parseFile(file)): ReadResult => {
  const loaded = loadManifests(file, parsed);
  const r = new Reader(file, loaded.manifests, loaded.diagnostics);
  r.read();
  return { fragment: r.fragment, diagnostics: r.diagnostics };
};

export const k8sReader: FormatReader = {
  id: 'k8s',
  label: 'Kubernetes manifest',
  detect,
  read,
};
