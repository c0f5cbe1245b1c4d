// What-if marks on the drawn band: a drag's target and the calls it would break or restore, a previewed plan's changes.
import type { Core } from 'cytoscape';
import type { PlanMarks } from './plan-marks';

/** Classes a previewed plan puts on the graph (see showPlanFeedback). */
export const PLAN_CLASSES = ['plan-break', 'plan-restore', 'reach-opens', 'reach-closes', 'plan-changed'] as const;

/** A drag in progress as the feedback marks it: the service, its level, the target segment and the what-if delta. */
export interface DragMarks {
  service: string;
  level: string;
  target: string | null;
  delta: { brokenCalls: { index: number }[]; restoredCalls: { index: number }[] } | null;
}

/** While dragging: mark the target segment acceptable or problematic and the calls that would break. */
export const showDragFeedback = (cy: Core, drag: DragMarks | null): void => {
  cy.batch(() => {
    cy.elements('.drop-target, .drop-ok, .drop-bad, .would-break, .would-restore, .drag-source').removeClass(
      'drop-target drop-ok drop-bad would-break would-restore drag-source',
    );
    if (!drag) return;
    cy.nodes('[kind = "service"]')
      .filter((n) => n.data('serviceId') === drag.service && n.data('level') === drag.level)
      .addClass('drag-source');
    if (!drag.target) return;
    const target = cy.getElementById(`seg:${drag.target}`);
    target.addClass('drop-target');
    if (!drag.delta) return;
    target.addClass(drag.delta.brokenCalls.length > 0 ? 'drop-bad' : 'drop-ok');
    for (const c of drag.delta.brokenCalls) cy.getElementById(`call:${c.index}`).addClass('would-break');
    for (const c of drag.delta.restoredCalls) cy.getElementById(`call:${c.index}`).addClass('would-restore');
  });
};

/**
 * While a plan (a fix, a tightened level, a proposal's step) is previewed: the calls it would break
 * or restore, the services whose reach it opens or closes, and the services and segments it changes,
 * marked as a drag's what-if marks them (own classes, so a drag in between leaves them be).
 */
export const showPlanFeedback = (cy: Core, marks: PlanMarks | null): void => {
  cy.batch(() => {
    cy.elements(`.${PLAN_CLASSES.join(', .')}`).removeClass(PLAN_CLASSES.join(' '));
    if (!marks) return;
    for (const i of marks.breaks) cy.getElementById(`call:${i}`).addClass('plan-break');
    for (const i of marks.restores) cy.getElementById(`call:${i}`).addClass('plan-restore');
    const opens = new Set(marks.opens);
    const closes = new Set(marks.closes);
    const services = new Set(marks.services);
    const segments = new Set(marks.segments);
    cy.nodes().forEach((n) => {
      const sid = n.data('serviceId') as string | undefined;
      const gid = n.data('segmentId') as string | undefined;
      if (sid !== undefined && n.data('kind') === 'service') {
        if (opens.has(sid)) n.addClass('reach-opens');
        else if (closes.has(sid)) n.addClass('reach-closes');
        if (services.has(sid)) n.addClass('plan-changed');
      } else if (gid !== undefined && segments.has(gid)) n.addClass('plan-changed');
    });
  });
};
