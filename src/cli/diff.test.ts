import { describe, expect, it } from 'vitest';
import { diff, parseDiffArgs } from './diff';
import { main } from './main';
import { fakeIo } from './testing';

const BEFORE = 'src/analysis/testdata/connlist/before';
const AFTER = 'src/analysis/testdata/connlist/after';

// after/: a CronJob `report` is added; backend no longer admits ops on metrics; db also admits the
// batch tier; frontend's DNS egress is UDP only.
describe('segscope diff', () => {
  it('prints added, removed and changed pairs, each marked when a peer is new', async () => {
    const { io, out, err } = fakeIo();
    expect(await diff([BEFORE, '--to', AFTER], io)).toBe(0);
    expect(err).toEqual([`segscope diff: note: skipped ${BEFORE}/README.md (not .yaml, .yml or .json)`]);
    expect(out.join('\n').split('\n')).toEqual([
      // the three source ranges of before and after all reach report: joined into one entry
      'added: 0.0.0.0-255.255.255.255 => shop/report : all (new peer)',
      'added: ops/monitor => shop/report : all (new peer)',
      'added: shop/backend => shop/report : all (new peer)',
      'added: shop/frontend => shop/report : UDP 53 (new peer)',
      'added: shop/report => 0.0.0.0-255.255.255.255 : all (new peer)',
      'added: shop/report => ops/monitor : all (new peer)',
      'added: shop/report => shop/db : TCP 5432 (new peer)',
      'removed: ops/monitor => shop/backend : TCP 9100',
      'changed: shop/frontend => 0.0.0.0-255.255.255.255 : TCP 53,UDP 53 -> UDP 53',
      'changed: shop/frontend => ops/monitor : TCP 53,UDP 53 -> UDP 53',
      '7 added, 1 removed, 2 changed, 8 unchanged',
    ]);
  });

  it('--json gives the documented shape; --exit-code exits 1 when something differs', async () => {
    const { io, out } = fakeIo();
    expect(await main(['diff', BEFORE, '--json', '--to', AFTER, '--exit-code'], io)).toBe(1);
    const d = JSON.parse(out.join(''));
    expect(Object.keys(d)).toEqual(['added', 'removed', 'changed', 'unchanged']);
    expect(d.removed).toEqual([{ from: 'ops/monitor', to: 'shop/backend', ports: ['TCP 9100'], peers: 'both' }]);
    expect(d.changed[0]).toEqual({
      from: 'shop/frontend',
      to: '0.0.0.0-255.255.255.255',
      before: ['TCP 53', 'UDP 53'],
      after: ['UDP 53'],
      peers: 'both',
    });
    expect(d.added).toHaveLength(7);
    expect(d.unchanged).toBe(8);
    const same = fakeIo();
    expect(await main(['diff', AFTER, '--to', AFTER, '--exit-code'], same.io)).toBe(0);
    // 21 lines of after/, the three source ranges to monitor and to report each joined into one.
    expect(same.out).toEqual(['no difference (17 unchanged)']);
  });

  it('parses BEFORE... --to AFTER... with flags anywhere', () => {
    expect(parseDiffArgs(['a', 'b', '--to', 'c', '--json', 'd'])).toEqual({
      before: ['a', 'b'],
      after: ['c', 'd'],
      json: true,
      exitCode: false,
    });
    expect(parseDiffArgs(['a', '--to=c'])).toEqual({ before: ['a'], after: ['c'], json: false, exitCode: false });
  });

  it.each([
    [['a', 'b'], 'give the changed files after --to'],
    [['--to', 'b'], 'name at least one BEFORE file or directory'],
    [['a', '--to'], 'name at least one AFTER file or directory after --to'],
    [['a', '--to', 'b', '--to', 'c'], '--to may be given once'],
    [['a', '--to', 'b', '--fast'], 'unknown option --fast'],
  ])('usage error for %j', async (args, message) => {
    const { io, err } = fakeIo();
    expect(await main(['diff', ...args], io)).toBe(2);
    expect(err[0]).toBe(
      `segscope diff: ${message}\nusage: segscope diff BEFORE... --to AFTER... [--json] [--exit-code] [--ephemeral-ports 1024-65535]`,
    );
  });

  // AWS VPC User Guide, "Ephemeral ports". BEFORE lacks the calls file, so it has no range of its own
  // (1024-65535, which data-nacl's `*` deny cuts); AFTER's settings say Linux clients (32768-60999).
  // The flag puts one range on both sides, so the diff shows only what the files change.
  it('--ephemeral-ports puts one NACL response range on both sides', async () => {
    const dir = 'public/samples/aws-nacl';
    const before = [
      'describe-instances.json',
      'describe-network-acls.json',
      'describe-subnets.json',
      'describe-vpcs.json',
    ];
    const args = [...before.map((f) => `${dir}/${f}`), '--to', dir];
    const own = fakeIo();
    expect(await diff(args, own.io)).toBe(0);
    expect(own.out.join('\n').split('\n')).toEqual([
      'added: api => ledger-db : TCP 5432,TCP 6379',
      'added: api => session-cache : TCP 5432,TCP 6379',
      '2 added, 0 removed, 0 changed, 6 unchanged',
    ]);
    for (const range of ['1024-65535', '32768-60999']) {
      const one = fakeIo();
      expect(await diff([...args, '--exit-code', '--ephemeral-ports', range], one.io)).toBe(0);
      expect(one.out).toEqual([`no difference (${range === '1024-65535' ? 6 : 8} unchanged)`]);
    }
    expect(parseDiffArgs(['a', '--ephemeral-ports=1-2', '--to', 'b']).ephemeralPorts).toBe('1-2');
    const bad = fakeIo();
    expect(await main(['diff', 'a', '--to', 'b', '--ephemeral-ports'], bad.io)).toBe(2);
    expect(bad.err[0]).toContain('--ephemeral-ports needs a value');
  });
});
