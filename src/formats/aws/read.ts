// Reader for AWS CLI JSON exports (EC2, Organizations, IAM), alone, combined in one object, as a list of pages, or a collector's bundle.

import { type ParsedFile, parseFile } from '../../import/parse';
import type { FileInput, FormatReader, ReadResult } from '../../import/types';
import { AwsBuilder, isObj, type Obj, type Path, parseInput, str } from './builder';
import { readSecurityGroups } from './groups';
import { type AuthorizationSections, readAccounts, readAuthorizationDetails } from './iam';
import { readInstances, readNetworkInterfaces, readReservations } from './instances';
import { readNetworkAcls } from './network-acls';
import {
  readInternetGateways,
  readPeerings,
  readPrefixLists,
  readSubnets,
  readTgwAttachments,
  readVpcs,
} from './networks';
import { readRouteTables } from './route-tables';
import { emptyKnown, type Known } from './segments';
import { readTgwRoutes, readTgwRouteTables } from './tgw-route-tables';

/** The top-level keys the supported commands print, each holding a list. */
export const AWS_SECTIONS = [
  'SecurityGroups',
  'Reservations',
  'NetworkInterfaces',
  'Vpcs',
  'Subnets',
  'VpcPeeringConnections',
  'TransitGatewayAttachments',
  'NetworkAcls',
  'RouteTables',
  'TransitGatewayRouteTables',
  'Routes',
  'InternetGateways',
  'Instances',
  'PrefixLists',
  'Entries',
  'Accounts',
  'RoleDetailList',
  'UserDetailList',
  'GroupDetailList',
  'Policies',
] as const;
type Section = (typeof AWS_SECTIONS)[number];

/** Keys the CLI prints alongside the data (pagination) or that qualify another key. */
const SIDE_KEYS = new Set([
  'NextToken',
  'IsTruncated',
  'Marker',
  'ResponseMetadata',
  'PrefixListId',
  'TransitGatewayRouteTableId',
  'AdditionalRoutesAvailable',
]);

/**
 * A cloud resource collector's bundle (np-guard cloud-resource-collector, `-provider aws`): one object
 * with `provider: "aws"` and the AWS SDK's shapes under snake_case keys, instances without their
 * reservations. Each key is read as the CLI section it holds.
 */
const BUNDLE_KEYS: Record<string, Section> = {
  vpcs: 'Vpcs',
  subnets: 'Subnets',
  security_groups: 'SecurityGroups',
  network_acls: 'NetworkAcls',
  internet_gateways: 'InternetGateways',
  instances: 'Instances',
  route_tables: 'RouteTables',
};
const BUNDLE_SIDE_KEYS = new Set(['provider', 'collector_version', 'regions']);

const isBundle = (v: unknown): v is Obj =>
  isObj(v) &&
  typeof v.provider === 'string' &&
  v.provider.toLowerCase() === 'aws' &&
  Object.keys(BUNDLE_KEYS).some((k) => Array.isArray(v[k]));

/** Keys that other formats use too: alone they are only AWS when their items look like AWS items. */
const LOOKS: Partial<Record<Section, string[]>> = {
  Entries: ['Cidr'],
  Policies: ['PolicyName', 'Arn', 'PolicyId'],
  Accounts: ['Id', 'Arn'],
  Instances: ['InstanceId'],
  // search-transit-gateway-routes: `Routes` alone is a common word, so its items must look like TGW routes.
  Routes: ['TransitGatewayAttachments', 'TransitGatewayRouteTableAnnouncementId', 'PrefixListId'],
  InternetGateways: ['InternetGatewayId'],
};

const isAwsPage = (v: unknown): v is Obj => {
  if (!isObj(v) || 'segscope' in v || 'format_version' in v || 'apiVersion' in v || 'services' in v) return false;
  const present = AWS_SECTIONS.filter((k) => Array.isArray(v[k]));
  if (present.length === 0) return false;
  if (present.length > 1) return true;
  const only = present[0] as Section;
  const want = LOOKS[only];
  const first = (v[only] as unknown[])[0];
  if (only === 'Routes' && ('AdditionalRoutesAvailable' in v || 'TransitGatewayRouteTableId' in v)) return true;
  if (first === undefined) return !want || only !== 'Routes';
  return !want || (isObj(first) && want.some((k) => k in first));
};

const TEXT_HINT = new RegExp(`^\\s*\\[?\\s*\\{\\s*"(${AWS_SECTIONS.join('|')})"\\s*:`);

const detect = (file: FileInput, parsed: unknown): boolean => {
  if (parsed === undefined) return TEXT_HINT.test(file.text.slice(0, 4096));
  if (Array.isArray(parsed)) return parsed.length > 0 && parsed.every(isAwsPage);
  return isAwsPage(parsed) || isBundle(parsed);
};

type Located = { value: unknown; path: Path; page: Obj };

const read = (file: FileInput, source: ParsedFile = parseFile(file)): ReadResult => {
  const parsed = parseInput(file, source);
  const b = new AwsBuilder(file.name, parsed.locate);
  b.diagnostics.push(...parsed.diagnostics);
  if (parsed.value === undefined) return b.finish();
  const pages: [unknown, Path][] = Array.isArray(parsed.value)
    ? parsed.value.map((p, i) => [p, [i]])
    : [[parsed.value, []]];
  const sections = new Map<Section, Located[]>();
  const unknownKeys = new Set<string>();
  for (const [page, path] of pages) {
    if (!isObj(page)) {
      b.diag(path, 'expected an object as printed by the AWS CLI; skipped');
      continue;
    }
    const more =
      typeof page.NextToken === 'string' ? 'NextToken' : page.IsTruncated === true ? 'IsTruncated' : undefined;
    if (more) {
      b.diag(
        [...path, more],
        'this export is one page of several: run the command without --max-items (or join the pages) to see everything',
        'warn',
      );
    }
    const bundle = isBundle(page);
    for (const [key, value] of Object.entries(page)) {
      const section = bundle ? BUNDLE_KEYS[key] : (AWS_SECTIONS as readonly string[]).includes(key) ? key : undefined;
      if (section) {
        const list = sections.get(section as Section) ?? [];
        list.push({ value, path: [...path, key], page });
        sections.set(section as Section, list);
      } else if (!(bundle ? BUNDLE_SIDE_KEYS : SIDE_KEYS).has(key) && !unknownKeys.has(key)) {
        unknownKeys.add(key);
        b.diag([...path, key], `key "${key}" is not an AWS export segscope reads; ignored`, 'info');
      }
    }
  }
  const get = (k: Section): Located[] => sections.get(k) ?? [];
  const known = gatherKnown(get);
  for (const s of get('Accounts')) readAccounts(b, s.value, s.path);
  const auth: AuthorizationSections = {
    roles: get('RoleDetailList'),
    policies: get('Policies'),
    users: get('UserDetailList'),
    groups: get('GroupDetailList'),
  };
  readAuthorizationDetails(b, auth);
  for (const s of get('Vpcs')) readVpcs(b, s.value, s.path);
  readInternetGateways(b, get('InternetGateways'), describedVpcs(get('Vpcs')));
  for (const s of get('Subnets')) readSubnets(b, s.value, s.path);
  for (const s of get('SecurityGroups')) readSecurityGroups(b, known, s.value, s.path);
  for (const s of get('VpcPeeringConnections')) readPeerings(b, s.value, s.path);
  for (const s of get('TransitGatewayAttachments')) readTgwAttachments(b, s.value, s.path);
  for (const s of get('NetworkAcls')) readNetworkAcls(b, s.value, s.path);
  for (const s of get('RouteTables')) readRouteTables(b, s.value, s.path);
  for (const s of get('TransitGatewayRouteTables')) readTgwRouteTables(b, s.value, s.path);
  readTgwRoutes(b, get('Routes'), file.name);
  const fromName = /\bpl-[0-9a-z]+/i.exec(file.name)?.[0];
  readPrefixLists(
    b,
    get('PrefixLists'),
    get('Entries').map((e) => ({ ...e, prefixListId: str(e.page, 'PrefixListId') ?? fromName })),
  );
  for (const s of get('Reservations')) readReservations(b, known, s.value, s.path);
  for (const s of get('Instances')) readInstances(b, known, s.value, s.path);
  for (const s of get('NetworkInterfaces')) readNetworkInterfaces(b, known, s.value, s.path);
  return b.finish();
};

/** The VPCs the file describes, by id, where each is. */
const describedVpcs = (lists: Located[]): Map<string, Path> => {
  const out = new Map<string, Path>();
  for (const s of lists) {
    if (!Array.isArray(s.value)) continue;
    s.value.forEach((v, i) => {
      const id = isObj(v) ? str(v, 'VpcId') : undefined;
      if (id && !out.has(id)) out.set(id, [...s.path, i]);
    });
  }
  return out;
};

/** What the file describes, so references resolve whatever order the keys come in. */
const gatherKnown = (get: (k: Section) => Located[]): Known => {
  const known = emptyKnown();
  for (const s of get('SecurityGroups')) {
    if (!Array.isArray(s.value)) continue;
    for (const g of s.value) {
      const id = isObj(g) ? str(g, 'GroupId') : undefined;
      if (id && isObj(g)) known.groups.set(id, str(g, 'OwnerId'));
    }
  }
  for (const s of get('Subnets')) {
    if (!Array.isArray(s.value)) continue;
    for (const n of s.value) {
      const id = isObj(n) ? str(n, 'SubnetId') : undefined;
      if (id) known.subnets.add(id);
    }
  }
  known.iam = get('RoleDetailList').length > 0;
  return known;
};

export const awsReader: FormatReader = {
  id: 'aws',
  label: 'AWS CLI export',
  detect,
  read,
};
