// Benchmark: least-privilege synthesis, proposed segmentation, alignment and fixes on the generated estate (1,000 services by default).
import { analyze } from '../src/analysis/analyze';
import { generateTopology } from '../src/gen/generate';
import { randomMoves } from '../src/gen/moves';
import { applyCommand } from '../src/model/commands';
import { sgPermission } from '../src/model/sg-permission';
import { LEVELS, type Segment, type Workspace } from '../src/model/types';
import { ALIGNED_PAIRS, alignmentMoves } from '../src/synthesize/alignment';
import { fixable } from '../src/synthesize/fixable';
import { fixesFor } from '../src/synthesize/fixes';
import { synthesize } from '../src/synthesize/index';
import { proposeSegmentation } from '../src/synthesize/segmentation';

const SERVICES = Number(process.env.SERVICES ?? 1000);
const round = (x: number) => Math.round(x);

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, round(performance.now() - t)];
};

/** Reachable pairs never called, summed over the excess-reach findings (service mode below 2,000 services). */
const excessOf = (ws: Workspace): number =>
  analyze(ws, { servicePairLimit: 5000 })
    .findings.filter((f) => f.id === 'excess-reach')
    .reduce((n, f) => n + (f.count ?? 0), 0);

const ws = generateTopology({ services: SERVICES, seed: 1 }).workspace;
const [excessBefore, analysisMs] = time(() => excessOf(ws));
const levels: Record<string, unknown> = {};
for (const level of LEVELS) {
  const [s, ms] = time(() => synthesize(ws, level));
  const inbound = s.segments.map((c) => c.inbound);
  const limit = s.segments.find((c) => c.limit !== undefined)?.limit;
  levels[level] = {
    synthesisMs: ms,
    rulesBefore: ws.rules.filter((r) => r.level === level).length,
    rulesAfter: s.workspace.rules.filter((r) => r.level === level).length,
    segmentsCreated: s.commands.filter((c) => c.type === 'createSegment').length,
    maxInbound: Math.max(0, ...inbound),
    inboundLimit: limit ?? null,
    segmentsOverQuota: s.segments.filter((c) => c.state === 'error').length,
    excessAfter: excessOf(s.workspace),
    granularity: s.granularity,
  };
}
const proposals: Record<string, unknown> = {};
for (const level of ['group', 'network', 'policy', 'overlay'] as const) {
  const [p, ms] = time(() => proposeSegmentation(ws, level));
  proposals[level] = {
    proposeMs: ms,
    before: p.before,
    after: p.after,
    moves: p.commands.length,
    notes: p.notes.length,
  };
}
const [align, alignMs] = time(() => alignmentMoves(ws));
// The generated estate is aligned as made; 30 seeded drags (account, network, group, policy) misplace services first.
const dragged = randomMoves(ws, 200, 1)
  .filter((m) => ALIGNED_PAIRS.some((pair) => pair.includes(m.level)))
  .slice(0, 30)
  .reduce((w, m) => applyCommand(w, { type: 'moveService', ...m }), ws);
const [alignDragged, alignDraggedMs] = time(() => alignmentMoves(dragged));
const a = analyze(ws);
// Ten broken calls: the generated estate's first ones are denied at the group, role and policy levels.
const broken = a.findings.filter((f) => f.id === 'broken-call').slice(0, 10);
const perFinding = broken.map((f) => time(() => fixesFor(ws, a, f, 3)));
const fixes = perFinding.map(([r]) => r);
const fixMs = perFinding.reduce((n, [, ms]) => n + ms, 0);
// The other rules with fixes: the first two fixable findings of each kind (rule and the key's next part).
const kinds = new Map<string, typeof a.findings>();
for (const f of a.findings) {
  if (f.id === 'broken-call' || !fixable(f)) continue;
  const kind = f.key.split(':').slice(0, 2).join(':');
  const list = kinds.get(kind) ?? [];
  if (list.length < 2) kinds.set(kind, [...list, f]);
}
/**
 * The generated estate's team groups admit each other in a mesh (no group stands out, so none is a
 * group hub); a monitoring group in the first team group's VPC that every team group admits on tcp
 * 9100 is one, and its fix is measured here.
 */
const withMonitoring = (w: Workspace): Workspace => {
  const groups = w.segments.filter((g) => g.level === 'group' && g.attributes?.kind === 'security-group');
  const vpc = groups[0]?.attributes?.vpc;
  const host = w.services.find((x) => (x.memberships.group ?? []).includes(groups[0]?.id ?? ''));
  const mon: Segment = {
    id: 'group:bench-mon',
    level: 'group',
    name: 'bench-mon',
    attributes: { kind: 'security-group', vpc },
  };
  return {
    ...w,
    segments: [...w.segments, mon],
    services: [
      ...w.services,
      {
        id: 'bench:mon',
        name: 'mon',
        kind: 'service',
        addresses: ['10.255.0.1'],
        memberships: { ...host?.memberships, group: [mon.id] },
      },
    ],
    rules: [
      ...w.rules,
      ...groups.map((g) =>
        sgPermission({
          id: `bench-mon:${g.id}`,
          group: g.id,
          direction: 'ingress',
          protocol: 'tcp',
          peer: { kind: 'group', group: mon.id },
          ports: [9100, 9100],
        }),
      ),
    ],
  };
};
const monitored = withMonitoring(ws);
const ma = analyze(monitored);
const monHub = ma.findings.find((f) => f.key === 'hub:group:group:bench-mon');
const [monFix, monMs] = time(() => (monHub ? fixesFor(monitored, ma, monHub, 3) : []));
const groupHubs = a.groupHubs.length;
const findingFixes = Object.fromEntries(
  [...kinds].map(([kind, list]) => {
    const runs = list.map((f) => time(() => fixesFor(ws, a, f, 3)));
    return [
      kind,
      {
        findings: list.length,
        closing: runs.filter(([r]) => r[0]?.closes).length,
        breaking: runs.filter(([r]) => (r[0]?.broken ?? 0) > 0).length,
        best: runs.map(([r]) => r[0]?.title ?? null),
        msPerFinding: round(runs.reduce((n, [, ms]) => n + ms, 0) / list.length),
        maxMsPerFinding: Math.max(0, ...runs.map(([, ms]) => ms)),
      },
    ];
  }),
);
console.log(
  JSON.stringify(
    {
      services: ws.services.length,
      calls: ws.calls.length,
      rules: ws.rules.length,
      analysisMs,
      excessBefore,
      levels,
      proposals,
      alignment: {
        before: align.before.percent,
        after: align.after.percent,
        moves: align.commands.length,
        ms: alignMs,
      },
      alignmentAfterDrags: {
        drags: 30,
        before: alignDragged.before.percent,
        after: alignDragged.after.percent,
        moves: alignDragged.commands.length,
        ms: alignDraggedMs,
      },
      fixes: {
        findings: broken.length,
        closing: fixes.filter((l) => l[0]?.closes).length,
        msPerFinding: broken.length ? round(fixMs / broken.length) : 0,
        maxMsPerFinding: Math.max(0, ...perFinding.map(([, ms]) => ms)),
      },
      findingFixes,
      groupHubs,
      monitoringGroupHub: {
        found: monHub !== undefined,
        best: monFix[0]?.title ?? null,
        closes: monFix[0]?.closes ?? false,
        broken: monFix[0]?.broken ?? null,
        opened: monFix[0]?.opened ?? null,
        problems: monFix[0]?.problems.length ?? null,
        ms: monMs,
      },
    },
    null,
    2,
  ),
);
