// describe-network-acls as the AWS writer writes it: each network ACL with its entries and subnet associations.
import type { Obj } from '../../export/format';
import type { NetworkAclEntry, NetworkAclRule } from '../../model/types';
import { type AwsWriter, defined } from './write-context';
import { awsRuleId } from './write-networks';

const entryObject = (e: NetworkAclEntry): Obj =>
  defined([
    [e.cidr.includes(':') ? 'Ipv6CidrBlock' : 'CidrBlock', e.cidr],
    ['Egress', e.egress],
    ['PortRange', e.fromPort !== undefined ? { From: e.fromPort, To: e.toPort ?? e.fromPort } : undefined],
    ['Protocol', e.protocol],
    ['RuleAction', e.action],
    ['RuleNumber', e.ruleNumber],
  ]);

export const networkAclObjects = (w: AwsWriter): Obj[] =>
  w.ws.rules
    .filter((r): r is NetworkAclRule => r.type === 'network-acl')
    .map((r) => {
      const id = awsRuleId(w, r.id, 'acl');
      const damaged = r.entries.filter((e) => e.damaged).length;
      if (damaged > 0)
        w.notes.item('network ACL entries that could not be read, written as the deny-all they are taken as', id);
      return defined([
        [
          'Associations',
          r.subnets.map((s, i) => ({
            NetworkAclAssociationId: `aclassoc-${id.slice(4)}${i}`,
            NetworkAclId: id,
            SubnetId: w.networkId(s, 'subnetId'),
          })),
        ],
        ['Entries', r.entries.map(entryObject)],
        ['IsDefault', r.isDefault === true],
        ['NetworkAclId', id],
        ['Tags', r.name ? [{ Key: 'Name', Value: r.name }] : []],
        ['VpcId', r.vpc ? w.networkId(r.vpc, 'vpcId') : undefined],
        ['OwnerId', r.vpc ? w.accountOf(w.seg.get(r.vpc)) : undefined],
      ]);
    });
