// Writer for AWS CLI JSON: describe-security-groups, and the companion exports that place services in groups and subnets.

import {
  type ExportedFile,
  type ExportResult,
  formatExtra,
  formatId,
  hexDigest,
  isObj,
  jsonText,
  Notes,
  type Obj,
  sameSet,
} from '../../export/format';
import { mergeFragments } from '../../import/merge';
import { repairReferences } from '../../model/references';
import type {
  PrefixListRule,
  RoleGrantRule,
  RoleTrustRule,
  Segment,
  Service,
  SgPermissionRule,
  TgwAttachmentRule,
  VpcPeeringRule,
  Workspace,
} from '../../model/types';
import { kindFromTags, workloadName } from './conventions';
import { awsReader } from './read';

// What is written: describe-security-groups.json always (every described group and every group that
// owns rules, permissions grouped as imported, new rules joining the permission of their port range);
// and, when the workspace has them, the exports that say where services are — describe-instances
// (groups per interface, subnet, instance profile), describe-network-interfaces (bare interfaces),
// describe-vpcs / -subnets / -vpc-peering-connections / -transit-gateway-attachments, managed prefix
// lists, list-accounts and get-account-authorization-details (roles, trust, sts:AssumeRole grants).
// Only described segments are written; stubs come back as stubs from the references.

type Tags = Record<string, string>;

const strip = (id: string, prefix: string): string => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
const attr = (seg: Segment | undefined, key: string): string | undefined => {
  const v = seg?.attributes?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};
const isStub = (seg: Segment | undefined): boolean => seg?.attributes?.stub === true;
const isV6 = (cidr: string): boolean => cidr.includes(':');
const tagList = (tags: Tags | undefined): { Key: string; Value: string }[] | undefined =>
  tags && Object.keys(tags).length > 0 ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
const sample = (items: string[]): string =>
  `${items.slice(0, 5).join(', ')}${items.length > 5 ? `, … (${items.length} in all)` : ''}`;

/** Copy only the defined values, in the given key order (the CLI prints no nulls). */
const defined = (entries: [string, unknown][]): Obj => {
  const out: Obj = {};
  for (const [k, v] of entries) if (v !== undefined) out[k] = v;
  return out;
};

/** One EC2 instance or bare network interface as it will be written. */
interface Workload {
  svc: Service;
  /** Instance id (i-…) or interface id (eni-…). */
  awsId: string;
  eni: boolean;
  tags: Tags;
  interfaces: { id: string; groups: string[]; subnet?: string }[];
  extra: Obj;
}

class AwsWriter {
  readonly notes = new Notes();
  readonly seg: Map<string, Segment>;
  /** Instance profile of each role, built when first needed. */
  private profiles?: Map<string, Segment>;
  /** Role id → ARN of an instance profile made up for it (instances need one to run as the role). */
  readonly madeProfiles = new Map<string, string>();

  constructor(readonly ws: Workspace) {
    this.seg = new Map(ws.segments.map((s) => [s.id, s]));
  }

  groupId(segId: string): string {
    return attr(this.seg.get(segId), 'groupId') ?? strip(segId, 'group:');
  }

  networkId(segId: string, key: 'vpcId' | 'subnetId'): string {
    return attr(this.seg.get(segId), key) ?? strip(segId, 'network:');
  }

  /** The VPC segment a network segment is or belongs to. */
  vpcOf(segId: string | undefined): string | undefined {
    for (let id = segId, hops = 0; id !== undefined && hops < 8; hops++) {
      const s = this.seg.get(id);
      if (!s) return id.startsWith('network:vpc-') ? id : undefined;
      if (s.attributes?.kind === 'vpc') return s.id;
      id = attr(s, 'vpc') ?? s.parent;
    }
    return undefined;
  }

  accountOf(seg: Segment | undefined): string | undefined {
    const own = attr(seg, 'accountId') ?? attr(seg, 'ownerId');
    if (own) return own;
    const parent = seg?.parent ? this.seg.get(seg.parent) : undefined;
    return parent?.attributes?.kind === 'account' ? attr(parent, 'accountId') : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Security groups and prefix lists

  /** Permissions of one group and direction: kept as imported (`sg:` ids name them), new rules grouped by port range. */
  permissions(groupId: string, direction: 'ingress' | 'egress', rules: SgPermissionRule[]): Obj[] {
    const idPattern = new RegExp(`^sg:${groupId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${direction}:(\\d+):(\\d+)$`);
    const perms = new Map<string, { proto: string; from?: number; to?: number; peers: [number, SgPermissionRule][] }>();
    const shape = (r: SgPermissionRule) => `${r.protocol}/${r.fromPort ?? ''}/${r.toPort ?? ''}`;
    const fresh: SgPermissionRule[] = [];
    for (const r of rules) {
      const m = idPattern.exec(r.id);
      const key = m ? `i${m[1]}` : undefined;
      const p = key ? perms.get(key) : undefined;
      if (!m || !key || (p && shape(r) !== `${p.proto}/${p.from ?? ''}/${p.to ?? ''}`)) {
        fresh.push(r);
        continue;
      }
      if (p) p.peers.push([Number(m[2]), r]);
      else perms.set(key, { proto: r.protocol, from: r.fromPort, to: r.toPort, peers: [[Number(m[2]), r]] });
    }
    const ordered = [...perms.entries()]
      .sort((a, b) => Number(a[0].slice(1)) - Number(b[0].slice(1)))
      .map(([, p]) => p);
    for (const r of fresh) {
      // AWS prints one permission per protocol and port range: a new peer joins the one it matches.
      const p = ordered.find((x) => `${x.proto}/${x.from ?? ''}/${x.to ?? ''}` === shape(r));
      if (p) p.peers.push([Math.max(-1, ...p.peers.map(([k]) => k)) + 1, r]);
      else ordered.push({ proto: r.protocol, from: r.fromPort, to: r.toPort, peers: [[0, r]] });
    }
    return ordered.map((p) => {
      const peers = [...p.peers].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
      const desc = (r: SgPermissionRule) => (r.description !== undefined ? { Description: r.description } : {});
      const v4: Obj[] = [];
      const v6: Obj[] = [];
      const lists: Obj[] = [];
      const pairs: Obj[] = [];
      for (const r of peers) {
        const peer = r.peer;
        if (peer.kind === 'cidr')
          (isV6(peer.cidr) ? v6 : v4).push(
            isV6(peer.cidr) ? { CidrIpv6: peer.cidr, ...desc(r) } : { CidrIp: peer.cidr, ...desc(r) },
          );
        else if (peer.kind === 'prefix-list') lists.push({ PrefixListId: peer.prefixListId, ...desc(r) });
        else {
          pairs.push(
            defined([
              ['Description', r.description],
              ['GroupId', this.groupId(peer.group)],
              ['UserId', peer.userId],
              ['VpcId', peer.vpcId],
              ['VpcPeeringConnectionId', peer.vpcPeeringConnectionId],
            ]),
          );
        }
      }
      return defined([
        ['IpProtocol', p.proto],
        ['FromPort', p.from],
        ['ToPort', p.to],
        ['IpRanges', v4],
        ['Ipv6Ranges', v6],
        ['PrefixListIds', lists],
        ['UserIdGroupPairs', pairs],
      ]);
    });
  }

  /** Every described group, and every group that owns rules. */
  securityGroups(): Obj[] {
    const rulesBy = new Map<string, SgPermissionRule[]>();
    for (const r of this.ws.rules) {
      if (r.type !== 'sg-permission') continue;
      rulesBy.set(r.group, [...(rulesBy.get(r.group) ?? []), r]);
    }
    const ids = [
      ...this.ws.segments
        .filter((s) => s.level === 'group' && (!isStub(s) || rulesBy.has(s.id)) && s.attributes?.kind !== 'prefix-list')
        .map((s) => s.id),
      ...[...rulesBy.keys()].filter((id) => !this.seg.has(id)),
    ];
    return ids.map((segId) => {
      const s = this.seg.get(segId);
      const groupId = this.groupId(segId);
      const rules = rulesBy.get(segId) ?? [];
      const owner = attr(s, 'ownerId') ?? this.accountOf(s);
      const vpc = this.vpcOf(attr(s, 'vpc') ?? s?.parent);
      const region = attr(s, 'region') ?? attr(vpc ? this.seg.get(vpc) : undefined, 'region');
      // Every group has a name in AWS; one known only by id is named by it.
      const name = s && s.name !== groupId ? s.name : (attr(s, 'name') ?? groupId);
      return defined([
        ['Description', typeof s?.attributes?.description === 'string' ? s.attributes.description : undefined],
        ['GroupName', name],
        [
          'IpPermissions',
          this.permissions(
            groupId,
            'ingress',
            rules.filter((r) => r.direction === 'ingress'),
          ),
        ],
        ['OwnerId', owner],
        ['GroupId', groupId],
        [
          'IpPermissionsEgress',
          this.permissions(
            groupId,
            'egress',
            rules.filter((r) => r.direction === 'egress'),
          ),
        ],
        ['Tags', tagList(s?.labels)],
        ['VpcId', vpc ? this.networkId(vpc, 'vpcId') : undefined],
        ['SecurityGroupArn', region && owner ? `arn:aws:ec2:${region}:${owner}:security-group/${groupId}` : undefined],
      ]);
    });
  }

  /**
   * Described prefix lists (`aws:pl-…`) go to one describe-managed-prefix-lists file as pages, with
   * their entries next to them; entries alone (`aws:pl-…:entries`) to get-managed-prefix-list-entries files.
   */
  prefixLists(): ExportedFile[] {
    const lists = this.ws.rules.filter((r): r is PrefixListRule => r.type === 'prefix-list');
    const described = lists.filter((r) => !r.id.endsWith(':entries'));
    const files: ExportedFile[] = [];
    if (described.length > 0) {
      const pages: Obj[] = [
        {
          PrefixLists: described.map((r) =>
            defined([
              ['PrefixListId', r.prefixListId],
              ['PrefixListName', r.name],
              ['MaxEntries', r.maxEntries],
            ]),
          ),
        },
        ...described.map((r) => ({ PrefixListId: r.prefixListId, Entries: r.cidrs.map((Cidr) => ({ Cidr })) })),
      ];
      files.push({ name: 'describe-managed-prefix-lists.json', text: jsonText(pages) });
    }
    for (const r of lists) {
      if (!r.id.endsWith(':entries')) continue;
      if (described.some((d) => d.prefixListId === r.prefixListId)) {
        this.notes.item('prefix-list entries written with their described list', r.id);
        continue;
      }
      files.push({
        name: `get-managed-prefix-list-entries-${r.prefixListId}.json`,
        text: jsonText({ Entries: r.cidrs.map((Cidr) => ({ Cidr })) }),
      });
    }
    return files;
  }

  // -------------------------------------------------------------------------------------------
  // Accounts, VPCs, subnets, peering, transit gateways

  accounts(): Obj[] {
    return this.ws.segments
      .filter((s) => s.level === 'account' && s.attributes?.kind === 'account' && !isStub(s))
      .map((s) => {
        const id = attr(s, 'accountId') ?? strip(s.id, 'account:');
        const org = s.parent ? this.seg.get(s.parent) : undefined;
        const mgmt = attr(org, 'managementAccountId');
        const orgId = attr(org, 'organizationId');
        const arn =
          attr(s, 'arn') ?? (mgmt && orgId ? `arn:aws:organizations::${mgmt}:account/${orgId}/${id}` : undefined);
        return defined([
          ['Id', id],
          ['Arn', arn],
          ['Email', attr(s, 'email')],
          ['Name', s.name],
          ['Status', attr(s, 'status')],
          ['State', attr(s, 'state')],
          ['JoinedMethod', attr(s, 'joinedMethod')],
        ]);
      });
  }

  vpcs(): Obj[] {
    return this.ws.segments
      .filter((s) => s.level === 'network' && s.attributes?.kind === 'vpc' && !isStub(s))
      .map((s) => {
        const cidrs = s.cidrs ?? [];
        const v4 = cidrs.filter((c) => !isV6(c));
        const v6 = cidrs.filter(isV6);
        const region = attr(s, 'region');
        return defined([
          ['CidrBlock', v4[0]],
          ['State', attr(s, 'state')],
          ['VpcId', this.networkId(s.id, 'vpcId')],
          ['OwnerId', this.accountOf(s)],
          [
            'Ipv6CidrBlockAssociationSet',
            v6.map((c) =>
              defined([
                ['Ipv6CidrBlock', c],
                ['Ipv6CidrBlockState', { State: 'associated' }],
                ['NetworkBorderGroup', region],
              ]),
            ),
          ],
          ['CidrBlockAssociationSet', v4.map((c) => ({ CidrBlock: c, CidrBlockState: { State: 'associated' } }))],
          ['IsDefault', typeof s.attributes?.isDefault === 'boolean' ? s.attributes.isDefault : undefined],
          ['Tags', tagList(s.labels)],
        ]);
      });
  }

  subnets(): Obj[] {
    return this.ws.segments
      .filter((s) => s.level === 'network' && s.attributes?.kind === 'subnet' && !isStub(s))
      .map((s) => {
        const cidrs = s.cidrs ?? [];
        const vpc = this.vpcOf(s.id);
        const id = this.networkId(s.id, 'subnetId');
        const account = this.accountOf(s) ?? this.accountOf(vpc ? this.seg.get(vpc) : undefined);
        const region = attr(s, 'region');
        const count = s.attributes?.availableIpAddressCount;
        const mapPublic = s.attributes?.mapPublicIpOnLaunch;
        return defined([
          ['AvailabilityZone', attr(s, 'availabilityZone')],
          ['AvailableIpAddressCount', typeof count === 'number' ? count : undefined],
          ['CidrBlock', cidrs.find((c) => !isV6(c))],
          ['MapPublicIpOnLaunch', typeof mapPublic === 'boolean' ? mapPublic : undefined],
          ['SubnetId', id],
          ['VpcId', vpc ? this.networkId(vpc, 'vpcId') : undefined],
          ['OwnerId', account],
          [
            'Ipv6CidrBlockAssociationSet',
            cidrs.filter(isV6).map((c) => ({ Ipv6CidrBlock: c, Ipv6CidrBlockState: { State: 'associated' } })),
          ],
          ['Tags', tagList(s.labels)],
          ['SubnetArn', region && account ? `arn:aws:ec2:${region}:${account}:subnet/${id}` : undefined],
        ]);
      });
  }

  /** An id the rule names (`aws:pcx-…`), or a stable made-up one for rules from other sources. */
  private awsRuleId(ruleId: string, prefix: string): string {
    const m = new RegExp(`\\b${prefix}-[0-9a-z]+`).exec(ruleId);
    if (m) return m[0];
    this.notes.item(`rules without an AWS id, written with a made-up ${prefix}-… id`, ruleId);
    return `${prefix}-${hexDigest(ruleId, 17)}`;
  }

  private vpcInfo(vpcSeg: string): Obj {
    const s = this.seg.get(vpcSeg);
    const cidrs = s?.cidrs ?? [];
    const v4 = cidrs.filter((c) => !isV6(c));
    const v6 = cidrs.filter(isV6);
    return defined([
      ['CidrBlock', v4[0]],
      ['CidrBlockSet', v4.length > 0 ? v4.map((CidrBlock) => ({ CidrBlock })) : undefined],
      ['Ipv6CidrBlockSet', v6.length > 0 ? v6.map((Ipv6CidrBlock) => ({ Ipv6CidrBlock })) : undefined],
      ['OwnerId', this.accountOf(s)],
      ['VpcId', this.networkId(vpcSeg, 'vpcId')],
      ['Region', attr(s, 'region')],
    ]);
  }

  peerings(): Obj[] {
    return this.ws.rules
      .filter((r): r is VpcPeeringRule => r.type === 'vpc-peering')
      .map((r) =>
        defined([
          ['AccepterVpcInfo', this.vpcInfo(r.accepter)],
          ['RequesterVpcInfo', this.vpcInfo(r.requester)],
          ['Status', r.status !== undefined ? { Code: r.status } : undefined],
          ['VpcPeeringConnectionId', this.awsRuleId(r.id, 'pcx')],
        ]),
      );
  }

  tgwAttachments(): Obj[] {
    return this.ws.rules
      .filter((r): r is TgwAttachmentRule => r.type === 'tgw-attachment')
      .map((r) =>
        defined([
          ['TransitGatewayAttachmentId', this.awsRuleId(r.id, 'tgw-attach')],
          ['TransitGatewayId', r.transitGateway],
          ['ResourceOwnerId', this.accountOf(this.seg.get(r.vpc))],
          ['ResourceType', 'vpc'],
          ['ResourceId', this.networkId(r.vpc, 'vpcId')],
          ['State', r.state],
        ]),
      );
  }

  // -------------------------------------------------------------------------------------------
  // IAM roles (get-account-authorization-details)

  private principalArn(segId: string): string | undefined {
    const s = this.seg.get(segId);
    if (segId.startsWith('account:')) {
      const id = attr(s, 'accountId') ?? strip(segId, 'account:');
      return /^\d{12}$/.test(id) ? `arn:aws:iam::${id}:root` : undefined;
    }
    return attr(s, 'arn') ?? (segId.startsWith('role:aws:') ? strip(segId, 'role:aws:') : undefined);
  }

  /** The trust document as imported, or one statement per trust rule when the rules were changed or are new. */
  private trustDocument(role: Segment, trusts: RoleTrustRule[]): Obj {
    const kept = role.extra?.assumeRolePolicyDocument;
    const fromRules = (base: unknown[]): Obj => ({
      Version: '2012-10-17',
      Statement: [
        ...base,
        ...trusts.flatMap((t) => {
          const arn = this.principalArn(t.principal);
          return arn ? [{ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sts:AssumeRole' }] : [];
        }),
      ],
    });
    if (!isObj(kept)) return fromRules([]);
    const ids = trusts.map((t) => t.id);
    const pattern = `iam:${attr(role, 'arn') ?? ''}:trust:`;
    if (ids.every((id) => id.startsWith(pattern))) return kept;
    // Keep the statements that are not about AWS principals (services, federated), then one per rule.
    const statements = Array.isArray(kept.Statement) ? kept.Statement : [kept.Statement];
    this.notes.item('trust policies rewritten from their role-trust rules', role.id);
    return fromRules(statements.filter((s) => !(isObj(s) && isObj(s.Principal) && 'AWS' in s.Principal)));
  }

  authorization(): Obj | undefined {
    const roles = this.ws.segments.filter((s) => s.level === 'role' && s.attributes?.kind === 'iam-role' && !isStub(s));
    if (roles.length === 0) return undefined;
    const profiles = this.ws.segments.filter(
      (s) => s.attributes?.kind === 'instance-profile' && !isStub(s) && (s.parent || attr(s, 'role')),
    );
    const trustBy = new Map<string, RoleTrustRule[]>();
    const grantBy = new Map<string, RoleGrantRule[]>();
    for (const r of this.ws.rules) {
      if (r.type === 'role-trust') trustBy.set(r.role, [...(trustBy.get(r.role) ?? []), r]);
      if (r.type === 'role-grant') grantBy.set(r.principal, [...(grantBy.get(r.principal) ?? []), r]);
    }
    const managedDocs: Obj[] = [];
    let grantsOnly = false;
    const detail = roles.map((role) => {
      const arn = attr(role, 'arn') ?? strip(role.id, 'role:aws:');
      const managed = Array.isArray(role.attributes?.managedPolicies)
        ? (role.attributes.managedPolicies as unknown[]).filter((x): x is string => typeof x === 'string')
        : [];
      const inlineNames = Array.isArray(role.attributes?.inlinePolicies)
        ? (role.attributes.inlinePolicies as unknown[]).filter((x): x is string => typeof x === 'string')
        : [];
      // sts:AssumeRole grants, by policy and statement as their ids say.
      const statements = new Map<string, Map<number, RoleGrantRule[]>>();
      for (const g of grantBy.get(role.id) ?? []) {
        const m = /:grant:(.+):(\d+):(\d+)$/.exec(g.id);
        const policy = m && g.id.startsWith(`iam:${arn}:`) ? (m[1] as string) : 'segscope-assume-role';
        const byStatement = statements.get(policy) ?? new Map<number, RoleGrantRule[]>();
        statements.set(policy, byStatement);
        const i = m ? Number(m[2]) : 1000 + byStatement.size;
        byStatement.set(i, [...(byStatement.get(i) ?? []), g]);
      }
      const documentOf = (policy: string): Obj => {
        grantsOnly = true;
        const byStatement = statements.get(policy);
        const list = [...(byStatement ?? new Map<number, RoleGrantRule[]>()).entries()]
          .sort((a, b) => a[0] - b[0])
          .flatMap(([, gs]) => {
            const byEffect = new Map<string, string[]>();
            for (const g of gs) {
              const target = this.principalArn(g.target);
              if (!target) {
                this.notes.item('role grants whose target is not an IAM role, left out (IAM grants name roles)', g.id);
                continue;
              }
              byEffect.set(g.effect, [...(byEffect.get(g.effect) ?? []), target]);
            }
            return [...byEffect].map(([Effect, targets]) => ({
              Effect,
              Action: 'sts:AssumeRole',
              Resource: targets.length === 1 ? targets[0] : targets,
            }));
          });
        return { Version: '2012-10-17', Statement: list };
      };
      const managedNamed = (policy: string) => managed.find((m) => m.slice(m.lastIndexOf('/') + 1) === policy);
      const inline = [...inlineNames];
      for (const policy of statements.keys())
        if (!inline.includes(policy) && !managedNamed(policy)) inline.push(policy);
      for (const policy of statements.keys()) {
        const m = managedNamed(policy);
        if (m && !inlineNames.includes(policy)) {
          managedDocs.push({
            PolicyName: policy,
            Arn: m,
            DefaultVersionId: 'v1',
            PolicyVersionList: [{ Document: documentOf(policy), VersionId: 'v1', IsDefaultVersion: true }],
          });
        }
      }
      const path = attr(role, 'path');
      return defined([
        ['Path', path],
        ['RoleName', attr(role, 'roleName') ?? role.name],
        ['Arn', arn],
        ['AssumeRolePolicyDocument', this.trustDocument(role, trustBy.get(role.id) ?? [])],
        [
          'InstanceProfileList',
          profiles
            .filter((p) => (p.parent ?? attr(p, 'role')) === role.id)
            .map((p) =>
              defined([
                ['Path', path],
                ['InstanceProfileName', p.name],
                ['Arn', attr(p, 'arn') ?? strip(p.id, 'role:aws:')],
              ]),
            )
            .concat(
              [this.madeProfiles.get(role.id)].flatMap((made) =>
                made
                  ? [
                      defined([
                        ['Path', path],
                        ['InstanceProfileName', made.slice(made.lastIndexOf('/') + 1)],
                        ['Arn', made],
                      ]),
                    ]
                  : [],
              ),
            ),
        ],
        ['RolePolicyList', inline.map((policy) => ({ PolicyName: policy, PolicyDocument: documentOf(policy) }))],
        [
          'AttachedManagedPolicies',
          managed.map((m) => ({ PolicyName: m.slice(m.lastIndexOf('/') + 1), PolicyArn: m })),
        ],
        ['Tags', tagList(role.labels)],
      ]);
    });
    if (grantsOnly) {
      this.notes.add(
        'IAM policies are written with their sts:AssumeRole statements only: other permissions are not in the workspace',
      );
    }
    return defined([
      ['RoleDetailList', detail],
      ['Policies', managedDocs.length > 0 ? managedDocs : undefined],
    ]);
  }

  // -------------------------------------------------------------------------------------------
  // Instances and network interfaces

  workloads(): Workload[] {
    const out: Workload[] = [];
    const made: string[] = [];
    const unplaced: string[] = [];
    for (const svc of this.ws.services) {
      const id = formatId(svc, 'aws:');
      const groups = (svc.memberships.group ?? []).filter((g) => this.seg.get(g)?.attributes?.kind !== 'prefix-list');
      const net = svc.memberships.network?.[0];
      const netKind = net ? this.seg.get(net)?.attributes?.kind : undefined;
      const aws = id !== undefined || groups.length > 0 || netKind === 'subnet' || netKind === 'vpc';
      if (!aws) {
        unplaced.push(svc.id);
        continue;
      }
      const extra = id !== undefined ? formatExtra(svc, 'aws:') : {};
      const awsId = id !== undefined ? strip(id, 'aws:') : `i-${hexDigest(svc.id, 17)}`;
      if (id === undefined) made.push(svc.id);
      const eni = awsId.startsWith('eni-');
      const kept = Array.isArray(extra.interfaces)
        ? (extra.interfaces as unknown[]).filter(isObj).map((i) => ({
            id: String(i.id),
            groups: Array.isArray(i.groups)
              ? (i.groups as unknown[]).filter((g): g is string => typeof g === 'string')
              : [],
            ...(typeof i.subnet === 'string' ? { subnet: i.subnet } : {}),
          }))
        : [];
      const interfaces =
        kept.length > 0 ? kept : [{ id: eni ? awsId : `eni-${hexDigest(`${svc.id}/eni`, 17)}`, groups: [] }];
      // The memberships decide; the interfaces only say which interface has which group.
      const have = [...new Set(interfaces.flatMap((i) => i.groups))];
      if (
        interfaces.length === 1 &&
        (interfaces[0] as Workload['interfaces'][number]).groups.join() !== groups.join()
      ) {
        (interfaces[0] as Workload['interfaces'][number]).groups = [...groups];
      } else if (!sameSet(have, groups)) {
        for (const i of interfaces) i.groups = i.groups.filter((g) => groups.includes(g));
        const first = interfaces[0] as Workload['interfaces'][number];
        for (const g of groups) if (!interfaces.some((i) => i.groups.includes(g))) first.groups.push(g);
      }
      const subnet = netKind === 'subnet' ? net : undefined;
      const first = interfaces[0] as Workload['interfaces'][number];
      if (subnet && !interfaces.some((i) => i.subnet === subnet)) first.subnet = subnet;
      if (!subnet) for (const i of interfaces) delete i.subnet;
      out.push({ svc, awsId, eni, tags: { ...(svc.labels ?? {}) }, interfaces, extra });
    }
    if (made.length > 0) this.notes.add(`services without an EC2 id get a made-up instance id (i-…): ${sample(made)}`);
    if (unplaced.length > 0) {
      this.notes.add(`services with no AWS id, subnet, VPC or security group are not written: ${sample(unplaced)}`);
    }
    return out;
  }

  /** Addresses spread over the interfaces in the order the reader collects them back. */
  private spread(w: Workload): { v4: string[]; v6: string[] }[] {
    const slots = w.interfaces.map(() => ({ v4: [] as string[], v6: [] as string[] }));
    let at = 0;
    for (const a of w.svc.addresses ?? []) {
      let slot = slots[at] as { v4: string[]; v6: string[] };
      if (!isV6(a) && slot.v6.length > 0 && at + 1 < slots.length) slot = slots[++at] as typeof slot;
      (isV6(a) ? slot.v6 : slot.v4).push(a);
    }
    return slots;
  }

  private nic(w: Workload, i: number, addresses: { v4: string[]; v6: string[] }, publicIp: boolean): Obj {
    const nic = w.interfaces[i] as Workload['interfaces'][number];
    const vpc = this.vpcOf(nic.subnet ?? w.svc.memberships.network?.[0]);
    return defined([
      ['Association', publicIp ? { PublicIp: '0.0.0.0' } : undefined],
      ['NetworkInterfaceId', nic.id],
      ['SubnetId', nic.subnet ? this.networkId(nic.subnet, 'subnetId') : undefined],
      ['VpcId', vpc ? this.networkId(vpc, 'vpcId') : undefined],
      [
        'Groups',
        nic.groups.map((g) => {
          const s = this.seg.get(g);
          const id = this.groupId(g);
          return { GroupName: s && s.name !== id ? s.name : (attr(s, 'name') ?? id), GroupId: id };
        }),
      ],
      ['PrivateIpAddress', addresses.v4[0]],
      ['PrivateIpAddresses', addresses.v4.map((a, k) => ({ Primary: k === 0, PrivateIpAddress: a }))],
      ['Ipv6Addresses', addresses.v6.map((Ipv6Address) => ({ Ipv6Address }))],
    ]);
  }

  /** The instance profile ARN of a role membership: the profile itself, or a profile of the role. */
  private profileArn(w: Workload): string | undefined {
    const roleId = w.svc.memberships.role?.find((id) => id.startsWith('role:aws:'));
    const s = roleId ? this.seg.get(roleId) : undefined;
    if (!roleId) return undefined;
    if (s?.attributes?.kind === 'iam-role') {
      this.profiles ??= new Map(
        this.ws.segments.flatMap((p) =>
          p.attributes?.kind === 'instance-profile' && (p.parent ?? attr(p, 'role'))
            ? [[(p.parent ?? attr(p, 'role')) as string, p]]
            : [],
        ),
      );
      const profile = this.profiles.get(roleId);
      this.notes.add(
        `instances that run as an IAM role are written with its instance profile, which reads back as their role membership (the profile's parent is the role)`,
      );
      if (profile) return attr(profile, 'arn') ?? strip(profile.id, 'role:aws:');
      // EC2 runs a role through an instance profile: one named after the role, as the console makes it.
      const arn = (attr(s, 'arn') ?? strip(roleId, 'role:aws:')).replace(':role/', ':instance-profile/');
      this.madeProfiles.set(roleId, arn);
      this.notes.item('roles without an instance profile get one named after the role', roleId);
      return arn;
    }
    return attr(s, 'arn') ?? strip(roleId, 'role:aws:');
  }

  instances(list: Workload[]): Obj[] {
    const byOwner = new Map<string, Obj[]>();
    for (const w of list) {
      if (w.eni) continue;
      const accountSeg = w.svc.memberships.account?.[0];
      const owner = accountSeg ? (attr(this.seg.get(accountSeg), 'accountId') ?? strip(accountSeg, 'account:')) : '';
      const slots = this.spread(w);
      const net = w.svc.memberships.network?.[0];
      const netKind = net ? this.seg.get(net)?.attributes?.kind : undefined;
      const vpc = this.vpcOf(net);
      const zone = typeof w.extra.availabilityZone === 'string' ? w.extra.availabilityZone : undefined;
      const profile = this.profileArn(w);
      const instance = defined([
        ['InstanceId', w.awsId],
        ['InstanceType', typeof w.extra.instanceType === 'string' ? w.extra.instanceType : undefined],
        ['Placement', zone ? { AvailabilityZone: zone } : undefined],
        ['PrivateIpAddress', slots[0]?.v4[0]],
        ['PublicIpAddress', w.svc.exposed ? '0.0.0.0' : undefined],
        ['State', { Name: typeof w.extra.state === 'string' ? w.extra.state : 'running' }],
        ['SubnetId', net && netKind === 'subnet' ? this.networkId(net, 'subnetId') : undefined],
        ['VpcId', vpc ? this.networkId(vpc, 'vpcId') : undefined],
        ['IamInstanceProfile', profile ? { Arn: profile } : undefined],
        [
          'NetworkInterfaces',
          w.interfaces.map((_, i) => this.nic(w, i, slots[i] as { v4: string[]; v6: string[] }, false)),
        ],
        ['Tags', tagList(w.tags)],
      ]);
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), instance]);
    }
    return [...byOwner].map(([owner, instances]) =>
      defined([
        ['OwnerId', owner || undefined],
        ['Instances', instances],
      ]),
    );
  }

  interfaces(list: Workload[]): Obj[] {
    return list
      .filter((w) => w.eni)
      .map((w) => {
        const accountSeg = w.svc.memberships.account?.[0];
        const nic = this.nic(w, 0, this.spread(w)[0] ?? { v4: [], v6: [] }, w.svc.exposed === true);
        const str = (k: string) => (typeof w.extra[k] === 'string' ? (w.extra[k] as string) : undefined);
        return defined([
          ['Association', nic.Association],
          ['AvailabilityZone', str('availabilityZone')],
          ['Description', str('description')],
          ['Groups', nic.Groups],
          ['InterfaceType', str('interfaceType')],
          ['Ipv6Addresses', nic.Ipv6Addresses],
          ['NetworkInterfaceId', w.awsId],
          [
            'OwnerId',
            accountSeg ? (attr(this.seg.get(accountSeg), 'accountId') ?? strip(accountSeg, 'account:')) : undefined,
          ],
          ['PrivateIpAddress', nic.PrivateIpAddress],
          ['PrivateIpAddresses', nic.PrivateIpAddresses],
          ['RequesterId', str('requesterId')],
          ['RequesterManaged', w.extra.requesterManaged === true ? true : undefined],
          ['SubnetId', nic.SubnetId],
          ['TagSet', tagList(w.tags)],
          ['VpcId', nic.VpcId],
        ]);
      });
  }
}

/** Which files exist: described things first, so that the merge keeps them over the stubs that references make. */
const render = (w: AwsWriter, workloads: Workload[]): ExportedFile[] => {
  // Instances first: they may need instance profiles that the IAM export then lists under their roles.
  const reservations = w.instances(workloads);
  const enis = w.interfaces(workloads);
  const files: ExportedFile[] = [];
  const add = (name: string, value: unknown) => files.push({ name, text: jsonText(value) });
  const accounts = w.accounts();
  if (accounts.length > 0) add('list-accounts.json', { Accounts: accounts });
  const auth = w.authorization();
  if (auth) add('get-account-authorization-details.json', auth);
  const vpcs = w.vpcs();
  if (vpcs.length > 0) add('describe-vpcs.json', { Vpcs: vpcs });
  const subnets = w.subnets();
  if (subnets.length > 0) add('describe-subnets.json', { Subnets: subnets });
  add('describe-security-groups.json', { SecurityGroups: w.securityGroups() });
  files.push(...w.prefixLists());
  const peerings = w.peerings();
  if (peerings.length > 0) add('describe-vpc-peering-connections.json', { VpcPeeringConnections: peerings });
  const tgw = w.tgwAttachments();
  if (tgw.length > 0) add('describe-transit-gateway-attachments.json', { TransitGatewayAttachments: tgw });
  if (reservations.length > 0) add('describe-instances.json', { Reservations: reservations });
  if (enis.length > 0) add('describe-network-interfaces.json', { NetworkInterfaces: enis });
  return files;
};

/** A role membership as the analysis resolves it: an instance profile stands for its role when known. */
const profileParents = new WeakMap<Workspace, Map<string, string>>();
const effectiveRole = (ws: Workspace, ids: string[]): string[] => {
  let parents = profileParents.get(ws);
  if (!parents) {
    parents = new Map(
      ws.segments.flatMap((s) => (s.attributes?.kind === 'instance-profile' && s.parent ? [[s.id, s.parent]] : [])),
    );
    profileParents.set(ws, parents);
  }
  return ids.map((id) => parents.get(id) ?? id);
};

/** The written files read back and merged as the import would merge them. */
const readBackFiles = (files: ExportedFile[]): Workspace =>
  repairReferences(
    mergeFragments(files.map((f) => ({ file: f.name, format: 'aws', fragment: awsReader.read(f).fragment }))).workspace,
  ).workspace;

/** Above this many services the written files are not read back to check them (reading costs as much again). */
export const READ_BACK_LIMIT = 3000;

export const exportAwsSg = (ws: Workspace): ExportResult => {
  const w = new AwsWriter(ws);
  const workloads = w.workloads();
  // The reader names an instance after its tags and guesses its kind from them: tags say what the workspace says.
  for (const wl of workloads) {
    if (wl.eni) continue;
    if (workloadName(wl.tags, wl.awsId) !== wl.svc.name) {
      if (wl.tags.Name === undefined && wl.tags['segscope:service'] === undefined) wl.tags.Name = wl.svc.name;
      else wl.tags['segscope:service'] = wl.svc.name;
    }
    if (kindFromTags(wl.tags) !== wl.svc.kind && wl.svc.kind !== 'service') wl.tags.kind = wl.svc.kind;
  }
  let files = render(w, workloads);
  if (workloads.length > READ_BACK_LIMIT) {
    w.notes.add(`${workloads.length} services: the written files were not read back to check them`);
  } else {
    // Interfaces are named from descriptions and kinds from their type: reading back says where a tag must say it.
    const byId = (list: Service[]) => new Map(list.map((s) => [s.id, s]));
    let readBack = readBackFiles(files);
    let back = byId(readBack.services);
    let retag = false;
    for (const wl of workloads) {
      const got = back.get(`aws:${wl.awsId}`);
      if (!got || !wl.eni) continue;
      if (got.name !== wl.svc.name) {
        wl.tags.Name = wl.svc.name;
        retag = true;
      }
      if (got.kind !== wl.svc.kind && wl.svc.kind !== 'service') {
        wl.tags.kind = wl.svc.kind;
        retag = true;
      }
    }
    if (retag) {
      files = render(w, workloads);
      readBack = readBackFiles(files);
      back = byId(readBack.services);
    }
    const lost: string[] = [];
    for (const wl of workloads) {
      const got = back.get(`aws:${wl.awsId}`);
      if (!got) {
        lost.push(`${wl.svc.id}: not read back`);
        continue;
      }
      if (got.name !== wl.svc.name) lost.push(`${wl.svc.id}: name reads back as ${got.name}`);
      if (got.kind !== wl.svc.kind) lost.push(`${wl.svc.id}: kind reads back as ${got.kind}`);
      if (Boolean(got.exposed) !== Boolean(wl.svc.exposed)) {
        lost.push(`${wl.svc.id}: exposed reads back as ${Boolean(got.exposed)}`);
      }
      for (const level of ['account', 'role', 'network', 'group'] as const) {
        const resolve = (from: Workspace, ids: string[]) => (level === 'role' ? effectiveRole(from, ids) : ids);
        const want = resolve(ws, wl.svc.memberships[level] ?? []).filter((id) => !/^[a-z]+:k8s:/.test(id));
        const have = resolve(readBack, got.memberships[level] ?? []);
        if (!sameSet(want, have)) lost.push(`${wl.svc.id}: ${level} reads back as [${have.join(', ')}]`);
      }
    }
    if (lost.length > 0) w.notes.add(`what the written files do not carry: ${sample(lost)}`);
  }
  if (workloads.some((wl) => wl.svc.exposed)) {
    w.notes.add(
      'public addresses are not in the workspace: exposed instances and interfaces carry the public IP 0.0.0.0 as a marker',
    );
  }
  const other = ws.rules.filter((r) => r.type === 'account-path').map((r) => r.id);
  if (other.length > 0) w.notes.add(`account-path rules have no AWS CLI export: ${sample(other)}`);
  if (ws.calls.length > 0) w.notes.add('calls are not part of AWS exports: they are not written');
  return { files, notes: w.notes.list };
};
