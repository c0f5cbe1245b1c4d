import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../import';
import type { Workspace } from '../model/types';
import { analyze } from './analyze';
import { groupFindings } from './finding-groups';
import { topProblems } from './top-problems';

const sample = JSON.parse(readFileSync('public/samples/shop-estate.segscope.json', 'utf8')) as Workspace;

const top = (ws: Workspace) => {
  const a = analyze(ws);
  return topProblems(a, ws, groupFindings(a.findings, ws, 'group')).map((s) => [
    s.kind,
    s.items.map((i) => `${i.glyph} ${i.text} [${i.segments.join(' ')}|${i.services.join(' ')}|${i.level ?? ''}]`),
    s.more,
  ]);
};

describe('topProblems (DESIGN.md: "top problems" first — over-quota segments, most-broken pairs, biggest hubs)', () => {
  it('the sample: broken pairs, then the quotas near their limit, then hubs', () => {
    expect(top(sample)).toEqual([
      [
        'broken-pair',
        [
          '✕ sg-batch → sg-db: 1 broken call [group:sg-batch group:sg-db|orders db-orders|group]',
          '✕ shop_front → shop_back: 1 broken call [overlay:shop_front overlay:shop_back|web search|overlay]',
        ],
        0,
      ],
      [
        'quota-warn',
        [
          '△ data-private: 224 of 251 usable addresses in use (89 %) [network:subnet-data||network]',
          '△ sg-app: 4 of 5 inbound rules (80 %) [group:sg-app||group]',
        ],
        0,
      ],
      ['hub', ['★ auth: called by 7 services (50 %) [|auth|]'], 0],
      ['group-hub', ['★ sg-app: referenced by 3 groups, 3 rules [group:sg-app||group]'], 0],
    ]);
  });

  it('a segment over its quota comes first, and near-limit ones are then left to the list', () => {
    const tight = top({ ...sample, quotas: { 'aws.inbound-rules-per-group': 3 } });
    expect(tight[0]).toEqual(['quota', ['▲ sg-app: 4 of 3 inbound rules (133 %) [group:sg-app||group]'], 0]);
    expect(tight.map((s) => s[0])).toEqual(['quota', 'broken-pair', 'hub', 'group-hub']);
  });

  it('shows two of a kind and counts the rest', () => {
    // A zero limit puts every group over its inbound-rules quota.
    const ws: Workspace = { ...sample, quotas: { 'aws.inbound-rules-per-group': 0 } };
    const over = analyze(ws).quotas.filter((u) => u.state === 'error').length;
    const [kind, items, more] = top(ws)[0] ?? [];
    expect([kind, (items as string[]).length, more]).toEqual(['quota', 2, over - 2]);
    expect(over).toBeGreaterThan(2);
  });

  it('an AWS estate without calls: the group its groups all admit is a hub', () => {
    const dir = 'e2e/fixtures/aws-bastion';
    const ws = importFiles(
      readdirSync(dir).map((f) => ({ name: f, text: readFileSync(`${dir}/${f}`, 'utf8') })),
    ).workspace;
    expect(ws.calls).toEqual([]);
    expect(top(ws)).toEqual([
      ['group-hub', ['★ bastion-sg: referenced by 8 groups, 8 rules [group:sg-0d1e2f3a4b5c60001||group]'], 0],
    ]);
  });
});
