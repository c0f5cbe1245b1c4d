// What the Compose reader will make of a file the writer wrote, from its definitions with the reader's own
// rules (inference.ts, definitions.ts, declaredNetworkName): the calls it gives and each service's networks.
import { isObj, type Obj } from '../../export/format';
import { builtinNetworkId, declaredNetworkName, networkId } from './conventions';
import { serviceDefinitions } from './definitions';
import { type Definition, inferCalls, modeTarget, networkChoice, resolverNames } from './inference';
import { callKey } from './write-services';

/** The calls a written file gives (by `callKey` of service names) and each service's overlay memberships. */
export interface WrittenFacts {
  calls: Set<string>;
  overlay: Map<string, string[]>;
}

/** Overlay memberships as the reader assigns them; `network_mode: service:x` takes x's, a cycle none. */
const overlayOf = (defs: ReadonlyMap<string, Definition>, idOf: (key: string) => string | undefined) => {
  const out = new Map<string, string[]>();
  const visit = (name: string, chain: string[]): string[] => {
    const done = out.get(name);
    if (done) return done;
    const { def, path } = defs.get(name) as Definition;
    const choice = networkChoice(def, 'spec', path);
    let overlay: string[] = [];
    if (choice.kind === 'default') overlay = [idOf('default') as string];
    else if (choice.kind === 'networks') {
      for (const { key } of choice.entries) {
        const id = typeof key === 'string' ? idOf(key) : undefined;
        if (id !== undefined && !overlay.includes(id)) overlay.push(id);
      }
    } else if (choice.kind === 'mode') {
      const t = modeTarget(choice.mode);
      if ('builtin' in t) overlay = [builtinNetworkId(t.builtin)];
      else if ('network' in t) overlay = [idOf(t.network)].filter((id): id is string => id !== undefined);
      else if ('service' in t && defs.has(t.service) && !chain.includes(t.service))
        overlay = [...visit(t.service, [...chain, t.service])];
    }
    out.set(name, overlay);
    return overlay;
  };
  for (const name of defs.keys()) visit(name, [name]);
  return out;
};

/** What reading `{ name?, services, networks }` of project `project` gives, without writing or parsing text. */
export const writtenFacts = (project: string, services: Obj, networks: Obj | undefined): WrittenFacts => {
  const declared = (key: string) =>
    networks !== undefined && Object.hasOwn(networks, key) && (networks[key] === null || isObj(networks[key]));
  const idOf = (key: string): string | undefined => {
    if (declared(key)) return networkId(declaredNetworkName(project, key, (networks?.[key] ?? {}) as Obj).dockerName);
    return key === 'default' ? networkId(`${project}_default`) : undefined;
  };
  const { defs } = serviceDefinitions(services, ['services'], 'spec');
  const names = resolverNames(defs, 'spec', (key) => key === 'default' || declared(key));
  const calls = new Set(inferCalls(defs, names).calls.map((c) => callKey(c.from, c.to, c.port)));
  return { calls, overlay: overlayOf(defs, idOf) };
};
