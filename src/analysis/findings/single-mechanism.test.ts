import { describe, expect, it } from 'vitest';
import { seg, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const world = (secondVpc: boolean) =>
  ws({
    services: [
      svc('aws:a', { group: ['group:1'], network: ['network:v1'], account: ['account:1'] }),
      svc('aws:b', { group: ['group:2'], network: [secondVpc ? 'network:v2' : 'network:v1'], account: ['account:1'] }),
      svc('aws:c', { group: ['group:3'], network: ['network:v1'], account: ['account:1'] }),
    ],
    segments: [
      seg('group:1', 'group'),
      seg('group:2', 'group'),
      seg('group:3', 'group'),
      seg('network:v1', 'network', { kind: 'vpc' }),
      seg('network:v2', 'network', { kind: 'vpc' }),
      seg('account:1', 'account', { kind: 'account' }),
    ],
  });

describe('single-mechanism', () => {
  it('fires when one level segments and the others are flat', () => {
    expect(findingsOf(world(false), 'single-mechanism').map((f) => [f.key, f.message])).toEqual([
      [
        'single-mechanism:group',
        'Segmentation rests on the group level alone (3 segments); account, network put every service in one segment.',
      ],
    ]);
  });

  it('is silent when two levels segment', () => {
    expect(findingsOf(world(true), 'single-mechanism')).toEqual([]);
  });
});
