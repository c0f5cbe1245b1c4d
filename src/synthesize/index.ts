// Least-privilege synthesis per level: the one entry the CLI, the app and the bench call.
import type { Level, Workspace } from '../model/types';
import { synthesizeAccount, synthesizeNetwork, synthesizeOverlay, synthesizeRole } from './coarse';
import { synthesizeGroup } from './group';
import type { LevelSynthesis } from './plan';
import { synthesizePolicy } from './policy';

export { describePlan, type LevelSynthesis, type SegmentCost } from './plan';

export const SYNTHESIZERS: Record<Level, (ws: Workspace) => LevelSynthesis> = {
  account: synthesizeAccount,
  role: synthesizeRole,
  network: synthesizeNetwork,
  group: synthesizeGroup,
  policy: synthesizePolicy,
  overlay: synthesizeOverlay,
};

export const synthesize = (ws: Workspace, level: Level): LevelSynthesis => SYNTHESIZERS[level](ws);
