// Which side panels the shell shows and the page's classes: the user's toggles, widened by what needs the right column.
import { useState } from 'react';
import { useStore } from 'zustand';
import type { LessonStore } from '../store/lesson';
import type { PlanStore } from '../store/plan';
import type { AppStore } from '../store/store';
import type { PanelState } from './PanelToggle';

export const useAppLayout = (
  { store, lessons, plans }: { store: AppStore; lessons: LessonStore; plans: PlanStore },
  { moving, dropping }: { moving: boolean; dropping: boolean },
) => {
  const [panels, setPanels] = useState<PanelState>({ left: true, right: true });
  const planOpen = useStore(plans, (s) => s.view !== null);
  const presenting = useStore(lessons, (s) => s.presenting);
  const theme = useStore(store, (s) => s.theme);
  // The what-if is docked in the right panel: a drag shows the panel even when it was folded away.
  const dragActive = useStore(store, (s) => s.drag !== null);
  // Presentation mode keeps the right column for the lesson's what-if and finding, nothing else.
  const right = panels.right || dragActive || moving || presenting || planOpen;
  const cls = presenting
    ? ['app', theme, 'presenting']
    : ['app', theme, dropping ? 'dropping' : '', panels.left ? '' : 'no-left', right ? '' : 'no-right'];
  return {
    panels,
    togglePanel: (side: keyof PanelState) => setPanels({ ...panels, [side]: !panels[side] }),
    right,
    className: cls.filter(Boolean).join(' '),
  };
};
