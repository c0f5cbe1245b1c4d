// The left panel: the first-run hint, what to improve, findings, hubs, the history and the import report.
import type { Finding } from '../analysis/types';
import type { PlanStore } from '../store/plan';
import type { AppStore } from '../store/store';
import { FindingsPanel } from './FindingsPanel';
import { FirstRunHint, TOUR_LESSON } from './FirstRunHint';
import { HistoryPanel } from './HistoryPanel';
import { HubsPanel } from './HubsPanel';
import { ImportReportPanel } from './ImportReportPanel';
import { ImprovePanel } from './ImprovePanel';
import type { Reveal } from './reveal';

export const LeftPanel = ({
  store,
  plans,
  firstRun,
  onOpenLesson,
}: {
  store: AppStore;
  plans: PlanStore;
  firstRun: boolean;
  onOpenLesson(id: string, present: boolean): Promise<boolean>;
}) => {
  // The panels ask the store to bring subjects into view: it focuses a band holding them, expands and frames them.
  const reveal: Reveal = (subjects) => {
    store.getState().reveal(subjects);
  };
  /** A finding clicked: select what it is about (a broken call opens in the inspector) and reveal it. */
  const showFinding = (f: Finding) => {
    const { analysis, select } = store.getState();
    const call =
      f.id === 'broken-call'
        ? analysis?.calls.find((c) => c.class === 'broken' && c.from === f.services[0] && c.to === f.services[1])
        : undefined;
    if (call) select({ callIndex: call.index, serviceId: call.from });
    else if (f.services[0]) select({ serviceId: f.services[0] });
    else if (f.segments[0]) select({ segmentId: f.segments[0] });
    reveal({ serviceIds: f.services, segmentIds: f.segments, ...(f.level ? { level: f.level } : {}) });
  };
  return (
    <div className="left" data-testid="left-panel">
      {firstRun ? <FirstRunHint onTour={() => void onOpenLesson(TOUR_LESSON, true)} /> : null}
      <ImprovePanel store={store} plans={plans} />
      <FindingsPanel
        store={store}
        onFinding={showFinding}
        onFix={(f) => {
          showFinding(f);
          void plans.getState().openFixes(f);
        }}
        onReveal={reveal}
      />
      <HubsPanel store={store} onReveal={reveal} />
      <HistoryPanel store={store} />
      <ImportReportPanel store={store} />
    </div>
  );
};
