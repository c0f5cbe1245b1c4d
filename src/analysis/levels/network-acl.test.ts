import { describe, expect, it } from 'vitest';
import type { NetworkAclEntry, NetworkAclRule, Rule, Service, Workspace } from '../../model/types';
import { reach } from '../reach';
import { at, seg, svc, ws } from '../testing/build';
import { type Expected, levelVerdict } from '../testing/verdict';

// Semantics followed (AWS VPC User Guide, "Control subnet traffic with network access control lists"):
// - "Network ACL rules are evaluated by rule number, from lowest to highest ... As soon as a rule matches
//   traffic, it's applied regardless of any higher-numbered rule that might contradict it"; the final `*`
//   rule denies what no numbered rule matched (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html).
// - "Network ACLs are stateless, which means that responses to allowed inbound traffic are subject to the rules
//   for outbound traffic (and vice versa)"; responses go to the client's ephemeral ports, which vary by
//   client (Linux 32768-60999, Windows 49152-65535, NAT gateways and load balancers 1024-65535): "you can
//   open ephemeral ports 1024-65535" (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html),
//   the default range; a workspace sets its own (`settings.ephemeralPorts`).
// - Network ACLs filter traffic entering and leaving a subnet, not traffic routed within it; a subnet not
//   explicitly associated with an ACL uses its VPC's default ACL.

type E = [number, 'in' | 'out', 'allow' | 'deny', string, string?, [number, number]?];
const entry = ([ruleNumber, dir, action, cidr, protocol = '6', ports]: E): NetworkAclEntry => {
  const e: NetworkAclEntry = { ruleNumber, egress: dir === 'out', action, protocol, cidr, source: at() };
  if (ports) [e.fromPort, e.toPort] = ports;
  return e;
};
const acl = (id: string, subnets: string[], entries: E[], isDefault = false): NetworkAclRule => {
  const r: NetworkAclRule = {
    id,
    type: 'network-acl',
    level: 'network',
    aclId: id,
    vpc: 'network:vpc-a',
    subnets,
    entries: [
      ...entries,
      [32767, 'in', 'deny', '0.0.0.0/0', '-1'] as E,
      [32767, 'out', 'deny', '0.0.0.0/0', '-1'] as E,
    ].map(entry),
    source: at(),
  };
  if (isDefault) r.isDefault = true;
  return r;
};
const ALL_IN: E = [100, 'in', 'allow', '0.0.0.0/0', '-1'];
const ALL_OUT: E = [100, 'out', 'allow', '0.0.0.0/0', '-1'];

const segments = () => [
  seg('network:vpc-a', 'network', { kind: 'vpc', cidrs: ['10.0.0.0/16'] }),
  seg('network:subnet-1', 'network', { kind: 'subnet', parent: 'network:vpc-a', cidrs: ['10.0.1.0/24'] }),
  seg('network:subnet-2', 'network', { kind: 'subnet', parent: 'network:vpc-a', cidrs: ['10.0.2.0/24'] }),
];
const services = (): Service[] => [
  svc('aws:a', { network: ['network:subnet-1'], addresses: ['10.0.1.10'] }),
  svc('aws:a2', { network: ['network:subnet-1'], addresses: ['10.0.1.11'] }),
  svc('aws:b', { network: ['network:subnet-2'], addresses: ['10.0.2.20'] }),
  svc('aws:nb', { network: ['network:subnet-2'] }),
];
const w = (rules: Rule[]): Workspace => ws({ services: services(), segments: segments(), rules });

/** a's subnet lets everything through both ways; b's subnet has `entries`. */
const toB = (entries: E[]): Workspace =>
  w([acl('acl-1', ['network:subnet-1'], [ALL_IN, ALL_OUT]), acl('acl-2', ['network:subnet-2'], entries)]);

describe('network ACLs (network level)', () => {
  it.each<[string, Workspace, string, number, Expected]>([
    ['open ACLs allow', toB([ALL_IN, ALL_OUT]), 'aws:b', 5432, { verdict: 'allow', rule: 'network:vpc-a' }],
    [
      'the lowest-numbered matching rule decides: deny 90 before allow 100',
      toB([[90, 'in', 'deny', '10.0.1.0/24', '6', [5432, 5432]], ALL_IN, ALL_OUT]),
      'aws:b',
      5432,
      { verdict: 'deny', rule: 'acl-2' },
    ],
    [
      'an allow numbered lower than a deny wins',
      toB([
        [80, 'in', 'allow', '10.0.1.10/32', '6', [5432, 5432]],
        [90, 'in', 'deny', '10.0.0.0/16', '-1'],
        ALL_IN,
        ALL_OUT,
      ]),
      'aws:b',
      5432,
      { verdict: 'allow', rule: 'network:vpc-a' },
    ],
    [
      'a rule for another port does not match: the final * denies',
      toB([[100, 'in', 'allow', '0.0.0.0/0', '6', [443, 443]], ALL_OUT]),
      'aws:b',
      5432,
      { verdict: 'deny', rule: 'acl-2' },
    ],
    [
      'a rule for another peer does not match',
      toB([[100, 'in', 'allow', '10.0.3.0/24', '-1'], ALL_OUT]),
      'aws:b',
      5432,
      { verdict: 'deny', rule: 'acl-2' },
    ],
    [
      'stateless: request allowed in, response blocked out of the target subnet',
      toB([ALL_IN, [100, 'out', 'allow', '0.0.0.0/0', '6', [1, 1023]]]),
      'aws:b',
      5432,
      { verdict: 'deny', rule: 'acl-2' },
    ],
    [
      'the response needs every ephemeral port: 49152-65535 (Windows) leaves other clients blocked',
      toB([ALL_IN, [100, 'out', 'allow', '0.0.0.0/0', '6', [49152, 65535]]]),
      'aws:b',
      5432,
      { verdict: 'deny', rule: 'acl-2' },
    ],
    [
      'responses on 1024-65535 cover the ephemeral ports',
      toB([
        [100, 'in', 'allow', '10.0.1.0/24', '6', [5432, 5432]],
        [100, 'out', 'allow', '10.0.1.0/24', '6', [1024, 65535]],
      ]),
      'aws:b',
      5432,
      { verdict: 'allow', rule: 'network:vpc-a' },
    ],
    [
      'UDP needs its own rules: TCP rules do not carry it',
      toB([
        [100, 'in', 'allow', '0.0.0.0/0', '6', [1, 65535]],
        [100, 'out', 'allow', '0.0.0.0/0', '6', [1, 65535]],
      ]),
      'aws:b',
      53,
      { verdict: 'deny', rule: 'acl-2' },
    ],
    ['same subnet: no network ACL is crossed', toB([]), 'aws:a2', 5432, { verdict: 'allow', rule: 'network:vpc-a' }],
    [
      'a peer of unknown address meets a rule whose CIDR holds its whole subnet',
      w([
        acl('acl-1', ['network:subnet-1'], [ALL_IN, ALL_OUT]),
        acl(
          'acl-2',
          ['network:subnet-2'],
          [
            [100, 'in', 'allow', '10.0.1.0/24', '-1'],
            [100, 'out', 'allow', '10.0.1.0/24', '-1'],
          ],
        ),
      ]),
      'aws:nb',
      5432,
      { verdict: 'allow', rule: 'network:vpc-a' },
    ],
  ])('%s', (_name, workspace, to, port, expected) => {
    const protocol = port === 53 ? 'UDP' : 'TCP';
    expect(levelVerdict(workspace, 'aws:a', to, 'network', port, protocol)).toEqual(expected);
  });

  it("checks the source subnet's outbound rules and inbound responses too", () => {
    const out = w([
      acl('acl-1', ['network:subnet-1'], [ALL_IN, [100, 'out', 'allow', '10.0.2.0/24', '6', [443, 443]]]),
      acl('acl-2', ['network:subnet-2'], [ALL_IN, ALL_OUT]),
    ]);
    expect(levelVerdict(out, 'aws:a', 'aws:b', 'network', 5432)).toEqual({ verdict: 'deny', rule: 'acl-1' });
    expect(levelVerdict(out, 'aws:a', 'aws:b', 'network', 443)).toEqual({ verdict: 'allow', rule: 'network:vpc-a' });
    const back = w([
      acl('acl-1', ['network:subnet-1'], [[100, 'in', 'allow', '0.0.0.0/0', '6', [1, 1023]], ALL_OUT]),
      acl('acl-2', ['network:subnet-2'], [ALL_IN, ALL_OUT]),
    ]);
    const v = reach(back, 'aws:a', 'aws:b', 443).levels.network;
    expect(v.verdict).toBe('deny');
    expect(v.rule?.id).toBe('acl-1');
    expect(v.reason).toMatch(/^The request is allowed .* but the response is blocked: on acl-1 \(subnet-1\)/);
  });

  it('says "request allowed, response blocked" apart from a blocked request, with the deciding rule and its line', () => {
    const blockedResponse = toB([ALL_IN, [100, 'out', 'allow', '0.0.0.0/0', '6', [1, 1023]]]);
    const v = reach(blockedResponse, 'aws:a', 'aws:b', 5432).levels.network;
    expect(v.reason).toBe(
      'The request is allowed (tcp 5432 passes the network ACLs on the way in), but the response is blocked: on acl-2 (subnet-2) no numbered rule allows, so the final * rule denies outbound tcp 1024-65535 to a, the ports a response returns to (network ACLs are stateless).',
    );
    expect(v.rule?.summary).toBe('acl-2 outbound rule *: deny tcp 1024-65535 to a');
    expect(v.fix).toBe('add an outbound allow rule for tcp 1024-65535 to 10.0.1.10/32 on acl-2');

    const explicit = toB([[90, 'in', 'deny', '10.0.1.0/24', '6', [5432, 5432]], ALL_IN, ALL_OUT]);
    const d = reach(explicit, 'aws:a', 'aws:b', 5432).levels.network;
    expect(d.reason).toBe('On acl-2 (subnet-2) rule 90 denies inbound tcp 5432 from a.');
    expect(d.rule?.summary).toBe('acl-2 inbound rule 90: deny tcp 5432 from a');
    expect(d.rule?.source?.line).toBe(
      explicit.rules[1]?.type === 'network-acl' ? explicit.rules[1].entries[0]?.source?.line : -1,
    );
  });

  it('without a port: allows the connections both ways let through, denies when none', () => {
    const some = reach(toB([[100, 'in', 'allow', '0.0.0.0/0', '6', [443, 443]], ALL_OUT]), 'aws:a', 'aws:b');
    expect(some.levels.network.verdict).toBe('allow');
    expect(some.connections).toEqual(['TCP 443']);
    const none = reach(toB([ALL_IN]), 'aws:a', 'aws:b');
    expect(none.levels.network.verdict).toBe('deny');
    expect(none.reachable).toBe(false);
  });

  it("a subnet no ACL names uses its VPC's default ACL; with none known the level does not restrict", () => {
    const inbound: E[] = [
      [100, 'in', 'allow', '0.0.0.0/0', '6', [443, 443]],
      [110, 'in', 'allow', '0.0.0.0/0', '6', [1024, 65535]],
    ];
    const viaDefault = w([acl('acl-default', [], [...inbound, ALL_OUT], true)]);
    expect(levelVerdict(viaDefault, 'aws:a', 'aws:b', 'network', 22)).toEqual({
      verdict: 'deny',
      rule: 'acl-default',
    });
    expect(levelVerdict(viaDefault, 'aws:a', 'aws:b', 'network', 443)).toEqual({
      verdict: 'allow',
      rule: 'network:vpc-a',
    });
    const unknown = w([acl('acl-other', ['network:subnet-9'], [])]);
    expect(levelVerdict(unknown, 'aws:a', 'aws:b', 'network', 5432)).toEqual({
      verdict: 'allow',
      rule: 'network:vpc-a',
    });
  });

  it('a damaged entry kept by the reader denies everything at its place (never widens)', () => {
    const damaged = toB([ALL_IN, ALL_OUT]);
    const rule = damaged.rules[1] as NetworkAclRule;
    rule.entries.unshift({ ...entry([50, 'in', 'deny', '0.0.0.0/0', '-1']), damaged: true });
    expect(levelVerdict(damaged, 'aws:a', 'aws:b', 'network', 443)).toEqual({ verdict: 'deny', rule: 'acl-2' });
  });

  it('takes the ephemeral range from the workspace settings: a Linux-only estate needs 32768-60999 only', () => {
    const linuxOut = toB([ALL_IN, [100, 'out', 'allow', '10.0.1.0/24', '6', [32768, 60999]]]);
    expect(levelVerdict(linuxOut, 'aws:a', 'aws:b', 'network', 5432)).toEqual({ verdict: 'deny', rule: 'acl-2' });
    const linux = { ...linuxOut, settings: { ephemeralPorts: { from: 32768, to: 60999 } } };
    expect(levelVerdict(linux, 'aws:a', 'aws:b', 'network', 5432)).toEqual({ verdict: 'allow', rule: 'network:vpc-a' });
    const narrower = toB([ALL_IN, [100, 'out', 'allow', '10.0.1.0/24', '6', [32768, 40000]]]);
    const v = reach({ ...narrower, settings: linux.settings }, 'aws:a', 'aws:b', 5432).levels.network;
    expect(v.rule?.summary).toBe('acl-2 outbound rule *: deny tcp 32768-60999 to a'); // the whole range a response may use
    // A range that is not one (to below from) is not used: the default stands.
    const bad = { ...linuxOut, settings: { ephemeralPorts: { from: 60999, to: 32768 } } };
    expect(levelVerdict(bad, 'aws:a', 'aws:b', 'network', 5432)).toEqual({ verdict: 'deny', rule: 'acl-2' });
  });
});
