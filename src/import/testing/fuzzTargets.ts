// The seed files the reader fuzzing starts from: small valid files of each format, from the shipped samples.
import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import type { FileInput } from '../types';
import type { FuzzTarget } from './fuzzCases';

const read = (path: string): string => readFileSync(path, 'utf8');

/** Lists longer than `keep` cut to their first entries, so each input reads in about a millisecond. */
const trimJson = (text: string, keep = 3): string => {
  const cut = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.slice(0, keep).map(cut)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cut(x)]))
        : v;
  return JSON.stringify(cut(JSON.parse(text)), null, 2);
};

/** The documents of a YAML file whose `kind` is listed, the first `per` of each kind. */
const pickDocs = (text: string, kinds: Record<string, number>): string => {
  const seen = new Map<string, number>();
  return parseAllDocuments(text)
    .map((d) => d.toJS() as { kind?: string })
    .filter((d) => {
      const n = seen.get(d?.kind ?? '') ?? 0;
      seen.set(d?.kind ?? '', n + 1);
      return n < (kinds[d?.kind ?? ''] ?? 0);
    })
    .map((d) => stringify(d))
    .join('---\n');
};

const S = 'public/samples';

/** One target per format of FORMATS (src/formats/registry.ts). */
export const FUZZ_TARGETS: FuzzTarget[] = [
  { id: 'native', seeds: [{ name: 'tiny.segscope.json', text: read('e2e/fixtures/tiny.segscope.json') }] },
  {
    id: 'compose',
    seeds: ['v1-proxy-app-db.yml', 'v2-front-back.yml', 'voting-app.yml'].map(
      (f): FileInput => ({ name: f, text: read(`${S}/compose/${f}`) }),
    ),
  },
  {
    id: 'docker',
    seeds: [{ name: 'voting-app-networks.json', text: trimJson(read(`${S}/docker/voting-app-networks.json`)) }],
  },
  {
    id: 'k8s',
    seeds: [
      {
        name: 'shop.yaml',
        text: pickDocs(read(`${S}/k8s/shop.yaml`), {
          Namespace: 2,
          ServiceAccount: 1,
          Deployment: 2,
          Service: 2,
          NetworkPolicy: 2,
        }),
      },
    ],
  },
  {
    id: 'calico',
    seeds: [
      {
        name: 'tiers.yaml',
        text: pickDocs(read(`${S}/calico/tiers.yaml`), {
          Tier: 2,
          GlobalNetworkPolicy: 2,
          NetworkPolicy: 2,
          GlobalNetworkSet: 1,
          NetworkSet: 1,
        }),
      },
    ],
  },
  {
    id: 'aws',
    seeds: ['describe-security-groups.json', 'describe-instances.json', 'describe-vpcs.json'].map(
      (f): FileInput => ({ name: f, text: trimJson(read(`${S}/aws/${f}`)) }),
    ),
  },
  {
    id: 'terraform',
    seeds: [{ name: 'terraform-state.json', text: trimJson(read(`${S}/aws/terraform-state.json`), 6) }],
  },
];
