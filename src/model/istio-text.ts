// One Istio AuthorizationPolicy rule in words, as verdicts and the inspector name it ("rules[0]: from principals … to ports 9080").
import type { IstioAuthzEntry, IstioOperation, IstioSource } from './types';

const list = (name: string, v: readonly (string | number)[] | undefined) => (v ? [`${name} ${v.join(', ')}`] : []);

const sourceText = (s: IstioSource): string =>
  [
    ...list('principals', s.principals),
    ...list('notPrincipals', s.notPrincipals),
    ...list('namespaces', s.namespaces),
    ...list('notNamespaces', s.notNamespaces),
    ...list('ipBlocks', s.ipBlocks),
    ...list('notIpBlocks', s.notIpBlocks),
    ...(s.requestOnly ?? []),
  ].join(' and ') || 'any source';

const operationText = (o: IstioOperation): string =>
  [...list('ports', o.ports), ...list('notPorts', o.notPorts), ...(o.requestOnly ?? [])].join(' and ') ||
  'any operation';

export const entryText = (e: IstioAuthzEntry): string => {
  const parts = [
    ...(e.from ? [`from ${e.from.map(sourceText).join(' or ')}`] : []),
    ...(e.to ? [`to ${e.to.map(operationText).join(' or ')}`] : []),
    ...(e.conditions || e.when
      ? [
          `when ${[
            ...(e.conditions ?? []).map((c) =>
              [
                c.values ? `${c.key} in [${c.values.join(', ')}]` : '',
                c.notValues ? `${c.key} not in [${c.notValues.join(', ')}]` : '',
              ]
                .filter(Boolean)
                .join(' and '),
            ),
            ...(e.when ?? []),
          ].join(' and ')}`,
        ]
      : []),
  ];
  return `rules[${e.index}]: ${parts.length > 0 ? parts.join('; ') : 'every request'}`;
};
