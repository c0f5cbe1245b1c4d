// The inspector of a call: its services by name, and each level's verdict in sentences naming them, with rule and file:line.
import { useEffect, useState } from 'react';
import type { CallSummary, PairVerdict } from '../analysis/types';
import type { Call, Workspace } from '../model/types';
import type { AppStore } from '../store/store';
import { CallVerdictLevels } from './CallVerdictLevels';
import { PairVerdicts } from './PairVerdicts';

export const CallInspector = ({
  store,
  call,
  verdict,
  workspace,
}: {
  store: AppStore;
  call: Call;
  verdict: CallSummary | undefined;
  workspace: Workspace;
}) => {
  // Call verdicts of the analysis say "the caller" (one text shared by many calls); ask for this pair's own.
  const [named, setNamed] = useState<PairVerdict | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new verdict (after an edit) means new named texts too
  useEffect(() => {
    setNamed(null);
    let live = true;
    store
      .getState()
      .reach(call.from, call.to, call.port, call.protocol)
      .then((v) => {
        if (live) setNamed(v);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [store, call, verdict]);
  const name = (id: string) => workspace.services.find((s) => s.id === id)?.name ?? id;
  return (
    <section data-testid="call-inspector">
      <h2>
        {name(call.from)} → {name(call.to)}
        {call.port ? `:${call.port}` : ''}
      </h2>
      <p className={verdict?.class === 'broken' ? 'bad' : 'muted'} data-testid="call-verdict">
        {verdict
          ? verdict.class === 'broken'
            ? `broken: denied at ${verdict.deniedBy.join(', ')}`
            : 'allowed at every level'
          : 'analysing…'}
      </p>
      {verdict ? (
        named ? (
          <PairVerdicts verdict={named} />
        ) : (
          <CallVerdictLevels store={store} index={verdict.index} />
        )
      ) : null}
    </section>
  );
};
