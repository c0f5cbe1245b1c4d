// Reading the written manifests back to say where they differ from the workspace.
import { examples, type Notes, sameSet } from '../../export/format';
import type { Workspace } from '../../model/types';
import { k8sReader } from './read';
import type { Workload } from './write-workloads';

/** Above this many workloads the written file is not read back (reading costs as much again as writing). */
export const READ_BACK_LIMIT = 3000;

/** Read the written manifests back and say where they differ from the workspace. */
export const checkReadBack = (
  ws: Workspace,
  text: string,
  workloads: Workload[],
  calicoOrK8sSets: Set<string>,
  notes: Notes,
): void => {
  const { fragment } = k8sReader.read({ name: 'k8s.yaml', text });
  const back = new Map(fragment.services.map((s) => [s.id, s]));
  const readIdOf = new Map(workloads.map((w) => [w.svc.id, w.readId]));
  for (const w of workloads) {
    const got = back.get(w.readId);
    if (!got) {
      notes.item('not read back from the written manifests', w.svc.id);
      continue;
    }
    for (const level of ['account', 'role', 'network'] as const) {
      const want = (w.svc.memberships[level] ?? []).filter((id) => id.includes(':k8s:'));
      const have = got.memberships[level] ?? [];
      if (want.length > 0 && !sameSet(want, have)) {
        notes.item(`${level} memberships that read back differently`, `${w.svc.id} → [${have.join(', ')}]`);
      }
    }
    // Calico label sets come back only with the Calico file; the K8s ones are checked here.
    const wantPolicy = (w.svc.memberships.policy ?? []).filter(
      (id) => id.startsWith('policy:k8s:') && calicoOrK8sSets.has(id),
    );
    const havePolicy = (got.memberships.policy ?? []).filter((id) => calicoOrK8sSets.has(id));
    if (!sameSet(wantPolicy, havePolicy)) {
      notes.item('policy memberships that read back differently', `${w.svc.id} → [${havePolicy.join(', ')}]`);
    }
    if (got.kind !== w.svc.kind) notes.item('kinds that read back differently', `${w.svc.id} → ${got.kind}`);
    if (Boolean(got.exposed) !== Boolean(w.svc.exposed)) {
      notes.item('exposure that reads back differently', `${w.svc.id} → ${got.exposed ? 'exposed' : 'not exposed'}`);
    }
  }
  const key = (from: string, to: string, port: number | undefined) =>
    `${from} → ${to}${port === undefined ? '' : `:${port}`}`;
  const have = new Set(fragment.calls.map((c) => key(c.from, c.to, c.port)));
  const lost: string[] = [];
  const gained: string[] = [];
  const portOf = new Map(fragment.calls.map((c) => [`${c.from} → ${c.to}`, c.port]));
  for (const c of ws.calls) {
    const from = readIdOf.get(c.from);
    const to = readIdOf.get(c.to);
    if (from === undefined || to === undefined || have.has(key(from, to, c.port))) continue;
    const port = portOf.get(`${from} → ${to}`);
    if (c.port === undefined && port !== undefined) gained.push(key(c.from, c.to, port));
    else lost.push(key(c.from, c.to, c.port));
  }
  if (gained.length > 0) {
    notes.add(`call(s) without a port read back with the only port of the callee's Service: ${examples(gained)}`);
  }
  if (lost.length > 0) notes.add(`call(s) that do not read back as written: ${examples(lost)}`);
};
