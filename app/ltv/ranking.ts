// Rank thresholds for segmenting a shop's customers (RFM quintiles, value tiers). Segments depend on
// how many customers are strictly better or worse than a customer, so tied customers always share a
// segment and the result does not depend on the order the customers come in. Each such count test
// is equivalent to comparing the customer's value with one order statistic of the shop ("w ≥ k
// customers are worth strictly less" ⟺ "the value is above the k-th smallest"), so a handful of
// order statistics, found by selection in linear time, replace sorting and ranking every customer.

/**
 * The order statistics `ranks` (0-based positions in ascending order) of the values where
 * `include[i]` is 1 (all when omitted). Throws on NaN. Returns them in the order of `ranks`.
 */
export function orderStatistics(values: Float64Array, ranks: readonly number[], include?: Uint8Array): Float64Array {
  let count = values.length;
  if (include) {
    count = 0;
    for (let i = 0; i < include.length; i++) if (include[i] === 1) count++;
  }
  const scratch = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    if (include && include[i] !== 1) continue;
    const value = values[i] as number;
    if (Number.isNaN(value)) throw new RangeError(`ranking: value ${i} is NaN`);
    scratch[k++] = value;
  }
  const order = ranks.map((rank, position) => ({ rank, position })).sort((p, q) => p.rank - q.rank);
  const result = new Float64Array(ranks.length);
  let low = 0;
  for (const { rank, position } of order) {
    if (!Number.isInteger(rank) || rank < 0 || rank >= count) throw new RangeError(`ranking: rank ${rank} outside 0…${count - 1}`);
    if (rank === 0 || rank === count - 1) {
      // The extremes by one scan, leaving the partial order of earlier selections intact.
      let extreme = scratch[0] as number;
      for (let i = 1; i < count; i++) {
        const value = scratch[i] as number;
        if (rank === 0 ? value < extreme : value > extreme) extreme = value;
      }
      result[position] = extreme;
      continue;
    }
    // After selecting rank k, everything left of k is ≤ it: the next (larger) rank lies at or right of k.
    result[position] = select(scratch, rank, low, count - 1);
    low = rank;
  }
  return result;
}

/** Quickselect with three-way partitioning (fast on heavily tied data, such as order counts). */
function select(values: Float64Array, rank: number, from: number, to: number): number {
  let low = from;
  let high = to;
  for (let rounds = 0; high > low; rounds++) {
    if (rounds > 64) {
      // Pathological pivots: finish with a sort of what is left.
      values.subarray(low, high + 1).sort();
      return values[rank] as number;
    }
    const pivot = medianOfThree(values[low] as number, values[(low + high) >>> 1] as number, values[high] as number);
    let less = low;
    let i = low;
    let greater = high;
    while (i <= greater) {
      const value = values[i] as number;
      if (value < pivot) {
        values[i] = values[less] as number;
        values[less] = value;
        less++;
        i++;
      } else if (value > pivot) {
        values[i] = values[greater] as number;
        values[greater] = value;
        greater--;
      } else {
        i++;
      }
    }
    // [low, less) < pivot = [less, greater] < (greater, high]
    if (rank < less) high = less - 1;
    else if (rank > greater) low = greater + 1;
    else return pivot;
  }
  return values[rank] as number;
}

function medianOfThree(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}
