// The plan store's opening actions: a finding's fixes, a tightened level or a proposed segmentation, asked of the engine.
import type { PlanKit, PlanState } from './plan';

export const openActions = ({
  set,
  get,
  engine,
  load,
  previewStep,
  dropPending,
}: PlanKit): Pick<PlanState, 'openFixes' | 'choose' | 'openTighten' | 'openProposal' | 'close'> => ({
  openFixes: async (finding) => {
    const f = { key: finding.key, id: finding.id, message: finding.message };
    set({ view: { kind: 'fixes', finding: f, offers: null, chosen: 0 }, error: null });
    await load(
      () => engine.fixes(finding.key),
      (offers) => ({ kind: 'fixes', finding: f, offers, chosen: 0 }),
    );
  },
  choose: (chosen) => {
    const v = get().view;
    if (v?.kind === 'fixes') set({ view: { ...v, chosen } });
  },
  openTighten: async (level) => {
    set({ view: { kind: 'tighten', level, offer: null }, error: null });
    await load(
      () => engine.tighten(level),
      (offer) => ({ kind: 'tighten', level, offer }),
    );
  },
  openProposal: async (level) => {
    set({ view: { kind: 'proposal', level, offer: null, step: 0, delta: null, applied: [] }, error: null });
    await load(
      () => engine.propose(level),
      (offer) => ({ kind: 'proposal', level, offer, step: 0, delta: null, applied: [] }),
    );
    await previewStep();
  },
  close: () => {
    dropPending();
    set({ view: null, error: null });
  },
});
