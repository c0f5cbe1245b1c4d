// The runner for the reference analyzer's whole suite, on a checkout laid out as np-guard/netpol-analyzer's.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ANP_BANP_BLOG_DEMO_CONNLIST } from '../src/analysis/testdata/reference/published';
import { canonicalLine, publishedCases, refinedLines, runCase } from './peer-suite';

describe('scripts/peer-suite.ts on a checkout laid out as the reference keeps its cases', () => {
  const root = mkdtempSync(join(tmpdir(), 'peer-suite-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  // New layout: tests/<case>/ and test_outputs/connlist/<case>_connlist_output.txt.
  cpSync('src/analysis/testdata/reference/anp-banp-blog-demo', join(root, 'tests', 'anp_banp_blog_demo'), {
    recursive: true,
  });
  mkdirSync(join(root, 'test_outputs', 'connlist'), { recursive: true });
  writeFileSync(
    join(root, 'test_outputs', 'connlist', 'anp_banp_blog_demo_connlist_output.txt'),
    `${ANP_BANP_BLOG_DEMO_CONNLIST.join('\n')}\n`,
  );
  // Old layout, with one published line changed: the runner must say the case differs and how.
  cpSync('src/analysis/testdata/reference/anp-banp-blog-demo', join(root, 'tests', 'old_layout'), { recursive: true });
  const changed = ANP_BANP_BLOG_DEMO_CONNLIST.map((l) =>
    l.replace('foo/myfoo[Pod] => baz/mybaz[Pod] : All Connections', 'foo/myfoo[Pod] => bar/mybar[Pod] : TCP 80'),
  );
  writeFileSync(join(root, 'tests', 'old_layout', 'connlist_output.txt'), changed.join('\n'));
  // A directory without a published output is no case.
  mkdirSync(join(root, 'tests', 'no_output'));
  // The newest layout with networks: section headers, the note that stands for an empty pod-network section
  // (cudn_test_4 has one; the runner drops it wherever it stands) and the closing mapping are no connections.
  cpSync('src/analysis/testdata/reference/udn-sections', join(root, 'tests', 'udn_sections'), { recursive: true });
  writeFileSync(
    join(root, 'test_outputs', 'connlist', 'udn_sections_connlist_output.txt'),
    [
      'Permitted connectivity analyzed in Pod network:',
      'all input workloads are configured with (C)UDN as their primary network interface',
      '0.0.0.0-255.255.255.255[External] => plain/db[Deployment] : All Connections',
      'plain/db[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      '',
      'Permitted connectivity analyzed in primary UDN blue:',
      '0.0.0.0-255.255.255.255[External] => blue[udn]/app[Deployment] : All Connections',
      'blue[udn]/app[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      '',
      'Permitted connectivity analyzed in primary CUDN warm:',
      '0.0.0.0-255.255.255.255[External] => red/app[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255[External] => yellow/app[Deployment] : TCP 8080',
      'red/app[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'red/app[Deployment] => yellow/app[Deployment] : TCP 8080',
      'yellow/app[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'yellow/app[Deployment] => red/app[Deployment] : All Connections',
      '',
      'Workload-to-Networks Mapping:',
      'blue[udn]/app[Deployment]: blue[udn]',
    ].join('\n'),
  );

  it('finds the cases of both layouts, and only those with a published output', () => {
    expect(publishedCases(root).map(([name]) => name)).toEqual(['anp_banp_blog_demo', 'old_layout', 'udn_sections']);
  });

  it('an exact case has nothing missing or extra; a changed line is named on both sides', async () => {
    const [blog, old, udn] = publishedCases(root);
    expect(await runCase(...(udn as [string, string, string]))).toEqual({
      name: 'udn_sections',
      missing: [],
      extra: [],
    });
    expect(await runCase(...(blog as [string, string, string]))).toEqual({
      name: 'anp_banp_blog_demo',
      missing: [],
      extra: [],
    });
    expect(await runCase(...(old as [string, string, string]))).toEqual({
      name: 'old_layout',
      missing: ['foo/myfoo[Pod] => bar/mybar[Pod] : TCP 80'],
      // Named as compared: in canonical form.
      extra: ['foo/myfoo[Pod] => baz/mybaz[Pod] : all'],
    });
  });

  it("reads each line in any of the reference's output layouts: one meaning, one key", () => {
    // A set printed as the ranges it holds (older versions) or as what it lacks (`All but:`, newer ones).
    expect(canonicalLine('a/x[Pod] => b/y[Pod] : SCTP 1-65535,TCP 1-65535,UDP 1-5352,5354-65535')).toBe(
      canonicalLine('a/x[Pod] => b/y[Pod] : All but: UDP 5353'),
    );
    expect(canonicalLine('a/x[Pod] => b/y[Pod] : TCP 80,8080,UDP 53')).toBe(
      'a/x[Pod] => b/y[Pod] : TCP 80,TCP 8080,UDP 53',
    );
    // Newer versions mark address ranges [External] and a primary user-defined network's namespace ns[udn].
    expect(canonicalLine('0.0.0.0-255.255.255.255[External] => green[udn]/web[Pod] : All Connections')).toBe(
      '0.0.0.0-255.255.255.255 => green/web[Pod] : all',
    );
    // Different sets stay different.
    expect(canonicalLine('a/x[Pod] => b/y[Pod] : All but: UDP 5353')).not.toBe(
      canonicalLine('a/x[Pod] => b/y[Pod] : All but: UDP 53'),
    );
  });

  it('address ranges cut at other boundaries compare by meaning; a range that differs in meaning does not', () => {
    // semanticDiff-different-topologies-policy-b-with-ipblock (older version): sources and destinations cut at
    // the same boundaries; newer versions cut sources at ingress-rule CIDRs only (getDisjointIPBlocks).
    const published = [
      '0.0.0.0-9.255.255.255 => a/x[Pod] : all',
      '10.0.0.0-10.10.255.255 => a/x[Pod] : all',
      '10.11.0.0-10.11.255.255 => a/x[Pod] : all',
      '10.12.0.0-255.255.255.255 => a/x[Pod] : all',
      'a/x[Pod] => b/y[Pod] : TCP 80',
    ];
    const ours = ['0.0.0.0-255.255.255.255 => a/x[Pod] : all', 'a/x[Pod] => b/y[Pod] : TCP 80'];
    const [p, o] = refinedLines(published, ours);
    expect(new Set(o)).toEqual(new Set(p));
    expect(p).toHaveLength(5);
    // One atom less: the ranges no longer cover the same addresses.
    const [p2, o2] = refinedLines(published.slice(1), ours);
    expect(o2.filter((l) => !p2.includes(l))).toEqual(['0.0.0.0-9.255.255.255 => a/x[Pod] : all']);
    // Both ends are split, and a workload name is never taken for a range.
    expect(
      refinedLines(
        ['10.0.0.0-10.0.0.255 => 10.0.0.0-10.0.0.255 : all'],
        ['10.0.0.128-10.0.0.255 => b/y[Pod] : all'],
      )[0],
    ).toEqual([
      '10.0.0.0-10.0.0.127 => 10.0.0.0-10.0.0.127 : all',
      '10.0.0.0-10.0.0.127 => 10.0.0.128-10.0.0.255 : all',
      '10.0.0.128-10.0.0.255 => 10.0.0.0-10.0.0.127 : all',
      '10.0.0.128-10.0.0.255 => 10.0.0.128-10.0.0.255 : all',
    ]);
  });

  it('a named port the destination does not declare, printed unresolved, allows nothing (NetworkPolicy API)', () => {
    // As in test_with_named_ports_changed_netpol: a rule on ports dns-local/UDP, dns-tcp-local/TCP and
    // metrics/TCP, for a pod that declares none of them (another declares all three: 10053, 10053, 10054).
    expect(canonicalLine('a/x[Pod] => b/y[Pod] : TCP dns-tcp-local,metrics,UDP dns-local')).toBe('');
    expect(canonicalLine('a/x[Pod] => b/y[Pod] : TCP 10053-10054,UDP 10053,dns-extra')).toBe(
      'a/x[Pod] => b/y[Pod] : TCP 10053-10054,UDP 10053',
    );
  });

  it('a published line that allows nothing is not missing when segscope lists no such pair', async () => {
    const root = mkdtempSync(join(tmpdir(), 'peer-named-'));
    mkdirSync(join(root, 'tests', 'named'), { recursive: true });
    mkdirSync(join(root, 'test_outputs', 'connlist'), { recursive: true });
    writeFileSync(
      join(root, 'tests', 'named', 'pods.yaml'),
      [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: n, labels: {app: a}}',
        'spec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 10.0.0.1}\n---',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: n, labels: {app: b}}',
        'spec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 10.0.0.2}\n---',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: n}',
        'spec: {podSelector: {}, egress: [{}], ingress: [{ports: [{port: dns, protocol: UDP}]}]}',
      ].join('\n'),
    );
    const out = join(root, 'test_outputs', 'connlist', 'named_connlist_output.txt');
    writeFileSync(
      out,
      [
        'n/a[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
        'n/a[Pod] => n/b[Pod] : UDP dns',
        'n/b[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
        'n/b[Pod] => n/a[Pod] : UDP dns',
      ].join('\n'),
    );
    const r = await runCase('named', join(root, 'tests', 'named'), out);
    rmSync(root, { recursive: true, force: true });
    expect([r.missing, r.extra, r.error]).toEqual([[], [], undefined]);
  });
});
