import { describe, expect, it } from 'vitest';
import { call, seg, sgRule, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const world = (ingressPort: number) =>
  ws({
    services: [svc('aws:api', { group: ['group:app'] }), svc('aws:db', { group: ['group:db'] })],
    segments: [
      seg('group:app', 'group', { kind: 'security-group', name: 'sg-app' }),
      seg('group:db', 'group', { kind: 'security-group', name: 'sg-db' }),
    ],
    calls: [call('aws:api', 'aws:db', 5432), call('aws:api', 'aws:db', 5432)],
    rules: [
      sgRule('out', 'group:app', 'egress', '-1', '0.0.0.0/0'),
      sgRule('in', 'group:db', 'ingress', 'tcp', 'group:app', ingressPort),
    ],
  });

describe('broken-call', () => {
  it('names the level, the rule and the rule to add (once per distinct call)', () => {
    expect(findingsOf(world(3306), 'broken-call')).toEqual([
      {
        id: 'broken-call',
        key: 'broken-call:aws:api->aws:db:5432/TCP',
        severity: 'error',
        level: 'group',
        services: ['aws:api', 'aws:db'],
        segments: ['group:db'],
        message:
          'The call api → db:5432 is denied at the group level: No ingress rule on sg-db allows tcp 5432 from api into db.',
        fix: 'add ingress tcp 5432 from sg-app to sg-db',
        rule: {
          id: 'group:db',
          type: 'membership',
          summary: 'no ingress rule on sg-db from api (tcp 5432)',
          source: { file: 'test.yaml', line: expect.any(Number), column: 1 },
        },
      },
    ]);
  });

  it('is silent when every call gets through', () => {
    expect(findingsOf(world(5432), 'broken-call')).toEqual([]);
  });
});
