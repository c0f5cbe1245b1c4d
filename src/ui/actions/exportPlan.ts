// Export → Change plan: every edit since the import and what it implies per level, as Markdown or JSON.
import { downloadText, fileStem } from './download';
import type { Action, ActionContext } from './types';

const plan = async (ctx: ActionContext, md: boolean) => {
  const ws = ctx.store.getState().workspace;
  if (!ws) return;
  const p = await ctx.engine.plan();
  downloadText(
    `${fileStem(ws.name)}-change-plan.${md ? 'md' : 'json'}`,
    md ? p.markdown : p.json,
    md ? 'text/markdown' : 'application/json',
  );
};

export const exportPlanMarkdown: Action = {
  id: 'plan-md',
  label: 'Change plan (Markdown)',
  enabled: (ctx) => ctx.store.getState().workspace !== null,
  run: (ctx) => plan(ctx, true),
};

export const exportPlanJson: Action = {
  id: 'plan-json',
  label: 'Change plan (JSON)',
  enabled: (ctx) => ctx.store.getState().workspace !== null,
  run: (ctx) => plan(ctx, false),
};
