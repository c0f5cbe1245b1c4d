import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call, peering, seg, svc, ws } from '../analysis/testing/build';
import { randomWorkspace } from '../analysis/testing/random';
import { exportCompose } from '../formats/compose/write';
import { importFiles } from '../import/index';
import type { Level, Workspace } from '../model/types';
import { synthesize } from './index';
import { estateArgs, exactAtLevel } from './testing';

describe('synthesize at segment-granular levels', () => {
  it('network: one peering per VPC pair a call crosses, unused peerings go (DESIGN.md: peering is never transitive)', () => {
    const w = ws({
      services: [
        svc('a', { network: ['network:v1'] }),
        svc('b', { network: ['network:v2'] }),
        svc('c', { network: ['network:v3'] }),
      ],
      segments: [
        seg('network:v1', 'network', { kind: 'vpc', cidrs: ['10.1.0.0/16'] }),
        seg('network:v2', 'network', { kind: 'vpc', cidrs: ['10.2.0.0/16'] }),
        seg('network:v3', 'network', { kind: 'vpc', cidrs: ['10.3.0.0/16'] }),
      ],
      calls: [call('a', 'b', 80)],
      rules: [peering('p13', 'network:v1', 'network:v3'), peering('p23', 'network:v2', 'network:v3')],
    });
    const s = synthesize(w, 'network');
    expect(s.removed.map((r) => r.id)).toEqual(['p13', 'p23']);
    expect(s.added).toEqual([
      {
        id: 'syn:peering:network:v1|network:v2',
        type: 'vpc-peering',
        level: 'network',
        requester: 'network:v1',
        accepter: 'network:v2',
        status: 'active',
      },
    ]);
    const { have } = exactAtLevel(w, s.workspace, 'network');
    expect([...have.keys()].sort()).toEqual(['a>b', 'b>a']);
  });

  it.each<Level>(['role', 'network', 'account', 'overlay'])(
    '%s: every declared call is allowed at the level after synthesis, on random estates (property, connlist)',
    (level) => {
      fc.assert(
        fc.property(...estateArgs([2, 10], [1, 20]), (seed, n, m) => {
          const w = randomWorkspace(seed, n, m);
          const s = synthesize(w, level);
          const { want, have } = exactAtLevel(w, s.workspace, level);
          const unreachable = s.notes.join(' ');
          for (const k of want.keys()) {
            const [a] = k.split('>');
            const sa = w.services.find((x) => x.id === a);
            // Only what the notes name as impossible here (no identity, overlapping VPCs) may stay closed.
            if (level === 'role' && (sa?.memberships.role ?? []).length === 0) continue;
            if (level === 'network' && unreachable.includes('overlap')) continue;
            expect(have.get(k), `${level} ${k}`).toBe('all');
          }
        }),
        { numRuns: 40 },
      );
    },
    60_000,
  );
});

describe('synthesize --level overlay written as Compose (DESIGN.md overlay: services reach each other when they share a network)', () => {
  const SAMPLES = ['sock-shop', 'v1-proxy-app-db', 'v2-front-back', 'voting-app'];
  it.each(SAMPLES)(
    '%s: the written file reads back with the same overlay memberships, and the writer notes none differing',
    (name) => {
      const file = `public/samples/compose/${name}.yml`;
      const before = importFiles([{ name: `${name}.yml`, text: readFileSync(file, 'utf8') }]).workspace;
      const after = synthesize(before, 'overlay').workspace;
      const written = exportCompose(after);
      expect(written.notes.filter((n) => /read back|reads back/.test(n))).toEqual([]);
      const back = importFiles(written.files.map((f) => ({ name: f.name, text: f.text }))).workspace;
      const overlays = (w: Workspace) =>
        Object.fromEntries(w.services.map((s) => [s.id, [...(s.memberships.overlay ?? [])].sort()]));
      expect(overlays(back)).toEqual(overlays(after));
      // The new networks are the project's own (`<project>_<key>`), not external ones to create by hand.
      expect(written.files.map((f) => f.text).join('\n')).not.toContain('external: true');
    },
  );
});
