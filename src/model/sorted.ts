// Binary search in an ascending list of numbers, shared by the what-if's member lists, its namespaces' pods and the edge router's grid.

/** The first index whose value is ≥ `x` (the list's length when none is): where `x` is or goes. */
export const lowerBound = (list: ArrayLike<number>, x: number): number => {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
