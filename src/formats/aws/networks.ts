// aws ec2 describe-vpcs, -subnets, -vpc-peering-connections, -transit-gateway-attachments and managed prefix lists.
import {
  type AwsBuilder,
  arnPart,
  bool,
  eachObject,
  isObj,
  num,
  type Obj,
  type Path,
  regionFromZone,
  str,
  tagMap,
} from './builder';
import { addSubnet, addVpc } from './segments';

/** Associated CIDR blocks only: disassociated ones no longer route. */
const associated = (list: unknown, key: string, stateKey: string): string[] => {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const a of list) {
    if (!isObj(a)) continue;
    const cidr = str(a, key);
    const state = isObj(a[stateKey]) ? str(a[stateKey] as Obj, 'State') : undefined;
    if (cidr && (state === undefined || state === 'associated')) out.push(cidr);
  }
  return out;
};

export const readVpcs = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'Vpcs', (v, p) => {
    const vpcId = str(v, 'VpcId');
    if (!vpcId) return b.diag(p, 'VPC without VpcId; skipped');
    const v4 = associated(v.CidrBlockAssociationSet, 'CidrBlock', 'CidrBlockState');
    const primary = str(v, 'CidrBlock');
    if (primary && !v4.includes(primary)) v4.unshift(primary);
    const v6 = associated(v.Ipv6CidrBlockAssociationSet, 'Ipv6CidrBlock', 'Ipv6CidrBlockState');
    const border = Array.isArray(v.Ipv6CidrBlockAssociationSet)
      ? v.Ipv6CidrBlockAssociationSet.map((a) => (isObj(a) ? str(a, 'NetworkBorderGroup') : undefined)).find(Boolean)
      : undefined;
    const attributes: Obj = {};
    const isDefault = bool(v, 'IsDefault');
    if (isDefault !== undefined) attributes.isDefault = isDefault;
    const state = str(v, 'State');
    if (state) attributes.state = state;
    addVpc(
      b,
      {
        vpcId,
        accountId: str(v, 'OwnerId'),
        // A collector's bundle adds the region it collected the VPC in.
        region: str(v, 'Region') ?? regionFromZone(border),
        cidrs: [...v4, ...v6],
        tags: tagMap(v.Tags),
        attributes,
      },
      p,
    );
  });

export const readSubnets = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'Subnets', (s, p) => {
    const subnetId = str(s, 'SubnetId');
    if (!subnetId) return b.diag(p, 'subnet without SubnetId; skipped');
    const v4 = str(s, 'CidrBlock');
    const v6 = associated(s.Ipv6CidrBlockAssociationSet, 'Ipv6CidrBlock', 'Ipv6CidrBlockState');
    const attributes: Obj = {};
    const mapPublic = bool(s, 'MapPublicIpOnLaunch');
    if (mapPublic !== undefined) attributes.mapPublicIpOnLaunch = mapPublic;
    const arn = str(s, 'SubnetArn');
    addSubnet(
      b,
      {
        subnetId,
        vpcId: str(s, 'VpcId'),
        accountId: str(s, 'OwnerId') ?? arnPart(arn, 'account'),
        region: arnPart(arn, 'region'),
        zone: str(s, 'AvailabilityZone'),
        cidrs: [...(v4 ? [v4] : []), ...v6],
        availableIpAddressCount: num(s, 'AvailableIpAddressCount'),
        tags: tagMap(s.Tags),
        attributes,
      },
      p,
    );
  });

const peeringSide = (b: AwsBuilder, side: unknown, path: Path): string | undefined => {
  if (!isObj(side)) return undefined;
  const cidrs = [
    ...(Array.isArray(side.CidrBlockSet) ? side.CidrBlockSet : [])
      .map((c) => (isObj(c) ? str(c, 'CidrBlock') : undefined))
      .filter((c): c is string => c !== undefined),
    ...(Array.isArray(side.Ipv6CidrBlockSet) ? side.Ipv6CidrBlockSet : [])
      .map((c) => (isObj(c) ? str(c, 'Ipv6CidrBlock') : undefined))
      .filter((c): c is string => c !== undefined),
  ];
  const primary = str(side, 'CidrBlock');
  if (primary && !cidrs.includes(primary)) cidrs.unshift(primary);
  return b.vpc(str(side, 'VpcId'), { accountId: str(side, 'OwnerId'), region: str(side, 'Region'), cidrs }, path);
};

export const readPeerings = (b: AwsBuilder, value: unknown, path: Path): void =>
  eachObject(b, value, path, 'VpcPeeringConnections', (c, p) => {
    const id = str(c, 'VpcPeeringConnectionId');
    const requester = peeringSide(b, c.RequesterVpcInfo, [...p, 'RequesterVpcInfo']);
    const accepter = peeringSide(b, c.AccepterVpcInfo, [...p, 'AccepterVpcInfo']);
    if (!id || !requester || !accepter) {
      return b.diag(p, 'peering connection without VpcPeeringConnectionId or both VPC ids; skipped');
    }
    const status = isObj(c.Status) ? str(c.Status, 'Code') : undefined;
    b.rule(
      {
        id: `aws:${id}`,
        type: 'vpc-peering',
        level: 'network',
        requester,
        accepter,
        ...(status ? { status } : {}),
        source: b.at(p),
      },
      p,
    );
  });

export const readTgwAttachments = (b: AwsBuilder, value: unknown, path: Path): void => {
  const otherTypes = new Map<string, Path>();
  eachObject(b, value, path, 'TransitGatewayAttachments', (a, p) => {
    const id = str(a, 'TransitGatewayAttachmentId');
    const tgw = str(a, 'TransitGatewayId');
    const type = str(a, 'ResourceType') ?? 'vpc';
    if (!id || !tgw) return b.diag(p, 'transit gateway attachment without its ids; skipped');
    if (type !== 'vpc') {
      if (!otherTypes.has(type)) otherTypes.set(type, p);
      return;
    }
    b.account(str(a, 'TransitGatewayOwnerId'), p);
    const vpc = b.vpc(str(a, 'ResourceId'), { accountId: str(a, 'ResourceOwnerId') }, p);
    if (!vpc) return b.diag(p, `${id} names no ResourceId; skipped`);
    const state = str(a, 'State');
    // The route table the attachment's traffic is routed by (describe-transit-gateway-attachments `Association`).
    const association = isObj(a.Association) ? a.Association : undefined;
    const associated = association && (str(association, 'State') ?? 'associated') === 'associated';
    const routeTable = associated ? str(association, 'TransitGatewayRouteTableId') : undefined;
    b.rule(
      {
        id: `aws:${id}`,
        type: 'tgw-attachment',
        level: 'network',
        transitGateway: tgw,
        vpc,
        ...(state ? { state } : {}),
        ...(routeTable ? { routeTable } : {}),
        source: b.at(p),
      },
      p,
    );
  });
  for (const [type, p] of otherTypes) {
    b.diag(p, `transit gateway attachments of type "${type}" are not modelled (only VPC attachments are)`, 'info');
  }
};

/** CIDRs of a `get-managed-prefix-list-entries` list. */
const entryCidrs = (b: AwsBuilder, value: unknown, path: Path): string[] => {
  const out: string[] = [];
  eachObject(b, value, path, 'Entries', (e, p) => {
    const cidr = str(e, 'Cidr');
    if (cidr) out.push(cidr);
    else b.diag(p, 'prefix list entry without Cidr; skipped', 'warn');
  });
  return out;
};

/**
 * describe-managed-prefix-lists names lists without their entries; get-managed-prefix-list-entries has
 * entries without the list id, which comes from a `PrefixListId` key next to `Entries` or the file name.
 */
export const readPrefixLists = (
  b: AwsBuilder,
  lists: { value: unknown; path: Path }[],
  entries: { value: unknown; path: Path; prefixListId?: string | undefined }[],
): void => {
  const described: string[] = [];
  const listPaths: Path[] = [];
  for (const l of lists) {
    eachObject(b, l.value, l.path, 'PrefixLists', (pl, p) => {
      const id = str(pl, 'PrefixListId');
      if (!id) return b.diag(p, 'prefix list without PrefixListId; skipped');
      described.push(id);
      listPaths.push(p);
    });
  }
  const byId = new Map<string, string[]>();
  for (const e of entries) {
    const id = e.prefixListId ?? (described.length === 1 ? described[0] : undefined);
    if (!id) {
      b.diag(
        e.path,
        'prefix list entries without a list id: name the file after the list (pl-….json) or add "PrefixListId" next to "Entries"',
      );
      continue;
    }
    byId.set(id, [...(byId.get(id) ?? []), ...entryCidrs(b, e.value, e.path)]);
  }
  let missingEntries: Path | undefined;
  for (const l of lists) {
    eachObject(b, l.value, l.path, 'PrefixLists', (pl, p) => {
      const id = str(pl, 'PrefixListId');
      if (!id) return;
      const inline = pl.Entries !== undefined ? entryCidrs(b, pl.Entries, [...p, 'Entries']) : undefined;
      const cidrs = inline ?? byId.get(id);
      if (cidrs === undefined && !missingEntries) missingEntries = p;
      byId.delete(id);
      const name = str(pl, 'PrefixListName');
      const maxEntries = num(pl, 'MaxEntries');
      b.rule(
        {
          id: `aws:${id}`,
          type: 'prefix-list',
          level: 'group',
          prefixListId: id,
          ...(name ? { name } : {}),
          cidrs: cidrs ?? [],
          ...(maxEntries !== undefined ? { maxEntries } : {}),
          source: b.at(p),
        },
        p,
      );
    });
  }
  if (missingEntries) {
    b.diag(
      missingEntries,
      'describe-managed-prefix-lists lists no entries: add get-managed-prefix-list-entries output per list to know their CIDRs',
      'info',
    );
  }
  // Entries of a list this file does not describe: their own rule, with an id that cannot collide with the list's.
  for (const e of entries) {
    const id = e.prefixListId ?? (described.length === 1 ? described[0] : undefined);
    const cidrs = id ? byId.get(id) : undefined;
    if (!id || !cidrs) continue;
    byId.delete(id);
    b.rule(
      { id: `aws:${id}:entries`, type: 'prefix-list', level: 'group', prefixListId: id, cidrs, source: b.at(e.path) },
      e.path,
    );
  }
};

/** Attachment states that carry traffic: describe-internet-gateways prints `available` for an attached gateway. */
const IGW_ATTACHED = new Set(['available', 'attached']);

/**
 * describe-internet-gateways (a collector bundle's `internet_gateways`): the gateways attached to each VPC,
 * kept on the VPC as `internetGateways`. A file that lists internet gateways also says that each VPC it
 * describes and no gateway attaches has none (`[]`): nothing in it reaches the internet.
 */
export const readInternetGateways = (
  b: AwsBuilder,
  lists: readonly { value: unknown; path: Path }[],
  described: ReadonlyMap<string, Path>,
): void => {
  if (lists.length === 0) return;
  const byVpc = new Map<string, { ids: string[]; path: Path; accountId: string | undefined }>();
  for (const l of lists) {
    eachObject(b, l.value, l.path, 'InternetGateways', (g, p) => {
      const id = str(g, 'InternetGatewayId');
      if (!id) return b.diag(p, 'internet gateway without InternetGatewayId; skipped');
      eachObject(b, g.Attachments, [...p, 'Attachments'], 'Attachments', (a, ap) => {
        const vpcId = str(a, 'VpcId');
        const state = str(a, 'State');
        if (!vpcId || (state !== undefined && !IGW_ATTACHED.has(state))) return;
        const at = byVpc.get(vpcId) ?? { ids: [], path: ap, accountId: str(g, 'OwnerId') };
        if (!at.ids.includes(id)) at.ids.push(id);
        byVpc.set(vpcId, at);
      });
    });
  }
  setInternetGateways(b, byVpc, described);
};

/** The gateways attached to each VPC on the VPC (`internetGateways`); a described VPC none attaches gets `[]`. */
export const setInternetGateways = (
  b: AwsBuilder,
  byVpc: ReadonlyMap<string, { ids: string[]; path: Path; accountId: string | undefined }>,
  described: ReadonlyMap<string, Path>,
): void => {
  const vpcs = new Map<string, Path>(described);
  for (const [vpcId, at] of byVpc) if (!vpcs.has(vpcId)) vpcs.set(vpcId, at.path);
  for (const [vpcId, p] of vpcs) {
    const id = b.vpc(vpcId, { accountId: byVpc.get(vpcId)?.accountId }, p);
    const seg = id ? b.getSegment(id) : undefined;
    if (!seg) continue;
    const internetGateways = byVpc.get(vpcId)?.ids ?? [];
    b.segment({ ...seg, attributes: { ...seg.attributes, internetGateways } }, seg.attributes?.stub === true);
  }
};
