// Groups customers with identical (x, t_x, T) so that every distinct likelihood term and every
// distinct prediction is computed once: with daily data many customers share their triple with
// others (one-order customers differ only by T). A hash table over the numbers' bits keeps this
// O(n) with no per-customer objects; t_x is taken as 0 when x = 0, where the model ignores it.
// The distinct rows come out sorted by x, then t_x, then T: the order the likelihood wants (it
// reuses its per-x terms), so the BG/NBD fit need not sort them again.

export type IdenticalRows = {
  /** The distinct rows, one array per column. */
  columns: Float64Array[];
  /** Input rows in each distinct row. */
  weight: Float64Array;
  /** Distinct row of each input row. */
  rowOf: Uint32Array;
};

export type IdenticalCustomerGroups = {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Customers in each row. */
  weight: Float64Array;
  /** Row of each customer. */
  rowOf: Uint32Array;
};

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** Mixes one number's 64 bits into a 32-bit hash. */
export function mixHash(hash: number, value: number): number {
  bits[0] = value;
  hash = Math.imul(hash ^ (words[0] as number), 0x9e3779b1);
  hash = Math.imul(hash ^ (hash >>> 15) ^ (words[1] as number), 0x85ebca77);
  return hash ^ (hash >>> 13);
}

/** Groups the rows of equal-length columns that are equal in every column (−0 counts as 0). */
export function groupIdenticalRows(columns: readonly Float64Array[]): IdenticalRows {
  const n = columns[0]?.length ?? 0;
  if (columns.some((column) => column.length !== n)) throw new RangeError("groupIdenticalRows: columns must have the same length");
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const distinct = columns.map(() => new Float64Array(n));
  const weight = new Float64Array(n);
  const rowOf = new Uint32Array(n);
  const width = columns.length;
  const current = new Float64Array(width);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    let hash = 0x2545f491;
    for (let c = 0; c < width; c++) {
      // `+ 0` turns −0 into 0 so equal numbers have equal bits.
      const value = ((columns[c] as Float64Array)[i] as number) + 0;
      current[c] = value;
      hash = mixHash(hash, value);
    }
    let slot = hash & mask;
    for (;;) {
      const row = slots[slot] as number;
      if (row < 0) {
        slots[slot] = rows;
        for (let c = 0; c < width; c++) (distinct[c] as Float64Array)[rows] = current[c] as number;
        weight[rows] = 1;
        rowOf[i] = rows;
        rows++;
        break;
      }
      let same = true;
      for (let c = 0; c < width && same; c++) same = (distinct[c] as Float64Array)[row] === current[c];
      if (same) {
        weight[row] = (weight[row] as number) + 1;
        rowOf[i] = row;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { columns: distinct.map((column) => column.slice(0, rows)), weight: weight.slice(0, rows), rowOf };
}

export function groupIdenticalCustomers(x: Float64Array, tx: Float64Array, T: Float64Array): IdenticalCustomerGroups {
  const n = x.length;
  if (tx.length !== n || T.length !== n) throw new RangeError("groupIdenticalCustomers: x, tx and T must have the same length");
  const txModel = new Float64Array(n);
  for (let i = 0; i < n; i++) txModel[i] = (x[i] as number) === 0 ? 0 : (tx[i] as number);
  const columns = [x, txModel, T];

  // Each value → its rank within its column (few distinct values: small, cache-friendly tables);
  // the ranks packed with the customer's index into one exact number per customer, sorted natively:
  // equal (x, t_x, T) end up side by side, already in the order the likelihood wants.
  const [xRanks, txRanks, TRanks] = columns.map(columnRanks) as [ReturnType<typeof columnRanks>, ReturnType<typeof columnRanks>, ReturnType<typeof columnRanks>];
  if (xRanks.size * txRanks.size * TRanks.size * Math.max(n, 1) >= 2 ** 53) return groupBySortingRows(columns);
  const packed = new Float64Array(n);
  const txSize = txRanks.size;
  const TSize = TRanks.size;
  for (let i = 0; i < n; i++) {
    const key = ((xRanks.rank[i] as number) * txSize + (txRanks.rank[i] as number)) * TSize + (TRanks.rank[i] as number);
    packed[i] = key * n + i;
  }
  packed.sort();

  // key = ⌊packed / n⌋ and customer = packed − key·n, corrected by one when the division rounds.
  const split = (value: number): number => {
    let key = Math.floor(value / n);
    if (value - key * n < 0) key--;
    else if (value - key * n >= n) key++;
    return key;
  };
  let rows = 0;
  let previousKey = -1;
  for (let k = 0; k < n; k++) {
    const key = split(packed[k] as number);
    if (key !== previousKey) rows++;
    previousKey = key;
  }
  const out = { x: new Float64Array(rows), tx: new Float64Array(rows), T: new Float64Array(rows), weight: new Float64Array(rows) };
  const rowOf = new Uint32Array(n);
  let row = -1;
  previousKey = -1;
  for (let k = 0; k < n; k++) {
    const value = packed[k] as number;
    const key = split(value);
    const i = value - key * n;
    if (key !== previousKey) {
      previousKey = key;
      row++;
      out.x[row] = (x[i] as number) + 0;
      out.tx[row] = (txModel[i] as number) + 0;
      out.T[row] = (T[i] as number) + 0;
    }
    out.weight[row] = (out.weight[row] as number) + 1;
    rowOf[i] = row;
  }
  return { ...out, rowOf };
}

/** Rank (0-based, ascending) of each value within its column, and how many distinct values there are. */
function columnRanks(column: Float64Array): { size: number; rank: Uint32Array } {
  // Distinct values by hashing (a column has few: days, weeks, counts), then ranked by sorting them.
  // The table starts small and doubles when half full, so it stays in the processor's cache.
  const n = column.length;
  let mask = 1023;
  let slots = new Int32Array(mask + 1).fill(-1);
  const values: number[] = [];
  const place = (value: number, index: number) => {
    let slot = mixHash(0x2545f491, value) & mask;
    while ((slots[slot] as number) >= 0) slot = (slot + 1) & mask;
    slots[slot] = index;
  };
  const rank = new Uint32Array(n); // distinct-value index first, rank below
  for (let i = 0; i < n; i++) {
    const value = (column[i] as number) + 0;
    let slot = mixHash(0x2545f491, value) & mask;
    for (;;) {
      const index = slots[slot] as number;
      if (index < 0) {
        rank[i] = values.length;
        values.push(value);
        if (2 * values.length > mask) {
          mask = 2 * mask + 1;
          slots = new Int32Array(mask + 1).fill(-1);
          values.forEach(place);
        } else {
          slots[slot] = values.length - 1;
        }
        break;
      }
      if (values[index] === value) {
        rank[i] = index;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  const ascending = Float64Array.from(values).sort();
  const rankOfIndex = Uint32Array.from(values, (value) => lowerBound(ascending, value));
  for (let i = 0; i < n; i++) rank[i] = rankOfIndex[rank[i] as number] as number;
  return { size: values.length, rank };
}

/** The general way, for key spaces too large to pack: hash the rows, then sort the distinct ones. */
function groupBySortingRows(columns: Float64Array[]): IdenticalCustomerGroups {
  const { columns: distinct, weight, rowOf } = groupIdenticalRows(columns);
  const order = Uint32Array.from({ length: weight.length }, (_, row) => row);
  order.sort((i, j) => {
    for (const column of distinct) {
      const difference = (column[i] as number) - (column[j] as number);
      if (difference !== 0) return difference;
    }
    return 0;
  });
  const position = new Uint32Array(order.length);
  order.forEach((row, at) => (position[row] = at));
  const [groupX, groupTx, groupT] = distinct as [Float64Array, Float64Array, Float64Array];
  const permute = (values: Float64Array) => Float64Array.from(order, (row) => values[row] as number);
  for (let i = 0; i < rowOf.length; i++) rowOf[i] = position[rowOf[i] as number] as number;
  return { x: permute(groupX), tx: permute(groupTx), T: permute(groupT), weight: permute(weight), rowOf };
}

function lowerBound(ascending: Float64Array, value: number): number {
  let low = 0;
  let high = ascending.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ascending[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
