import { describe, expect, it } from 'vitest';
import { deployment, loadManifests, manifests, namespace } from '../../formats/k8s/testing/cluster';
import { withHostNetworkPods } from '../../model/settings';
import type { Rule, Workspace } from '../../model/types';
import { reach } from '../reach';
import { calico, np, seg, svc, tier, ws } from '../testing/build';
import { levelVerdict } from '../testing/verdict';

// The policy level's "commonly missed" rules (DESIGN.md), each checked with the documentation it follows.

const load = (text: string): Workspace => loadManifests(text).workspace;

/** Namespace shop: api runs as ServiceAccount api-sa (labelled trusted=yes), web as the default one, db serves 5432. */
const SHOP = manifests(
  namespace('shop'),
  `apiVersion: v1
kind: ServiceAccount
metadata: { name: api-sa, namespace: shop, labels: { trusted: "yes" } }
`,
  deployment({ name: 'api', namespace: 'shop', serviceAccountName: 'api-sa', container: 'api', image: 'shop/api' }),
  deployment({ name: 'web', namespace: 'shop', container: 'web', image: 'shop/web' }),
  deployment({
    name: 'db',
    namespace: 'shop',
    container: 'db',
    image: 'postgres',
    ports: [{ containerPort: 5432 }],
  }),
);

const API = 'k8s:shop/api';
const WEB = 'k8s:shop/web';
const DB = 'k8s:shop/db';

/** A Calico NetworkPolicy on db: the given ingress rules first, then Allow everything else. */
const dbPolicy = (source: string) => `---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: db-guard, namespace: shop }
spec:
  selector: app == "db"
  types: [Ingress]
  ingress:
    - action: Deny
      source: ${source}
    - action: Allow
`;

describe('Calico serviceAccounts match the pod that runs as that account, in its namespace', () => {
  // https://docs.tigera.io/calico/latest/network-policy/policy-rules/service-accounts — "serviceAccounts" in a
  // rule's source/destination matches endpoints running as the named accounts (names) or as accounts whose
  // labels match (selector); https://docs.tigera.io/calico/latest/network-policy/get-started/calico-policy/calico-labels —
  // a workload endpoint carries projectcalico.org/serviceaccount = its account's name.
  it.each([
    ['by name', '{ serviceAccounts: { names: [api-sa] } }'],
    ['by the account labels', '{ serviceAccounts: { selector: trusted == "yes" } }'],
    ['by the projectcalico.org/serviceaccount label', '{ selector: projectcalico.org/serviceaccount == "api-sa" }'],
  ])('a Deny %s blocks the account and only it', (_, source) => {
    const w = load(SHOP + dbPolicy(source));
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({
      verdict: 'deny',
      rule: 'calico:shop/netpol/db-guard',
    });
    expect(levelVerdict(w, WEB, DB, 'policy', 5432)).toEqual({
      verdict: 'allow',
      rule: 'calico:shop/netpol/db-guard',
    });
  });
});

const NS = 'policy:k8s:ns:shop';
const world = (rules: Rule[], o: { apiAddresses?: string[] } = {}): Workspace =>
  ws({
    services: [
      svc(API, { namespace: 'shop', labels: { app: 'api' }, policy: [NS], addresses: o.apiAddresses ?? [] }),
      svc(DB, { namespace: 'shop', labels: { app: 'db' }, policy: [NS], ports: [5432] }),
    ],
    segments: [seg(NS, 'policy', { kind: 'namespace', name: 'shop' })],
    rules,
  });

describe("a Tier's defaultAction", () => {
  // https://docs.tigera.io/calico/latest/reference/resources/tier — "If the Tier applies to the endpoint, but
  // takes no action on the packet the packet is dropped. This behaviour can be changed by setting the
  // defaultAction of a tier to Pass."
  const guard = calico('gnp-guard', {
    tier: 'security',
    selector: 'app == "db"',
    types: ['Ingress'],
    ingress: [{ action: 'Allow', source: { selector: 'app == "web"' } }],
  });
  const dbOnly = np('knp-db', 'shop', { matchLabels: { app: 'db' } }, ['Ingress'], [{ peers: [] }]);
  it('Pass sends unmatched traffic on to the next tier (here the default tier, which allows)', () => {
    const w = world([{ ...tier('security', 100), defaultAction: 'Pass' }, guard]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'gnp-guard' });
    expect(reach(w, API, DB, 5432).levels.policy.reason).toContain('passed on by');
  });
  it('Pass sends it to the next tier that selects the endpoint, which decides', () => {
    const w = world([{ ...tier('security', 100), defaultAction: 'Pass' }, guard, dbOnly]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'deny', rule: 'knp-db' });
  });
  it('Deny (the default) drops it at the end of the tier', () => {
    const w = world([{ ...tier('security', 100), defaultAction: 'Deny' }, guard]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'deny', rule: 'gnp-guard' });
  });
});

describe('preDNAT and doNotTrack policies apply to host endpoints only', () => {
  // https://docs.tigera.io/calico/latest/reference/host-endpoints/pre-dnat — "Policy for host endpoints can be
  // marked as preDNAT"; https://docs.tigera.io/calico/latest/reference/host-endpoints/untracked — "Policy for
  // host endpoints can be marked as doNotTrack". Felix puts such policies in the untracked / pre-DNAT tiers
  // of host endpoints and never in a workload endpoint's tiers (calc/event_sequencer.go, tierInfoToProtoTierInfo).
  const denyAll = (o: Record<string, boolean>) =>
    calico('gnp-host', { selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny' }], ...o });
  it.each([
    ['preDNAT', { preDNAT: true, applyOnForward: true }],
    ['doNotTrack', { doNotTrack: true, applyOnForward: true }],
  ])('a %s policy does not select pods', (_, flags) => {
    const w = world([denyAll(flags)]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'open', rule: undefined });
  });
  it('applyOnForward alone still applies to pods (Felix adds it to the normal tiers too)', () => {
    // https://docs.tigera.io/calico/latest/reference/host-endpoints/forwarded — applyOnForward widens a host
    // endpoint policy to forwarded traffic; it does not take the policy away from workload endpoints.
    const w = world([denyAll({ applyOnForward: true })]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'deny', rule: 'gnp-host' });
  });
});

describe('Calico nets: 0.0.0.0/0 and ::/0 match every address', () => {
  // https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#entityrule — nets: "Match packets
  // with IP in any of the listed CIDRs"; every IPv4 (IPv6) address is in 0.0.0.0/0 (::/0), whether or not
  // the file tells us which one the pod has.
  it.each(['0.0.0.0/0', '::/0'])('a Deny from nets [%s] blocks a pod whose IP is unknown', (net) => {
    const w = world([
      calico('gnp-edge', {
        selector: 'app == "db"',
        types: ['Ingress'],
        ingress: [{ action: 'Deny', source: { nets: [net] } }, { action: 'Allow' }],
      }),
    ]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'deny', rule: 'gnp-edge' });
  });
  it('notNets [0.0.0.0/0] excludes a pod whose IP is unknown', () => {
    const w = world([
      calico('gnp-edge', {
        selector: 'app == "db"',
        types: ['Ingress'],
        ingress: [{ action: 'Deny', source: { notNets: ['0.0.0.0/0'] } }, { action: 'Allow' }],
      }),
    ]);
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'gnp-edge' });
  });
  it('a narrower net still needs a known address inside it', () => {
    const w = (addresses: string[]) =>
      world(
        [
          calico('gnp-edge', {
            selector: 'app == "db"',
            types: ['Ingress'],
            ingress: [{ action: 'Deny', source: { nets: ['10.0.0.0/8'] } }, { action: 'Allow' }],
          }),
        ],
        { apiAddresses: addresses },
      );
    expect(levelVerdict(w([]), API, DB, 'policy', 5432).verdict).toBe('allow');
    expect(levelVerdict(w(['10.1.2.3']), API, DB, 'policy', 5432).verdict).toBe('deny');
  });
});

const HOSTNET = `${SHOP}---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: shop }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      hostNetwork: true
      containers: [{ name: agent, image: shop/agent, ports: [{ containerPort: 9100 }] }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-from-shop, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ podSelector: {} }]
`;
const AGENT = 'k8s:shop/agent';

describe('hostNetwork pods are not subject to NetworkPolicy (the most common implementation)', () => {
  // https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods —
  // behaviour is undefined; most plugins cannot tell hostNetwork pod traffic apart, so they ignore hostNetwork
  // pods when matching podSelector and namespaceSelector and treat their traffic as the node's.
  it('a policy selecting a hostNetwork pod is not enforced on it: open, and the reason says so', () => {
    const w = load(HOSTNET);
    const v = reach(w, WEB, AGENT, 9100).levels.policy;
    expect(v.verdict).toBe('open');
    expect(v.reason).toContain('not enforced (hostNetwork)');
  });
  it('a podSelector peer does not match a hostNetwork pod: its traffic is the node’s', () => {
    const w = load(HOSTNET);
    expect(levelVerdict(w, AGENT, DB, 'policy', 5432)).toEqual({
      verdict: 'deny',
      rule: 'k8s:shop/netpol/db-from-shop',
    });
    expect(levelVerdict(w, WEB, DB, 'policy', 5432)).toEqual({
      verdict: 'allow',
      rule: 'k8s:shop/netpol/db-from-shop',
    });
  });
});

describe('hostNetwork pods under the other reading Kubernetes allows (settings.hostNetworkPods: pod)', () => {
  // Same section of the docs: a plugin that can tell hostNetwork pod traffic apart "will apply podSelector /
  // namespaceSelector peer to hostNetwork traffic just like it does to pod-network traffic" (np-guard's
  // netpol-analyzer reads every pod so: its semanticDiff-same-topologies cases are hostNetwork pods).
  const podReading = () => withHostNetworkPods(load(HOSTNET), 'pod');
  it('a policy selecting the hostNetwork pod is enforced on it: default-deny denies web → agent', () => {
    expect(levelVerdict(podReading(), WEB, AGENT, 'policy', 9100)).toEqual({
      verdict: 'deny',
      rule: 'k8s:shop/netpol/default-deny',
    });
  });
  it('a podSelector peer matches it like any pod: db admits agent', () => {
    expect(levelVerdict(podReading(), AGENT, DB, 'policy', 5432)).toEqual({
      verdict: 'allow',
      rule: 'k8s:shop/netpol/db-from-shop',
    });
  });
  it('node (the default) is what an absent setting means', () => {
    const w = withHostNetworkPods(load(HOSTNET), 'node');
    expect(levelVerdict(w, AGENT, DB, 'policy', 5432)).toEqual(levelVerdict(load(HOSTNET), AGENT, DB, 'policy', 5432));
    expect(reach(w, WEB, AGENT, 9100).levels.policy.verdict).toBe('open');
  });
});

describe('ipBlock towards pods: matched by the pod address, and the verdict says so', () => {
  // https://kubernetes.io/docs/concepts/services-networking/network-policies/ — ipBlock "should be
  // cluster-external IPs, since Pod IPs are ephemeral and unpredictable"; whether a pod IP matches is left to
  // the plugin. Calico matches pod IPs (segscope does, when the address is known); Cilium and np-guard do not.
  const egressTo = (cidr: string) =>
    np('knp-api-out', 'shop', { matchLabels: { app: 'api' } }, ['Egress'], undefined, [
      { peers: [{ ipBlock: { cidr } }] },
    ]);
  it('a pod whose address is not known: no ipBlock matches it, and the reason says which reading decided', () => {
    const v = reach(world([egressTo('0.0.0.0/0')]), API, DB, 5432).levels.policy;
    expect([v.verdict, v.rule?.id]).toEqual(['deny', 'knp-api-out']);
    expect(v.reason).toContain('ipBlock matches a pod by its address, as Calico does');
  });
  it('a pod whose address is known and inside the block: allowed', () => {
    const w = ws({
      services: [
        svc(API, { namespace: 'shop', labels: { app: 'api' }, policy: [NS] }),
        svc(DB, { namespace: 'shop', labels: { app: 'db' }, policy: [NS], addresses: ['10.244.0.7'] }),
      ],
      segments: [seg(NS, 'policy', { kind: 'namespace', name: 'shop' })],
      rules: [egressTo('10.244.0.0/16')],
    });
    expect(levelVerdict(w, API, DB, 'policy', 5432)).toEqual({ verdict: 'allow', rule: 'knp-api-out' });
  });
});
