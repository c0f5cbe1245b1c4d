// Export → a format of FORMATS: the engine writes the workspace, the person sees the notes, then downloads.
import type { Action } from './types';

/** One Export action per writer the engine offers (src/formats/registry.ts). */
export const exportFormat = (writer: { name: string; label: string }): Action => ({
  id: writer.name,
  label: writer.label,
  enabled: (ctx) => ctx.store.getState().workspace !== null,
  run: async (ctx) => {
    if (!ctx.store.getState().workspace) return;
    ctx.offerExport(writer.label, await ctx.engine.exportAs(writer.name));
  },
});
