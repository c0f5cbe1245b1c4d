// Reader for Calico v3 policy (NetworkPolicy, GlobalNetworkPolicy, Tier, (Global)NetworkSet) → policy-level rules.
import { flattenObjects, isRecord, loadManifests, type Manifest, meta } from '../../import/manifests';
import { type ParsedFile, parseFile } from '../../import/parse';
import { diagnostic, pointer } from '../../import/text';
import { emptyFragment, type FileInput, type FormatReader, type ReadResult } from '../../import/types';
import { isCalicoApiVersion } from './conventions';
import { calicoLabelSets } from './label-sets';
import { readNetworkSet, readPolicy, readTier } from './objects';
import { type CalicoContext, label } from './rules';

/** Calico resources that carry no segmentation rule: read, reported as ignored. */
const IGNORED_CALICO_KINDS = new Set([
  'BGPConfiguration',
  'BGPFilter',
  'BGPPeer',
  'BlockAffinity',
  'CalicoNodeStatus',
  'ClusterInformation',
  'FelixConfiguration',
  'HostEndpoint',
  'IPAMBlock',
  'IPAMConfig',
  'IPAMConfiguration',
  'IPAMHandle',
  'IPPool',
  'IPReservation',
  'KubeControllersConfiguration',
  'Node',
  'Profile',
  'WorkloadEndpoint',
]);

/** Read one Calico object into ctx.rules. Exported so the Kubernetes reader can take mixed files whole. */
export const readCalicoManifest = (m: Manifest, ctx: CalicoContext): void => {
  const { name } = meta(m);
  if (IGNORED_CALICO_KINDS.has(m.kind)) {
    ctx.diagnostics.push(
      diagnostic(ctx.file, m.at(), `Calico ${m.kind} ${name ?? '(unnamed)'} is not a policy object; ignored`, 'info'),
    );
    return;
  }
  if (m.kind.startsWith('Staged')) {
    ctx.diagnostics.push(
      diagnostic(
        ctx.file,
        m.at(),
        `Calico ${m.kind} ${name ?? '(unnamed)'}: staged policies are not enforced; ignored`,
        'info',
      ),
    );
    return;
  }
  const known = ['NetworkPolicy', 'GlobalNetworkPolicy', 'Tier', 'NetworkSet', 'GlobalNetworkSet'];
  if (!known.includes(m.kind)) {
    ctx.diagnostics.push(
      diagnostic(
        ctx.file,
        m.at(['kind']),
        `unknown Calico kind "${m.kind}"; skipped`,
        'warn',
        pointer([...m.path, 'kind']),
      ),
    );
    return;
  }
  if (!name) {
    ctx.diagnostics.push(
      diagnostic(ctx.file, m.at(['metadata']), `Calico ${m.kind} without metadata.name; skipped`, 'error'),
    );
    return;
  }
  if (m.value.spec !== undefined && !isRecord(m.value.spec)) {
    ctx.diagnostics.push(diagnostic(ctx.file, m.at(['spec']), `${label(m)}: spec must be a map; skipped`, 'error'));
    return;
  }
  if (m.kind === 'NetworkPolicy') readPolicy(m, ctx, false);
  else if (m.kind === 'GlobalNetworkPolicy') readPolicy(m, ctx, true);
  else if (m.kind === 'Tier') readTier(m, ctx);
  else readNetworkSet(m, ctx, m.kind === 'GlobalNetworkSet');
};

/**
 * Checks across objects once a file is read: policies in tiers the file does not define, and
 * names whose `tier.` prefix disagrees with spec.tier (Calico uses spec.tier).
 */
export const checkCalicoTiers = (ctx: CalicoContext): void => {
  const tiers = new Set(ctx.rules.filter((r) => r.type === 'calico-tier').map((r) => r.name));
  if (tiers.size === 0) return;
  for (const r of ctx.rules) {
    if (r.type !== 'calico-policy' || !r.source) continue;
    const at = r.source;
    if (r.tier !== 'default' && !tiers.has(r.tier)) {
      ctx.diagnostics.push(
        diagnostic(ctx.file, at, `policy "${r.name}" is in tier "${r.tier}", which this file does not define`, 'info'),
      );
    }
    const dot = r.name.indexOf('.');
    const prefix = dot > 0 ? r.name.slice(0, dot) : undefined;
    if (prefix && prefix !== r.tier && (tiers.has(prefix) || prefix === 'default')) {
      ctx.diagnostics.push(
        diagnostic(
          ctx.file,
          at,
          `policy "${r.name}" is named after tier "${prefix}" but is in tier "${r.tier}" (spec.tier decides)`,
          'warn',
        ),
      );
    }
  }
};

// ---------------------------------------------------------------------------------------------
// The reader

/** Every API object is Calico; one whose apiVersion is damaged (not a string) does not send the file elsewhere. */
export const detectCalico = (_file: FileInput, parsed: unknown): boolean => {
  const objects = flattenObjects(parsed).filter((o) => typeof o.apiVersion === 'string');
  return objects.length > 0 && objects.every((o) => isCalicoApiVersion(o.apiVersion));
};

const read = (file: FileInput, parsed: ParsedFile = parseFile(file)): ReadResult => {
  const fragment = emptyFragment();
  const loaded = loadManifests(file, parsed);
  const ctx: CalicoContext = { file: file.name, rules: fragment.rules, diagnostics: loaded.diagnostics };
  for (const m of loaded.manifests) {
    if (isCalicoApiVersion(m.apiVersion)) readCalicoManifest(m, ctx);
    else {
      ctx.diagnostics.push(
        diagnostic(
          file.name,
          m.at(['apiVersion']),
          `${m.apiVersion || '(no apiVersion)'} ${m.kind} is not a Calico object; skipped (a file mixing Kubernetes and Calico objects is read as Kubernetes)`,
          'warn',
        ),
      );
    }
  }
  checkCalicoTiers(ctx);
  // No pods in a Calico-only file: the sets show the policy structure and get members when merged with workloads.
  fragment.segments = calicoLabelSets(fragment.rules, file.name, new Set()).map((s) => s.segment);
  return { fragment, diagnostics: ctx.diagnostics };
};

export const calicoReader: FormatReader = {
  id: 'calico',
  label: 'Calico policy',
  detect: detectCalico,
  read,
};

export type { CalicoContext } from './rules';
