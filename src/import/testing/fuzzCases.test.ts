// The fuzz inputs: serialising only the changed document gives the same text as serialising them all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { docsWith, itemOf, type Path, prepareSeed, REMOVE, serialiseAll, textWith } from './fuzzCases';
import { FUZZ_TARGETS } from './fuzzTargets';

const seeds = FUZZ_TARGETS.flatMap((t) => t.seeds.map((f) => ({ id: t.id, seed: prepareSeed(f) })));

describe('fuzz inputs', () => {
  it('prepared seeds keep their documents as serialiseAll writes them', () => {
    for (const { seed } of seeds) expect(seed.docTexts.join('---\n')).toBe(serialiseAll(seed, seed.docs));
    // The manifests are several documents: the case this cache is for.
    expect(seeds.find((s) => s.id === 'k8s')?.seed.docs.length).toBeGreaterThan(5);
  });

  it.each(seeds.map((s) => [`${s.id} ${s.seed.file.name}`, s.seed] as const))(
    '%s: a value replaced or removed reads the same as every document serialised again',
    (_name, seed) => {
      fc.assert(
        fc.property(
          fc.nat(seed.paths.length - 1),
          fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(REMOVE)),
          (i, value) => {
            const path = seed.paths[i] as Path;
            expect(textWith(seed, path, value)).toBe(serialiseAll(seed, docsWith(seed, path, value)));
            // The seed itself is never changed by making an input.
            expect(serialiseAll(seed, seed.docs)).toBe(seed.docTexts.join('---\n'));
          },
        ),
        { numRuns: 60, seed: 7 },
      );
    },
  );

  it('a removed document of a multi-document file is null; a removed list entry keeps its siblings in place', () => {
    const k8s = seeds.find((s) => s.id === 'k8s')?.seed;
    if (!k8s) throw new Error('no k8s seed');
    const item = itemOf([2, 'spec', 'template'], k8s.docs.length);
    expect(item).toEqual([2]);
    const docs = textWith(k8s, item, REMOVE).split('---\n');
    expect(docs[2]).toBe('null\n');
    expect(docs.length).toBe(k8s.docs.length);
    const aws = seeds.find((s) => s.seed.file.name === 'describe-security-groups.json')?.seed;
    if (!aws) throw new Error('no AWS seed');
    const group = itemOf([0, 'SecurityGroups', 1, 'IpPermissions', 0, 'FromPort'], 1);
    expect(group).toEqual([0, 'SecurityGroups', 1]);
    const groups = JSON.parse(textWith(aws, group, REMOVE)).SecurityGroups;
    expect(groups[1]).toBeNull();
    expect(groups[0]).toEqual((aws.docs[0] as { SecurityGroups: unknown[] }).SecurityGroups[0]);
  });
});
