// Small statistics and grouping helpers for the suggestions, over typed arrays.

/**
 * The q-quantile of sorted values[from … to) by linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R and NumPy): the median of an even count is the mean of
 * the two middle values.
 */
export function quantileOfSorted(values: ArrayLike<number>, from: number, to: number, q: number): number {
  const count = to - from;
  if (count < 1) throw new RangeError("quantileOfSorted: no values");
  const position = (count - 1) * q;
  const below = Math.floor(position);
  const lower = values[from + below] as number;
  if (below === count - 1) return lower;
  const upper = values[from + below + 1] as number;
  return lower + (position - below) * (upper - lower);
}

/** Rows grouped by a key 0 … keyCount − 1 (a counting sort, stable): key k's rows are items[start[k] … start[k + 1]). */
export type Grouped = { start: Int32Array; items: Int32Array };

/** Groups rows 0 … rows − 1 by `keyOf` (a key < 0 leaves the row out), in linear time. */
export function groupRows(rows: number, keyCount: number, keyOf: (row: number) => number): Grouped {
  const start = new Int32Array(keyCount + 1);
  for (let row = 0; row < rows; row++) {
    const key = keyOf(row);
    if (key >= 0) start[key + 1] = (start[key + 1] as number) + 1;
  }
  for (let key = 0; key < keyCount; key++) start[key + 1] = (start[key + 1] as number) + (start[key] as number);
  const next = start.slice(0, keyCount);
  const items = new Int32Array(start[keyCount] as number);
  for (let row = 0; row < rows; row++) {
    const key = keyOf(row);
    if (key < 0) continue;
    items[next[key] as number] = row;
    next[key] = (next[key] as number) + 1;
  }
  return { start, items };
}

/** Rounds a model value or a mean to whole minor units. */
export function toMinor(value: number): number {
  return Math.round(value);
}

/** part ÷ whole, 0 when whole is 0. */
export function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** Code-unit order: deterministic and independent of the locale (ids are digits or gids). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
