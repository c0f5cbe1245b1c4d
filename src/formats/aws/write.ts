// Writer for AWS CLI JSON: describe-security-groups, and the companion exports that place services in groups and subnets.

import { type ExportedFile, type ExportResult, examples, jsonText, sameSet } from '../../export/format';
import { mergeFragments } from '../../import/merge';
import { repairReferences } from '../../model/references';
import type { Service, Workspace } from '../../model/types';
import { kindFromTags, workloadName } from './conventions';
import { awsReader } from './read';
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

/** A role membership as the analysis resolves it: an instance profile stands for its role when known. */

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

/** Interfaces are named from descriptions and kinds from their type: reading back says where a tag must say it. */
const retagInterfaces = (workloads: Workload[], back: Map<string, Service>): boolean => {
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
  return retag;
};

/** What the written files do not carry, service by service. */
const lostInWriting = (ws: Workspace, readBack: Workspace, workloads: Workload[]): string[] => {
  const back = new Map(readBack.services.map((s) => [s.id, s]));
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
  return lost;
};

export const exportAwsSg = (ws: Workspace): ExportResult => {
  const w = new AwsWriter(ws);
  const wls = workloads(w);
  tagNamesAndKinds(wls);
  let files = render(w, wls);
  if (wls.length > READ_BACK_LIMIT) {
    w.notes.add(`${wls.length} services: the written files were not read back to check them`);
  } else {
    let readBack = readBackFiles(files);
    if (retagInterfaces(wls, new Map(readBack.services.map((s) => [s.id, s])))) {
      files = render(w, wls);
      readBack = readBackFiles(files);
    }
    const lost = lostInWriting(ws, readBack, wls);
    if (lost.length > 0) w.notes.add(`what the written files do not carry: ${examples(lost)}`);
  }
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
