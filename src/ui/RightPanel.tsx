// The right panel: the open lesson's aside, the plan under review, the Move dialog or the drag's what-if, the inspector.
import type { LessonStore } from '../store/lesson';
import type { PlanStore } from '../store/plan';
import type { AppStore } from '../store/store';
import { DragPanel } from './DragPanel';
import { Inspector } from './Inspector';
import { LessonAside } from './LessonAside';
import { MoveDialog } from './MoveDialog';
import { PlanPanel } from './PlanPanel';

export const RightPanel = ({
  store,
  plans,
  lessons,
  moving,
  onMoving,
}: {
  store: AppStore;
  plans: PlanStore;
  lessons: LessonStore;
  /** The Move dialog is open (in the place of the drag's what-if). */
  moving: boolean;
  onMoving(open: boolean): void;
}) => (
  <div className="right" data-testid="right-panel">
    <LessonAside lessons={lessons} store={store} />
    <PlanPanel plans={plans} store={store} />
    {moving ? <MoveDialog store={store} onClose={() => onMoving(false)} /> : <DragPanel store={store} />}
    <Inspector store={store} onMove={() => onMoving(true)} />
  </div>
);
