// Seeded randomness for the topology generator: one stream per seed, so a seed always gives the same estate.

export type Rand = () => number;

/** mulberry32: small, fast and good enough for synthetic data. */
export const rng = (seed: number): Rand => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** An integer in [0, n). */
export const below = (rand: Rand, n: number): number => Math.floor(rand() * n);

/** Fisher–Yates, in place. */
export const shuffle = <T>(rand: Rand, xs: T[]): T[] => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = below(rand, i + 1);
    const t = xs[i] as T;
    xs[i] = xs[j] as T;
    xs[j] = t;
  }
  return xs;
};

/**
 * An element of a list ordered most popular first, drawn with a power law: index ⌊len·u^k⌋ puts a
 * share 0.01^(1/k) of the draws on the first 1 % (k = 5: about 40 %).
 */
export const pickPopular = <T>(rand: Rand, xs: readonly T[], k: number): T =>
  xs[Math.min(xs.length - 1, Math.floor(xs.length * rand() ** k))] as T;

/** A stable hexadecimal id part: a bijection of n (mod 2^32), so distinct n give distinct ids. */
export const hex8 = (n: number): string => (Math.imul((n + 1) >>> 0, 2654435761) >>> 0).toString(16).padStart(8, '0');
