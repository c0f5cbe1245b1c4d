import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../model/types';
import { calicoReader } from './calico/read';
import { composeReader, parsePortSpec } from './compose/read';
import { k8sReader } from './k8s/read';

// The widening audit of the Compose, Kubernetes and Calico readers (AWS and Terraform: aws/permission.test.ts):
// a value the format's schema does not allow is a located error and the port, rule or object is left out —
// never read as another port, another protocol, all ports or every address.

const at = (d: Diagnostic) => `${d.line}:${d.column} ${d.severity} ${d.message}`;
const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error').map(at);

describe('Compose ports (https://docs.docker.com/reference/compose-file/services/#ports)', () => {
  const read = (entry: string) =>
    composeReader.read({
      name: 'p/compose.yaml',
      text: `services:\n  web:\n    image: x\n    ports:\n      - "${entry}"\n`,
    });

  it.each([
    ['eighty', 'the container port must be a number or range between 1 and 65535'],
    ['70000', 'the container port must be a number or range between 1 and 65535'],
    ['-1', 'the container port must be a number or range between 1 and 65535'],
    ['0', 'the container port must be a number or range between 1 and 65535'],
    ['8080:80/tpc', 'unknown protocol "tpc" (tcp, udp or sctp)'],
    ['99999:80', 'the host port must be a number or range between 1 and 65535, or empty'],
  ])('"%s": an error at the entry, no port', (entry, why) => {
    const r = read(entry);
    expect(r.fragment.services[0]?.ports).toBeUndefined();
    expect(errors(r.diagnostics)).toEqual([`5:9 error bad port "${entry}": ${why}`]);
  });

  it('property: any short-syntax text gives an error or ports inside 1–65535 (never a wider set)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^[0-9:./a-z-]{0,14}$/)),
        fc.constantFrom('ports' as const, 'expose' as const),
        (text, kind) => {
          const spec = parsePortSpec(text, kind);
          if ('error' in spec) return spec.error.startsWith('bad ');
          return spec.ports.length > 0 && spec.ports.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535);
        },
      ),
    );
  });
});

describe('Kubernetes values (https://kubernetes.io/docs/reference/kubernetes-api/)', () => {
  const read = (text: string) => k8sReader.read({ name: 'k.yaml', text });

  it('NetworkPolicy: a port of -1, 70000, protocol TPC or ipBlock 10.0.0.0/33 is an error; the policy is rejected whole (as the API server does)', () => {
    for (const [item, where, message] of [
      ['ports: [{port: -1}]', '9:22', 'port -1 is not between 1 and 65535'],
      ['ports: [{port: 70000}]', '9:22', 'port 70000 is not between 1 and 65535'],
      ['ports: [{protocol: TPC, port: 80}]', '9:26', 'protocol "TPC" is not TCP, UDP or SCTP'],
      ['from: [{ipBlock: {cidr: 10.0.0.0/33}}]', '9:31', 'ipBlock.cidr "10.0.0.0/33" is not a CIDR'],
    ] as const) {
      const r = read(
        [
          'apiVersion: networking.k8s.io/v1',
          'kind: NetworkPolicy',
          'metadata: {name: db, namespace: shop}',
          'spec:',
          '  podSelector: {matchLabels: {app: db}}',
          '  policyTypes: [Ingress]',
          '  ingress:',
          '    - {}',
          `    - ${item}`,
          '',
        ].join('\n'),
      );
      expect(r.fragment.rules).toEqual([]);
      expect(errors(r.diagnostics)).toEqual([
        `${where} error ${message}`,
        '1:1 error NetworkPolicy shop/db skipped because of the errors above (the API server would reject it)',
      ]);
    }
  });

  it('Service and container ports: protocol TPC, targetPort 70000, containerPort "eighty" are left out with an error', () => {
    const r = read(
      [
        'apiVersion: v1', //                                      1
        'kind: Service', //                                       2
        'metadata: {name: db, namespace: shop}', //               3
        'spec:', //                                               4
        '  selector: {app: db}', //                               5
        '  ports:', //                                            6
        '    - {port: 5432, protocol: TPC}', //                   7
        '    - {port: 5433, targetPort: 70000}', //               8
        '    - {port: 5434, targetPort: 5432}', //                9
        '---', //                                                 10
        'apiVersion: v1', //                                      11
        'kind: Pod', //                                           12
        'metadata: {name: db, namespace: shop, labels: {app: db}}', // 13
        'spec:', //                                               14
        '  containers:', //                                       15
        '    - name: db', //                                      16
        '      ports:', //                                        17
        '        - {containerPort: eighty}', //                   18
        '        - {containerPort: 5432, protocol: tpc}', //      19
        '        - {containerPort: 5432, name: pg}', //           20
        '',
      ].join('\n'),
    );
    expect(errors(r.diagnostics)).toEqual([
      '7:30 error Service shop/db: protocol "TPC" is not TCP, UDP or SCTP; skipped',
      '8:32 error Service shop/db: targetPort 70000 is not a port number; skipped',
      '18:27 error containerPort "eighty" is not a port number (1–65535); this port is left out',
      '19:43 error protocol "tpc" is not TCP, UDP or SCTP; this port is left out',
    ]);
    expect(r.fragment.services.find((s) => s.id === 'k8s:shop/db')?.ports).toEqual([
      { port: 5432, protocol: 'TCP', name: 'pg' },
    ]);
  });
});

describe('Calico values (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#rule)', () => {
  const policy = (rule: string) =>
    calicoReader.read({
      name: 'c.yaml',
      text: [
        'apiVersion: projectcalico.org/v3', //  1
        'kind: NetworkPolicy', //               2
        'metadata: {name: guard, namespace: shop}', // 3
        'spec:', //                             4
        "  selector: app == 'db'", //           5
        '  types: [Ingress]', //                6
        '  ingress:', //                        7
        `    - ${rule}`, //                     8
        '    - action: Allow', //               9
        '',
      ].join('\n'),
    });

  it.each([
    [
      '{action: Deny, protocol: tpc}',
      '8:32 error NetworkPolicy shop/guard: protocol "tpc" is not TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a protocol number (1–255)',
    ],
    [
      '{action: Deny, source: {nets: [10.0.0.0/33]}}',
      '8:38 error NetworkPolicy shop/guard: "10.0.0.0/33" is not a CIDR',
    ],
    [
      '{action: Deny, protocol: TCP, destination: {ports: [70000]}}',
      '8:59 error NetworkPolicy shop/guard: port 70000 is not a port, a range "from:to" or a port name',
    ],
    [
      '{action: Deny, protocol: TCP, destination: {ports: ["90:80"]}}',
      '8:59 error NetworkPolicy shop/guard: port "90:80" is not a port, a range "from:to" or a port name',
    ],
  ])('a Deny with %s is an error, never a Deny that matches nothing', (rule, message) => {
    const r = policy(rule);
    expect(r.fragment.rules.filter((x) => x.type === 'calico-policy')).toEqual([]);
    expect(errors(r.diagnostics)[0]).toBe(message);
  });

  it('the same file with a valid protocol reads the Deny', () => {
    const ok = policy('{action: Deny, protocol: udplite}');
    expect(errors(ok.diagnostics)).toEqual([]);
    expect(ok.fragment.rules.filter((x) => x.type === 'calico-policy')).toHaveLength(1);
  });
});
