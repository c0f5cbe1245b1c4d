import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze';
import { call, seg, sgRule, svc, ws } from '../analysis/testing/build';
import type { Finding } from '../analysis/types';
import { applyCommand } from '../model/commands';
import type { Workspace } from '../model/types';
import { fixesFor } from './fixes';
import { groupHubConsolidated } from './group-hub-fixes';
import { describePlan } from './plan';

const sg = (id: string) => seg(id, 'group', { kind: 'security-group' });

/**
 * DESIGN.md hub ("their rule cost") at the group level: a monitoring group every group admits. Four
 * groups each admit it on tcp 9100 (one rule each), a fifth on tcp 5432; four more services sit in
 * a group of their own. `crowded` puts a's interface in three groups (one more reaches the
 * groups-per-interface warning line, 4 of 5).
 */
const world = (crowded = false): Workspace => {
  const apps = ['a', 'b', 'c', 'd'];
  return ws({
    services: [
      svc('mon', { group: ['group:mon'], addresses: ['10.0.0.1'] }),
      ...apps.map((n, k) =>
        svc(n, {
          group: crowded && n === 'a' ? ['group:a', 'group:x', 'group:y'] : [`group:${n}`],
          addresses: [`10.0.1.${k + 1}`],
          ports: [9100],
        }),
      ),
      svc('db', { group: ['group:db'], addresses: ['10.0.2.1'], ports: [5432] }),
      ...[1, 2, 3, 4].map((k) => svc(`o${k}`, { group: ['group:other'], addresses: [`10.0.3.${k}`] })),
    ],
    segments: [sg('group:mon'), ...apps.map((n) => sg(`group:${n}`)), sg('group:db'), sg('group:other')].concat(
      crowded ? [sg('group:x'), sg('group:y')] : [],
    ),
    calls: [...apps.map((n) => call('mon', n, 9100)), call('mon', 'db', 5432)],
    rules: [
      ...apps.map((n) => sgRule(`${n}-scrape`, `group:${n}`, 'ingress', 'tcp', 'group:mon', 9100)),
      sgRule('db-mon', 'group:db', 'ingress', 'tcp', 'group:mon', 5432),
      sgRule('mon-out', 'group:mon', 'egress', '-1', '0.0.0.0/0'),
    ],
  });
};

const hubFinding = (w: Workspace): Finding => {
  const f = analyze(w).findings.find((x) => x.key === 'hub:group:group:mon');
  if (!f) throw new Error('no group hub');
  return f;
};

describe('fixesFor: a group-level hub', () => {
  it('the four groups admitting mon on 9100 share one group holding that rule once; reach is unchanged', () => {
    const w = world();
    const fixes = fixesFor(w, analyze(w), hubFinding(w));
    expect(fixes.map((f) => [f.title, f.closes, f.broken, f.opened, f.closed, f.rules, f.problems])).toEqual([
      [
        'let groups naming mon by one same grant share 1 group holding it once: 5 → 2 rules naming mon',
        true,
        0,
        0,
        0,
        1,
        [],
      ],
    ]);
    expect(describePlan(w, fixes[0]?.commands ?? [])).toEqual([
      'create group segment from-mon-9100',
      'add from-mon-9100 ingress tcp 9100 from mon',
      'add a to group from-mon-9100',
      'add b to group from-mon-9100',
      'add c to group from-mon-9100',
      'add d to group from-mon-9100',
      'remove a ingress tcp 9100 from mon',
      'remove b ingress tcp 9100 from mon',
      'remove c ingress tcp 9100 from mon',
      'remove d ingress tcp 9100 from mon',
    ]);
    const after = (fixes[0]?.commands ?? []).reduce(applyCommand, w);
    expect([groupHubConsolidated(w, 'group:mon'), groupHubConsolidated(after, 'group:mon')]).toEqual([false, true]);
  });

  it('a group whose member would reach the groups-per-interface warning line keeps its own rule: the fix says it does not close', () => {
    const w = world(true);
    const [best] = fixesFor(w, analyze(w), hubFinding(w));
    expect([best?.title, best?.closes, best?.broken, best?.problems]).toEqual([
      'let groups naming mon by one same grant share 1 group holding it once: 5 → 3 rules naming mon',
      false,
      0,
      [],
    ]);
    expect(describePlan(w, best?.commands ?? []).filter((l) => l.startsWith('remove'))).toEqual([
      'remove b ingress tcp 9100 from mon',
      'remove c ingress tcp 9100 from mon',
      'remove d ingress tcp 9100 from mon',
    ]);
  });
});
