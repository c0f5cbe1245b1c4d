import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { call, seg, sgRule, svc, ws } from '../analysis/testing/build';
import type { Finding } from '../analysis/types';
import { importFiles } from '../import/index';
import type { Workspace } from '../model/types';
import { fixesFor } from './fixes';

const sg = (id: string) => seg(id, 'group', { kind: 'security-group' });
const findingOf = (w: Workspace, key: string): Finding => {
  const f = analyze(w).findings.find((x) => x.key === key);
  if (!f) throw new Error(`no finding ${key}`);
  return f;
};

/**
 * api → db on 5432 is denied at the group level: db's group admits only its own members. Joining
 * db's group costs no rule, but api's interface then carries 2 of 2 groups (DESIGN.md quota: warn
 * at ≥ 80 %); one ingress rule on db's group creates no problem. db's group lets nothing out, so
 * api joining it opens no reach back from db.
 */
const world = (): Workspace =>
  ws({
    services: [
      svc('api', { group: ['group:app'], addresses: ['10.0.1.1'] }),
      svc('db', { group: ['group:db'], addresses: ['10.0.2.1'], ports: [5432] }),
    ],
    segments: [sg('group:app'), sg('group:db')],
    calls: [call('api', 'db', 5432)],
    rules: [
      sgRule('db-self', 'group:db', 'ingress', 'tcp', 'group:db', 5432),
      sgRule('app-out', 'group:app', 'egress', '-1', '0.0.0.0/0'),
    ],
    quotas: { 'aws.groups-per-interface': 2 },
  });

describe('fixes rank by their net effect on the other findings', () => {
  it('a fix that pushes a quota past its warning line ranks below one that costs a rule and creates nothing', () => {
    const w = world();
    const fixes = fixesFor(w, analyze(w), findingOf(w, 'broken-call:api->db:5432/TCP'));
    expect(fixes.map((f) => [f.title, f.closes, f.broken, f.problems.map((p) => p.text), f.opened, f.rules])).toEqual([
      ['add ingress tcp 5432 from app to db', true, 0, [], 0, 1],
      ['add ingress tcp 5432 from app to db and egress on app', true, 0, [], 0, 2],
      // Costs no rule and opens nothing, which ranked it first before problems were counted.
      ['add api to group db', true, 0, ['api: 1 → 2 of 2 security groups on one interface (≥ 80 %)'], 0, 0],
    ]);
  });

  it("the sample's hub fix says it takes sg-app to 5 of 5 inbound rules", () => {
    const sample = importFiles([
      { name: 's.json', text: readFileSync('public/samples/shop-estate.segscope.json', 'utf8') },
    ]).workspace;
    const [best] = fixesFor(sample, analyze(sample), findingOf(sample, 'hub:auth'));
    expect([best?.title, best?.closes, best?.problems]).toEqual([
      'give auth a security group of its own, one rule per caller segment and port',
      true,
      [
        {
          key: 'quota:aws.inbound-rules-per-group:group:sg-app',
          severity: 'warn',
          text: 'sg-app: 4 → 5 of 5 inbound rules (≥ 80 %)',
        },
      ],
    ]);
  });
});
