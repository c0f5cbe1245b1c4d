// Vitest setup: property tests draw from one fixed seed under CI, so a red build names a regression
// rather than a new random draw; elsewhere every run draws anew (fast-check prints the seed and path
// of a failure, which FC_SEED replays).
import fc from 'fast-check';

const seed = process.env.FC_SEED ?? (process.env.CI ? '20261207' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
