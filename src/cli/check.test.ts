import { describe, expect, it } from 'vitest';
import { check } from './check';
import { main } from './main';
import { fakeIo } from './testing';

const ESTATE = 'public/samples/shop-estate.segscope.json';
const V2 = 'public/samples/compose/v2-front-back.yml';

describe('segscope check', () => {
  it('prints findings as JSON and exits 1 on errors', async () => {
    const { io, out, err } = fakeIo();
    expect(await check([ESTATE, '--json'], io)).toBe(1);
    expect(err).toEqual([]);
    const r = JSON.parse(out.join(''));
    expect(Object.keys(r)).toEqual(['findings', 'counts', 'diagnostics']);
    const broken = r.findings.filter((f: { id: string }) => f.id === 'broken-call');
    expect(broken.map((f: { key: string; level: string; fix: string }) => [f.key, f.level, f.fix])).toEqual([
      ['broken-call:orders->db-orders:5432/TCP', 'group', 'add ingress tcp 5432 from sg-batch to sg-db'],
      ['broken-call:web->search:9200/TCP', 'overlay', 'attach web to network shop_back (or search to shop_front)'],
    ]);
    expect(r.counts.error).toBe(2);
    expect(r.counts.error + r.counts.warn + r.counts.info).toBe(r.findings.length);
  });

  it('fails on warnings only with --fail-on warn', async () => {
    expect(await check([V2], fakeIo().io)).toBe(0);
    const { io, out } = fakeIo();
    expect(await check([V2, '--fail-on', 'warn'], io)).toBe(0);
    expect(out.join('').split('\n').at(-1)).toBe('0 errors, 0 warnings, 4 info');
    expect(await check(['public/samples/compose/v1-proxy-app-db.yml', '--fail-on', 'warn'], fakeIo().io)).toBe(1);
  });

  it('prints readable text with the rule and the fix', async () => {
    const { io, out } = fakeIo();
    await check([ESTATE], io);
    const lines = out.join('').split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'error broken-call [group]: The call orders → db-orders:5432 is denied at the group level: No ingress rule on sg-db allows tcp 5432 from orders into db-orders.',
      '      rule: no ingress rule on sg-db from orders (tcp 5432)',
      '      fix: add ingress tcp 5432 from sg-batch to sg-db',
    ]);
  });

  it('rejects bad options and is registered in main', async () => {
    const { io, err } = fakeIo();
    expect(await main(['check', ESTATE, '--fail-on', 'info'], io)).toBe(2);
    expect(err.join('')).toContain('--fail-on takes error or warn');
    expect(await main(['check', 'no/such/file.yaml'], fakeIo().io)).toBe(2);
  });
});
