// One security-group permission from its parts: the constructor the synthesizer, the fixes and the test builders share.
import type { SgPeer, SgPermissionRule } from './types';

export interface SgPermissionParts {
  id: string;
  /** Segment id of the group the rule belongs to. */
  group: string;
  direction: 'ingress' | 'egress';
  /** 'tcp' | 'udp' | 'icmp' | '-1' (all) | a protocol number as text. */
  protocol: string;
  peer: SgPeer;
  /** From and to port; none for every port. */
  ports?: readonly [number, number];
  description?: string;
}

/** The rule, with its port keys only when the permission has ports (as AWS lists it). */
export const sgPermission = (p: SgPermissionParts): SgPermissionRule => {
  const r: SgPermissionRule = {
    id: p.id,
    type: 'sg-permission',
    level: 'group',
    group: p.group,
    direction: p.direction,
    protocol: p.protocol,
    peer: p.peer,
  };
  if (p.description !== undefined) r.description = p.description;
  if (p.ports) {
    r.fromPort = p.ports[0];
    r.toPort = p.ports[1];
  }
  return r;
};
