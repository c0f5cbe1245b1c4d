// AWS CLI JSON exports (and collector bundles) in FORMATS: accounts, IAM roles, VPCs, subnets, internet gateways, network ACLs and route tables, security groups, instances and interfaces.
import type { Format } from '../types';
import { awsReader } from './read';
import { exportAwsSg } from './write';

export const awsFormat: Format = {
  ...awsReader,
  noun: 'AWS CLI',
  levels: ['account', 'role', 'network', 'group'],
  write: {
    name: 'aws-sg',
    label: 'AWS CLI JSON (security groups and placement)',
    write: exportAwsSg,
    syntax: 'json',
    readsBack: true,
  },
  samples: [
    'aws/list-accounts.json',
    'aws/get-account-authorization-details.json',
    'aws/describe-vpcs.json',
    'aws/describe-subnets.json',
    'aws/describe-vpc-peering-connections.json',
    'aws/describe-security-groups.json',
    'aws/get-managed-prefix-list-entries-pl-0c47f1b2a9e3d5687.json',
    'aws/describe-instances.json',
    'aws/describe-network-interfaces.json',
    'aws-nacl/describe-vpcs.json',
    'aws-nacl/describe-subnets.json',
    'aws-nacl/describe-network-acls.json',
    'aws-nacl/describe-instances.json',
    'aws-routes/describe-vpc-peering-connections.json',
    'aws-routes/describe-route-tables.json',
    'aws-tgw/describe-transit-gateway-attachments.json',
    'aws-tgw/describe-transit-gateway-route-tables.json',
    'aws-tgw/search-transit-gateway-routes-tgw-rtb-0e70000000000a301.json',
    'aws-bundle/collector-bundle.json',
    'aws-bundle/describe-route-tables.json',
  ],
  notes:
    'describe-security-groups and the exports that place services: accounts, IAM roles, VPCs, subnets, internet gateways, network ACLs and route tables (network), security groups (group); also a cloud resource collector\'s bundle (provider "aws").',
};
