// Binary search, shared by the what-if's member lists, its namespaces' pods, the edge router's grid and the
// strips' chips (an edit's chip put back in its place).

/** The first index in 0..n for which `atOrAfter(i)` holds, given it holds from some index on (n when never). */
export const partitionPoint = (n: number, atOrAfter: (i: number) => boolean): number => {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (atOrAfter(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

/** The first index whose value is ≥ `x` (the list's length when none is): where `x` is or goes. */
export const lowerBound = (list: ArrayLike<number>, x: number): number =>
  partitionPoint(list.length, (i) => (list[i] as number) >= x);
