// Terraform in FORMATS: reads `terraform show -json` state with AWS resources (network ACLs, routes, transit gateways too); writes security groups as HCL.
import type { Format } from '../types';
import { terraformReader } from './read';
import { exportTerraform } from './write';

export const terraformFormat: Format = {
  ...terraformReader,
  noun: 'Terraform JSON',
  levels: ['account', 'role', 'network', 'group'],
  write: {
    name: 'terraform',
    label: 'Terraform (security groups, HCL)',
    write: exportTerraform,
    syntax: 'hcl',
    readsBack: false,
  },
  samples: ['aws/terraform-state.json', 'terraform/nacls-and-routes.json', 'terraform/tgw-route-tables.json'],
  notes:
    'Reads AWS resources of `terraform show -json` (network ACLs, route tables and transit gateway route tables included); writes aws_security_group and per-peer rule resources as HCL, which segscope does not read back.',
};
