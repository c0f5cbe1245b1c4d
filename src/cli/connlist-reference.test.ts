import { describe, expect, it } from 'vitest';
import { ANP_BANP_BLOG_DEMO_CONNLIST } from '../analysis/testdata/reference/published';
import { connlist } from './connlist';
import type { Io } from './io';

// `segscope connlist --format txt` against the published outputs of the reference analyzer, np-guard
// netpol-analyzer (github.com/np-guard/netpol-analyzer, test_outputs/connlist/<case>_connlist_output.txt):
// the same cases written as manifests of our own under src/analysis/testdata/reference, and the expected
// lines exactly as the reference prints them. Each case follows the evaluation order of the
// AdminNetworkPolicy API (network-policy-api.sigs.k8s.io/reference/spec): ANP by priority, first matching
// rule (Allow/Deny decide, Pass goes on) → NetworkPolicy → BaselineAdminNetworkPolicy → default allow.

const REF = 'src/analysis/testdata/reference';
const HOUSES = `${REF}/conformance-houses.yaml`;

const run = async (paths: string[]): Promise<{ out: string[]; err: string[] }> => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  expect(await connlist([...paths, '--format', 'txt'], io)).toBe(0);
  return { out: out.join('\n').split('\n'), err };
};

const G = 'network-policy-conformance-gryffindor/harry-potter[StatefulSet]';
const H = 'network-policy-conformance-hufflepuff/cedric-diggory[StatefulSet]';
const R = 'network-policy-conformance-ravenclaw/luna-lovegood[StatefulSet]';
const S = 'network-policy-conformance-slytherin/draco-malfoy[StatefulSet]';
const WORLD = '0.0.0.0-255.255.255.255';

/** Every pair of the four houses and the world `All Connections`, except the lines given. */
const housesExcept = (changed: Record<string, string>): string[] => {
  const names = [G, H, R, S];
  const lines: string[] = names.map((n) => `${WORLD} => ${n} : All Connections`);
  for (const a of names) {
    lines.push(`${a} => ${WORLD} : All Connections`);
    for (const b of names) if (a !== b) lines.push(`${a} => ${b} : ${changed[`${a} => ${b}`] ?? 'All Connections'}`);
  }
  return lines;
};

describe('connlist --format txt agrees with np-guard netpol-analyzer on its admin-policy cases', () => {
  it('anp_banp_blog_demo: Pass to a NetworkPolicy, Allow from monitoring, the baseline denying the rest (docs/explain.md)', async () => {
    const { out, err } = await run([`${REF}/anp-banp-blog-demo`]);
    expect(err).toEqual([]);
    expect(out).toEqual(ANP_BANP_BLOG_DEMO_CONNLIST);
  });

  it('anp_test_6: inside one AdminNetworkPolicy the first matching rule decides (Allow before Deny before Pass)', async () => {
    const { out } = await run([HOUSES, `${REF}/anp-rule-order`]);
    // test_outputs/connlist/anp_test_6_connlist_output.txt
    expect(out).toEqual(housesExcept({ [`${G} => ${H}`]: 'UDP 53', [`${S} => ${H}`]: 'All but: UDP 5353' }));
  });

  it('banp_test_core_ingress_tcp_rules: the first matching baseline rule decides', async () => {
    const { out } = await run([HOUSES, `${REF}/banp-ingress-tcp`]);
    // test_outputs/connlist/banp_test_core_ingress_tcp_rules_connlist_output.txt
    expect(out).toEqual(housesExcept({ [`${H} => ${G}`]: 'TCP 80', [`${S} => ${G}`]: 'All but: TCP 80' }));
  });

  it('anp_and_banp_using_networks_test: networks peers, Pass to a NetworkPolicy ipBlock, the baseline denying 0.0.0.0/0', async () => {
    const { out } = await run([`${REF}/anp-banp-networks`]);
    // test_outputs/connlist/anp_and_banp_using_networks_test_connlist_output.txt as published from commit
    // faa7ad7 on (earlier versions cut sources at the egress rules' networks too): sources are cut at the
    // CIDRs of ingress rules only (the reference's getDisjointIPBlocks), and no rule here names one.
    expect(out).toEqual([
      '0.0.0.0-255.255.255.255 => ns1/pod1[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255 => ns2/pod1[Deployment] : All Connections',
      'ns1/pod1[Deployment] => 10.0.0.0-10.255.255.255 : UDP 53',
      'ns1/pod1[Deployment] => 60.45.72.0-60.45.75.255 : All Connections',
      'ns1/pod1[Deployment] => 89.246.180.0-89.246.183.255 : All Connections',
      'ns1/pod1[Deployment] => ns2/pod1[Deployment] : All Connections',
      'ns2/pod1[Deployment] => 60.45.72.0-60.45.75.255 : All Connections',
      'ns2/pod1[Deployment] => 89.246.180.0-89.246.183.255 : All Connections',
      'ns2/pod1[Deployment] => ns1/pod1[Deployment] : All Connections',
    ]);
  });

  it('anp_and_banp_using_networks_with_ipv6_test: IPv6 networks are left out of the layout, with a note; IPv4 is cut per direction', async () => {
    const { out, err } = await run([`${REF}/anp-ipv6-networks`]);
    // As test_outputs/connlist/anp_and_banp_using_networks_with_ipv6_test_connlist_output.txt prints its case:
    // sources whole (no ingress rule names a CIDR), destinations only the IPv4 network allowed.
    expect(out).toEqual([
      '0.0.0.0-255.255.255.255 => a/web[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255 => b/db[Deployment] : All Connections',
      'a/web[Deployment] => 172.16.0.0-172.31.255.255 : All Connections',
      'a/web[Deployment] => b/db[Deployment] : All Connections',
      'b/db[Deployment] => 172.16.0.0-172.31.255.255 : All Connections',
      'b/db[Deployment] => a/web[Deployment] : All Connections',
    ]);
    // Each workload to fd00::/8 (sources are IPv4 only: no ingress rule names an IPv6 CIDR).
    expect(err).toEqual([
      "segscope connlist: note: 2 line(s) to or from IPv6 ranges left out of --format txt (its address space is IPv4, as the reference analyzer's); --json and the default format list them",
    ]);
  });

  it('cudn_test_5 / cudn_test_6 layout: one section per primary network, the pod network first, then the Workload-to-Networks Mapping', async () => {
    const { out } = await run([`${REF}/udn-sections`]);
    // The layout of conns_formatter_txt.go (writeFullConnlistTxtOutput, writeNetworksSection,
    // writeWorkloadToNetworksSection), as test_outputs/connlist/cudn_test_6_connlist_output.txt prints its
    // sections: a UDN goes by its namespace and its workloads print `ns[udn]/`; a CUDN by its own name.
    expect(out).toEqual([
      'Permitted connectivity analyzed in Pod network:',
      '0.0.0.0-255.255.255.255 => plain/db[Deployment] : All Connections',
      'plain/db[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
      '',
      'Permitted connectivity analyzed in primary UDN blue:',
      '0.0.0.0-255.255.255.255 => blue[udn]/app[Deployment] : All Connections',
      'blue[udn]/app[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
      '',
      'Permitted connectivity analyzed in primary CUDN warm:',
      '0.0.0.0-255.255.255.255 => red/app[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255 => yellow/app[Deployment] : TCP 8080',
      'red/app[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
      'red/app[Deployment] => yellow/app[Deployment] : TCP 8080',
      'yellow/app[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
      'yellow/app[Deployment] => red/app[Deployment] : All Connections',
      '',
      'Workload-to-Networks Mapping:',
      'blue[udn]/app[Deployment]: blue[udn]',
      'plain/db[Deployment]: pod_network,plain/storage[nad]',
      'red/app[Deployment]: warm[cluster-udn]',
      'yellow/app[Deployment]: warm[cluster-udn]',
    ]);
  });

  it('Ingress and Route: each assumed controller reaches the pod ports routed to it, where NetworkPolicy lets its namespace in (docs/ingress_analysis.md)', async () => {
    const { out } = await run([`${REF}/ingress-route`]);
    expect(out).toEqual([
      '0.0.0.0-255.255.255.255 => shop/web[Deployment] : All Connections',
      'shop/api[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
      'shop/api[Deployment] => shop/web[Deployment] : All Connections',
      'shop/web[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
      // The Route's target port; only ingress-nginx's namespace is admitted into api.
      '{ingress-nginx} => shop/api[Deployment] : TCP 8000',
      // The Ingress's Service port 80 is the pod's named port http (8080); 9090 is not routed.
      '{ingress-nginx} => shop/web[Deployment] : TCP 8080',
      '{openshift-ingress-operator} => shop/web[Deployment] : TCP 8080',
    ]);
  });
});
