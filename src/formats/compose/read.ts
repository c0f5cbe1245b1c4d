// Reader for Docker Compose files (v1, v2.x, v3.x, Compose spec): services, networks, links, ports, env-var calls.
import { type ParsedFile, parseFile } from '../../import/parse';
import { diagnostic, pointer } from '../../import/text';
import { emptyFragment, type FileInput, type FormatReader, type ReadResult } from '../../import/types';
import { setOwn } from '../../model/own';
import type { Diagnostic } from '../../model/types';
import { readCalls } from './calls';
import { type Ctx, type Draft, flavorOf, isObj, type Obj, own, reportProblem } from './context';
import { projectName } from './conventions';
import { serviceDefinitions, splitTop } from './definitions';
import { detectCompose } from './detect';
import { resolverNames } from './inference';
import { loadYaml } from './load';
import { Networks, readTopNetworks, shareNetworks } from './networks';
import { readService } from './services';

export type { ComposeFlavor } from './context';
export { interpolateDefaults, projectName } from './conventions';
export { addressesIn } from './inference';
export { parsePortSpec } from './ports';

const read = (file: FileInput, parsed: ParsedFile = parseFile(file)): ReadResult => {
  const fragment = emptyFragment();
  const diagnostics: Diagnostic[] = [];
  const loaded = loadYaml(file, parsed, diagnostics);
  if (!loaded) return { fragment, diagnostics };
  const top = loaded.value;
  if (!isObj(top)) {
    diagnostics.push(
      diagnostic(
        file.name,
        loaded.valueAt([]),
        'a Compose file must be a map at the top level (services, networks, …)',
      ),
    );
    return { fragment, diagnostics };
  }
  const { flavor, unknownVersion } = flavorOf(top);
  const ctx: Ctx = {
    file: file.name,
    project: projectName(file.name, own(top, 'name')),
    flavor,
    loaded,
    report: (path, message, severity = 'error', onKey = false) =>
      diagnostics.push(
        diagnostic(file.name, onKey ? loaded.keyAt(path) : loaded.valueAt(path), message, severity, pointer(path)),
      ),
    src: (path, onKey = true) => ({ file: file.name, ...(onKey ? loaded.keyAt(path) : loaded.valueAt(path)) }),
  };
  if (unknownVersion !== undefined)
    ctx.report(['version'], `unknown Compose version "${unknownVersion}"; read as the Compose specification`, 'warn');
  const { services: serviceMap, kept } = splitTop(ctx, top);
  const { defs, problems } = serviceDefinitions(serviceMap, flavor === 'v1' ? [] : ['services'], flavor);
  for (const p of problems) reportProblem(ctx, p);
  const nets = new Networks(ctx);
  if (flavor !== 'v1') readTopNetworks(ctx, top, nets);
  const drafts = new Map<string, Draft>();
  for (const [name, entry] of defs) drafts.set(name, readService(ctx, nets, name, entry));
  shareNetworks(ctx, drafts);
  const names = resolverNames(drafts, flavor, (key) => nets.has(key));
  const { calls, rules } = readCalls(ctx, drafts, names, nets.bridgeId());
  fragment.services = [...drafts.values()].map((d) => d.service);
  fragment.segments = nets.segments();
  fragment.calls = calls;
  fragment.rules = rules;
  if (Object.keys(kept).length > 0) {
    const byFile: Obj = {};
    setOwn(byFile, file.name, kept);
    fragment.top = { extra: { compose: byFile } };
  }
  return { fragment, diagnostics };
};

export const composeReader: FormatReader = {
  id: 'compose',
  label: 'Docker Compose',
  detect: detectCompose,
  read,
};
