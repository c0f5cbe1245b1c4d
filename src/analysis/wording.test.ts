import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS } from '../model/quotas';
import { plural, quotaLine, quotaNoun, subjectName, withNames } from './wording';

describe('wording', () => {
  it.each([
    [
      { quota: 'aws.inbound-rules-per-group', label: 'Inbound rules per security group', used: 4, limit: 5 },
      'sg-app',
      'sg-app: 4 of 5 inbound rules',
    ],
    [
      { quota: 'docker.bridge-ports', label: 'Linux bridge ports', used: 1702, limit: 1023 },
      'weave-mesh',
      'weave-mesh: 1,702 of 1,023 bridge ports',
    ],
    [
      {
        quota: 'aws.reserved-addresses-per-subnet',
        label: 'Addresses in use per subnet (5 reserved)',
        used: 224,
        limit: 251,
      },
      'data-private',
      'data-private: 224 of 251 usable addresses in use',
    ],
    [{ quota: 'x.custom', label: 'Widgets per thing', used: 2, limit: 3 }, 'w', 'w: 2 of 3 widgets per thing'],
  ])('quota line %#', (u, who, line) => {
    expect(quotaLine(u, who)).toBe(line);
  });

  it('every quota of the profile says what it counts', () => {
    for (const d of DEFAULT_QUOTAS) expect(quotaNoun(d.id, d.label), d.id).toBe(d.noun);
    expect(DEFAULT_QUOTAS.filter((d) => d.noun.trim() === '')).toEqual([]);
  });

  it.each([
    ['workspace', 'the workspace'],
    ['cluster:default', 'the cluster'],
    ['region:111122223333/eu-west-1', 'region eu-west-1 of account 111122223333'],
    ['host:ip-10-0-1-11', 'host ip-10-0-1-11'],
    ['project:shop', 'project shop'],
    ['node:n1', 'node n1'],
    ['group:sg-x', 'group:sg-x'],
  ])('subject %s', (id, name) => {
    expect(subjectName(id)).toBe(name);
  });

  it('counts in words', () => {
    expect([plural(1, 'call'), plural(12, 'call'), plural(2, 'segment pair'), plural(1500, 'finding')]).toEqual([
      '1 call',
      '12 calls',
      '2 segment pairs',
      '1,500 findings',
    ]);
  });
});

describe('withNames', () => {
  it('puts the services into shared call texts', () => {
    expect(
      [
        'no ingress rule on sg-batch from the caller (tcp 8080)',
        "The callee's pods are selected; the caller's address is not allowed",
      ].map((t) => withNames(t, 'web', 'catalog')),
    ).toEqual([
      'no ingress rule on sg-batch from web (tcp 8080)',
      "catalog's pods are selected; web's address is not allowed",
    ]);
  });
});
