import { describe, expect, it } from 'vitest';
import { seg, sgRule, svc, ws } from '../testing/build';
import { findingsOf } from '../testing/findings';

const withRules = (n: number, quotas?: Record<string, number>) =>
  ws({
    services: [svc('aws:db', { group: ['group:db'] })],
    segments: [seg('group:db', 'group', { kind: 'security-group', name: 'sg-db' })],
    rules: Array.from({ length: n }, (_, i) => sgRule(`in-${i}`, 'group:db', 'ingress', 'tcp', `10.0.${i}.0/24`, 5432)),
    ...(quotas ? { quotas } : {}),
  });

describe('quota', () => {
  it.each([
    [48, 'warn', '48 of 60 inbound rules (80 %)'],
    [61, 'error', '61 of 60 inbound rules (102 %): over the limit'],
  ])('%i inbound rules: %s', (n, severity, figures) => {
    const f = findingsOf(withRules(n), 'quota').filter((x) => x.key === 'quota:aws.inbound-rules-per-group:group:db');
    expect(f.map((x) => [x.severity, x.message, x.figures])).toEqual([
      [severity, `sg-db: ${figures}.`, { used: n, limit: 60, quota: 'aws.inbound-rules-per-group' }],
    ]);
  });

  it('uses the workspace overrides and stays silent below 80 %', () => {
    expect(findingsOf(withRules(47), 'quota')).toEqual([]);
    expect(findingsOf(withRules(61, { 'aws.inbound-rules-per-group': 200 }), 'quota')).toEqual([]);
  });
});
