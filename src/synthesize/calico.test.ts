import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeConnlist } from '../analysis/connlist';
import { randomWorkspace } from '../analysis/testing/random';
import { exportCalico } from '../formats/calico/write';
import { importFiles } from '../import/index';
import { asCalico, calicoSelector } from './calico';
import { synthesizePolicy } from './policy';
import { estateArgs } from './testing';

const connections = (w: Parameters<typeof computeConnlist>[0]) => computeConnlist(w).connections;
type Line = ReturnType<typeof connections>[number];

/** `TCP 443` or `TCP 1-1024` as a protocol and an inclusive range. */
const range = (p: string): [string, number, number] => {
  const [proto = '', ports = ''] = p.split(' ');
  const [lo = 0, hi = lo] = ports.split('-').map(Number);
  return [proto, lo, hi];
};
/** The k8s lines whose pair Calico does not allow on every port k8s does ("more, never less"; pairs compared, not lines). */
const uncovered = (k8s: Line[], calico: Line[]): Line[] =>
  k8s.filter((k) => {
    const c = calico.find((x) => x.from === k.from && x.to === k.to);
    if (!c) return true;
    if (c.ports === 'all') return false;
    if (k.ports === 'all') return true;
    return !k.ports.every((p) => {
      const [proto, lo, hi] = range(p);
      return (c.ports as string[]).some((q) => {
        const [cp, clo, chi] = range(q);
        return cp === proto && clo <= lo && hi <= chi;
      });
    });
  });

describe('synthesized NetworkPolicies as Calico policies', () => {
  it('selectors: labels, set operators, existence, and {} for all', () => {
    expect(calicoSelector({})).toBe('all()');
    expect(
      calicoSelector({
        matchLabels: { app: 'cart', tier: 'back' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'stage'] },
          { key: 'team', operator: 'NotIn', values: ['x'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'owner', operator: 'Exists' },
        ],
      }),
    ).toBe(
      "app == 'cart' && tier == 'back' && env in {'prod', 'stage'} && team not in {'x'} && !has(canary) && has(owner)",
    );
  });

  it('the boutique policy level written as Calico reads back to the same connectivity (docs.tigera.io: a policy selecting an endpoint isolates it; no match denies at the tier end)', () => {
    const boutique = importFiles([
      { name: 'boutique.yaml', text: readFileSync('src/synthesize/testdata/boutique.yaml', 'utf8') },
    ]).workspace;
    const s = synthesizePolicy(boutique);
    const files = exportCalico(asCalico(s.workspace)).files;
    expect(files.length).toBe(1);
    const text = files.map((f) => f.text).join('\n');
    expect(text).toContain("selector: app == 'emailservice'");
    const read = importFiles(files.map((f) => ({ name: f.name, text: f.text })));
    const back = {
      ...s.workspace,
      rules: [...s.workspace.rules.filter((r) => r.type !== 'k8s-network-policy'), ...read.workspace.rules],
    };
    expect(read.workspace.rules.every((r) => r.type === 'calico-policy')).toBe(true);
    expect(connections(back)).toEqual(connections(s.workspace));
  });

  it('keeps every verdict of the synthesized policy level on random estates (property, connlist)', () => {
    fc.assert(
      fc.property(...estateArgs([2, 12], [0, 24]), (seed, n, m) => {
        const s = synthesizePolicy(randomWorkspace(seed, n, m));
        const k8s = connections(s.workspace);
        const calico = connections(asCalico(s.workspace));
        // A peer with no known address is named as 0.0.0.0/0, which in Calico also matches an endpoint
        // whose address is unknown (DESIGN.md policy): there Calico may allow more, never less.
        if (s.notes.some((x) => x.includes('no known address'))) expect(uncovered(k8s, calico)).toEqual([]);
        else expect(calico).toEqual(k8s);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
