// The LTV distribution's bins: round money edges a merchant reads at a glance ("€20 – €50"), spaced
// so the shape of a skewed distribution shows. Customer values are heavily right-skewed (many small
// spenders, a long tail), so edges follow a 1–2–5-style ladder per power of ten between the 1st and
// 99th percentile; the last 1 % or so (and the first) fall into open bins ("€2,000 or more",
// "under €5"). When the values sit within one power of ten (or the ladder gives too few bins) edges
// are evenly spaced at a round step (1, 2, 2.5 or 5 × 10^k) instead. Edges are whole cents.
//
// Edges are exact decimal strings; the database counts customers per bin with width_bucket() on the
// same edges, so a value on an edge belongs to the bin that starts there (as `bucketIndex` below).
import { Decimal } from "../money";
import type { HistogramBin } from "./report";

/** Percentiles of net revenue per customer (floats: only used to place round edges). */
export type LtvSpread = { min: number; max: number; p01: number; p05: number; p10: number; p99: number };

export const MAX_INTERIOR_BINS = 12;
export const MIN_INTERIOR_BINS = 4;
const EVEN_BINS_TARGET = 8;
const SMALLEST_EDGE = new Decimal("0.01");

/** Mantissas per power of ten, finest first. */
const LADDERS: readonly (readonly number[])[] = [[1, 1.5, 2, 3, 5, 7.5], [1, 2, 5], [1, 3], [1]];
const EVEN_STEPS = [1, 2, 2.5, 5];

const decimalsOf = (value: number) => new Decimal(value.toPrecision(15));

/** Ladder values m × 10^k, ascending, from the largest ≤ `low` to the smallest > `high`. */
function ladderEdges(ladder: readonly number[], low: Decimal, high: Decimal): Decimal[] {
  let exponent = Math.floor(Math.log10(low.toNumber())) - 1;
  const edges: Decimal[] = [];
  for (;;) {
    const scale = new Decimal(10).pow(exponent);
    for (const mantissa of ladder) {
      const value = new Decimal(mantissa).times(scale);
      if (value.decimalPlaces() > 2) continue; // money edges are whole cents
      if (value.lte(low)) edges.length = 0; // only the last value ≤ low starts the ladder
      edges.push(value);
      if (value.gt(high)) return edges;
    }
    exponent++;
  }
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `value`. */
function evenStep(value: Decimal): Decimal {
  let exponent = Math.floor(Math.log10(value.toNumber()));
  for (;;) {
    const scale = new Decimal(10).pow(exponent);
    for (const mantissa of EVEN_STEPS) {
      const step = new Decimal(mantissa).times(scale);
      if (step.gte(value) && step.gte(SMALLEST_EDGE) && step.decimalPlaces() <= 2) return step;
    }
    exponent++;
  }
}

function evenEdges(low: Decimal, high: Decimal): Decimal[] {
  const span = high.minus(low);
  const step = evenStep(span.gt(0) ? span.div(EVEN_BINS_TARGET) : Decimal.max(high.abs(), 1).div(EVEN_BINS_TARGET));
  const edges: Decimal[] = [];
  let edge = low.div(step).floor().times(step);
  edges.push(edge);
  do {
    edge = edge.plus(step);
    edges.push(edge);
  } while (edge.lte(high));
  return edges;
}

/**
 * Ascending bin edges as decimal strings. Bins: below the first edge, between consecutive edges
 * (lower edge inclusive), and from the last edge up. Empty when there are no customers.
 */
export function histogramEdges(spread: LtvSpread | null): string[] {
  if (!spread) return [];
  for (const [name, value] of Object.entries(spread)) if (!Number.isFinite(value)) throw new RangeError(`histogramEdges: ${name} must be finite, got ${value}`);
  // Nobody is worth more than zero (everything refunded, say): one edge at zero.
  if (!(spread.max > 0)) return ["0"];
  const high = decimalsOf(spread.p99 > 0 ? spread.p99 : spread.max);
  const lowPercentile = [spread.p01, spread.p05, spread.p10].find((value) => value > 0);
  // At most four powers of ten below the top, and never below a cent.
  const floor = Decimal.max(high.div(10_000), SMALLEST_EDGE);
  const low = Decimal.max(lowPercentile === undefined ? high.div(1000) : decimalsOf(lowPercentile), floor);

  // Within one power of ten a ladder has too few rungs: even steps read better there.
  let best: Decimal[] | null = null;
  if (high.gt(low.times(10))) for (const ladder of LADDERS) {
    const edges = ladderEdges(ladder, low, high);
    if (edges.length - 1 <= MAX_INTERIOR_BINS) {
      best = edges;
      break;
    }
  }
  if (!best || best.length - 1 < MIN_INTERIOR_BINS) best = evenEdges(Decimal.max(decimalsOf(spread.p01), new Decimal(0)), high);
  return best.map((edge) => edge.toFixed());
}

/** The bin of `value` for `edges`, as PostgreSQL's width_bucket(value, edges): 0 below the first edge, edges.length from the last up. */
export function bucketIndex(value: Decimal.Value, edges: readonly string[]): number {
  const amount = new Decimal(value);
  let bucket = 0;
  while (bucket < edges.length && amount.gte(edges[bucket] as string)) bucket++;
  return bucket;
}

export type BucketTotals = { bucket: number; customers: number; netRevenue: string };

/**
 * The bins for `edges` with the counted customers per bucket (as width_bucket numbers them). Every
 * bin between the edges is kept, empty or not, so the chart's axis is continuous; the open bins at
 * either end only when someone is in them.
 */
export function histogramBins(edges: readonly string[], buckets: readonly BucketTotals[]): HistogramBin[] {
  const n = edges.length;
  const totals = new Map<number, { customers: number; netRevenue: Decimal }>();
  for (const { bucket, customers, netRevenue } of buckets) {
    if (!Number.isInteger(bucket) || bucket < 0 || bucket > n) throw new RangeError(`histogramBins: bucket ${bucket} outside 0…${n}`);
    const total = totals.get(bucket) ?? { customers: 0, netRevenue: new Decimal(0) };
    total.customers += customers;
    total.netRevenue = total.netRevenue.plus(netRevenue);
    totals.set(bucket, total);
  }
  const bins: HistogramBin[] = [];
  for (let bucket = 0; bucket <= n; bucket++) {
    const total = totals.get(bucket);
    const open = bucket === 0 || bucket === n;
    if (open && !total?.customers) continue;
    bins.push({
      from: bucket === 0 ? null : (edges[bucket - 1] as string),
      to: bucket === n ? null : (edges[bucket] as string),
      customers: total?.customers ?? 0,
      netRevenue: (total?.netRevenue ?? new Decimal(0)).toFixed(2),
    });
  }
  return bins;
}
