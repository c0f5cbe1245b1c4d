// Writer for AWS CLI JSON: describe-security-groups, and the companion exports that place services in groups and subnets.

import { type ExportedFile, type ExportResult, examples, jsonText } from '../../export/format';
import type { Workspace } from '../../model/types';
import { interfaceKind, interfaceName, kindFromTags, workloadName } from './conventions';
import { AwsWriter, type Workload } from './write-context';
import { prefixLists, securityGroups } from './write-groups';
import { authorization } from './write-iam';
import { networkAclObjects } from './write-network-acls';
import {
  accountObjects,
  everyVpcKnowsGateways,
  internetGatewayObjects,
  peeringObjects,
  subnetObjects,
  tgwAttachmentObjects,
  vpcObjects,
} from './write-networks';
import { routeTableObjects } from './write-route-tables';
import { tgwRouteTableFiles } from './write-tgw-route-tables';
import { instances, interfaces, workloads } from './write-workloads';

// What is written: describe-security-groups.json always (every described group and every group that
// owns rules, permissions grouped as imported, new rules joining the permission of their port range);
// and, when the workspace has them, the exports that say where services are — describe-instances
// (groups per interface, subnet, instance profile), describe-network-interfaces (bare interfaces),
// describe-vpcs / -subnets / -vpc-peering-connections / -transit-gateway-attachments, managed prefix
// lists, list-accounts and get-account-authorization-details (roles, trust, sts:AssumeRole grants).
// Only described segments are written; stubs come back as stubs from the references.

/** Which files exist: described things first, so that the merge keeps them over the stubs that references make. */
const render = (w: AwsWriter, workloads: Workload[]): ExportedFile[] => {
  // Instances first: they may need instance profiles that the IAM export then lists under their roles.
  const reservations = instances(w, workloads);
  const enis = interfaces(w, workloads);
  const files: ExportedFile[] = [];
  const add = (name: string, value: unknown) => files.push({ name, text: jsonText(value) });
  const accounts = accountObjects(w);
  if (accounts.length > 0) add('list-accounts.json', { Accounts: accounts });
  const auth = authorization(w);
  if (auth) add('get-account-authorization-details.json', auth);
  const vpcs = vpcObjects(w);
  const gateways = internetGatewayObjects(w);
  // A file listing internet gateways says its VPCs without one have none: only when each VPC is known so.
  const together = gateways !== undefined && everyVpcKnowsGateways(w);
  if (vpcs.length > 0)
    add('describe-vpcs.json', together ? { Vpcs: vpcs, InternetGateways: gateways } : { Vpcs: vpcs });
  if (gateways && !together) add('describe-internet-gateways.json', { InternetGateways: gateways });
  const subnets = subnetObjects(w);
  if (subnets.length > 0) add('describe-subnets.json', { Subnets: subnets });
  add('describe-security-groups.json', { SecurityGroups: securityGroups(w) });
  files.push(...prefixLists(w));
  const peerings = peeringObjects(w);
  if (peerings.length > 0) add('describe-vpc-peering-connections.json', { VpcPeeringConnections: peerings });
  const acls = networkAclObjects(w);
  if (acls.length > 0) add('describe-network-acls.json', { NetworkAcls: acls });
  const routeTables = routeTableObjects(w);
  if (routeTables.length > 0) add('describe-route-tables.json', { RouteTables: routeTables });
  const tgw = tgwAttachmentObjects(w);
  if (tgw.length > 0) add('describe-transit-gateway-attachments.json', { TransitGatewayAttachments: tgw });
  files.push(...tgwRouteTableFiles(w));
  if (reservations.length > 0) add('describe-instances.json', { Reservations: reservations });
  if (enis.length > 0) add('describe-network-interfaces.json', { NetworkInterfaces: enis });
  return files;
};

/** The reader names an instance after its tags and guesses its kind from them: tags say what the workspace says. */
const tagNamesAndKinds = (workloads: Workload[]): void => {
  for (const wl of workloads) {
    if (wl.eni) continue;
    if (workloadName(wl.tags, wl.awsId) !== wl.svc.name) {
      if (wl.tags.Name === undefined && wl.tags['segscope:service'] === undefined) wl.tags.Name = wl.svc.name;
      else wl.tags['segscope:service'] = wl.svc.name;
    }
    if (kindFromTags(wl.tags) !== wl.svc.kind && wl.svc.kind !== 'service') wl.tags.kind = wl.svc.kind;
  }
};

/**
 * The reader names a standalone interface from its tags or description and guesses its kind from its type
 * and description (conventions.ts): a tag says the name or kind where those would not.
 */
const tagInterfaces = (workloads: Workload[]): void => {
  const enis = workloads.filter((wl) => wl.eni);
  const descriptionOf = (wl: Workload) => (typeof wl.extra.description === 'string' ? wl.extra.description : '');
  const sharing = new Map<string, number>();
  for (const wl of enis) {
    const d = descriptionOf(wl);
    if (d) sharing.set(d, (sharing.get(d) ?? 0) + 1);
  }
  for (const wl of enis) {
    const d = descriptionOf(wl);
    const type = typeof wl.extra.interfaceType === 'string' ? wl.extra.interfaceType : undefined;
    // Empty tags are not written: the reader sees none.
    const tags = Object.keys(wl.tags).length > 0 ? { ...wl.tags } : undefined;
    if (interfaceName(tags, d, wl.awsId, sharing.get(d) ?? 0) !== wl.svc.name) wl.tags.Name = wl.svc.name;
    if (interfaceKind(tags, type, d) !== wl.svc.kind && wl.svc.kind !== 'service') wl.tags.kind = wl.svc.kind;
  }
};

export const exportAwsSg = (ws: Workspace): ExportResult => {
  const w = new AwsWriter(ws);
  const wls = workloads(w);
  tagNamesAndKinds(wls);
  tagInterfaces(wls);
  const files = render(w, wls);
  if (wls.some((wl) => wl.svc.exposed)) {
    w.notes.add(
      'public addresses are not in the workspace: exposed instances and interfaces carry the public IP 0.0.0.0 as a marker',
    );
  }
  const other = ws.rules.filter((r) => r.type === 'account-path').map((r) => r.id);
  if (other.length > 0) w.notes.add(`account-path rules have no AWS CLI export: ${examples(other)}`);
  if (ws.calls.length > 0) w.notes.add('calls are not part of AWS exports: they are not written');
  return { files, notes: w.notes.list };
};
