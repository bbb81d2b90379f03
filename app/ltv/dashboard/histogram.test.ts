import { describe, expect, it } from "vitest";
import { Decimal } from "../money";
import { MAX_INTERIOR_BINS, MIN_INTERIOR_BINS, type LtvSpread, bucketIndex, histogramBins, histogramEdges } from "./histogram";

/** Percentiles as PostgreSQL's percentile_cont computes them (linear interpolation). */
function spreadOf(values: number[]): LtvSpread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    const position = p * (sorted.length - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, sorted.length - 1);
    return (sorted[below] as number) + ((sorted[above] as number) - (sorted[below] as number)) * (position - below);
  };
  return { min: sorted[0] as number, max: sorted[sorted.length - 1] as number, p01: at(0.01), p05: at(0.05), p10: at(0.1), p99: at(0.99) };
}

/** Customers per bucket as the database's width_bucket() would count them. */
function count(values: number[], edges: string[]) {
  const buckets = new Map<number, { customers: number; netRevenue: Decimal }>();
  for (const value of values) {
    const bucket = bucketIndex(value, edges);
    const total = buckets.get(bucket) ?? { customers: 0, netRevenue: new Decimal(0) };
    total.customers++;
    total.netRevenue = total.netRevenue.plus(value);
    buckets.set(bucket, total);
  }
  return [...buckets].map(([bucket, total]) => ({ bucket, customers: total.customers, netRevenue: total.netRevenue.toFixed(2) }));
}

// A gift shop's customers: most spend €15–€200, a long tail of wholesalers up to €25,000.
const skewed: number[] = [];
for (let i = 0; i < 1000; i++) skewed.push(Math.round(15 * Math.exp((i / 1000) * 4.6) * 100) / 100);
skewed.push(8_000, 12_500, 25_000);

describe("LTV histogram edges", () => {
  it("follow a round money ladder from the 1st to past the 99th percentile of a skewed shop", () => {
    const edges = histogramEdges(spreadOf(skewed));
    expect(edges.length - 1).toBeGreaterThanOrEqual(MIN_INTERIOR_BINS);
    expect(edges.length - 1).toBeLessThanOrEqual(MAX_INTERIOR_BINS);
    for (const edge of edges) {
      const value = new Decimal(edge);
      const mantissa = value.div(new Decimal(10).pow(Math.floor(Math.log10(value.toNumber())))).toNumber();
      expect([1, 1.5, 2, 3, 5, 7.5], edge).toContain(mantissa);
    }
    const spread = spreadOf(skewed);
    expect(Number(edges[0])).toBeLessThanOrEqual(spread.p01);
    expect(Number(edges[edges.length - 1])).toBeGreaterThan(spread.p99);
    // The whales land in the open top bin, everybody else between the edges.
    const bins = histogramBins(edges, count(skewed, edges));
    expect(bins[bins.length - 1]).toMatchObject({ to: null, customers: 3, netRevenue: "45500.00" });
    expect(bins.reduce((sum, bin) => sum + bin.customers, 0)).toBe(skewed.length);
  });

  it("switch to even steps when everybody spends about the same", () => {
    const narrow = Array.from({ length: 200 }, (_, i) => 40 + (i % 61));
    const edges = histogramEdges(spreadOf(narrow));
    expect(edges).toEqual(["40", "50", "60", "70", "80", "90", "100", "110"]);
    const bins = histogramBins(edges, count(narrow, edges));
    expect(bins.map((bin) => bin.from)).toEqual(["40", "50", "60", "70", "80", "90", "100"]);
    expect(bins.reduce((sum, bin) => sum + bin.customers, 0)).toBe(200);
  });

  it("give a shop with one customer one bin around that customer", () => {
    const edges = histogramEdges(spreadOf([49.99]));
    expect(edges).toEqual(["40", "50"]);
    expect(histogramBins(edges, count([49.99], edges))).toEqual([{ from: "40", to: "50", customers: 1, netRevenue: "49.99" }]);
  });

  it("put fully refunded customers below the first edge, in a bin shown only when someone is there", () => {
    const values = [...skewed, 0, 0, -5];
    const edges = histogramEdges(spreadOf(values));
    const bins = histogramBins(edges, count(values, edges));
    expect(bins[0]).toMatchObject({ from: null, to: edges[0] });
    expect(bins[0]!.customers).toBeGreaterThanOrEqual(3);
    // Without them the "under" bin is left out.
    const onlyAbove = histogramBins(["10", "20"], [{ bucket: 1, customers: 4, netRevenue: "60" }]);
    expect(onlyAbove).toEqual([{ from: "10", to: "20", customers: 4, netRevenue: "60.00" }]);
  });

  it("keep empty bins between the edges so the axis has no gaps", () => {
    const bins = histogramBins(["10", "20", "50", "100"], [
      { bucket: 1, customers: 2, netRevenue: "30" },
      { bucket: 3, customers: 1, netRevenue: "70" },
    ]);
    expect(bins.map((bin) => [bin.from, bin.to, bin.customers])).toEqual([
      ["10", "20", 2],
      ["20", "50", 0],
      ["50", "100", 1],
    ]);
  });

  it("are one edge at zero when nobody is worth anything, and none without customers", () => {
    expect(histogramEdges(spreadOf([0, 0, -3]))).toEqual(["0"]);
    expect(histogramEdges(null)).toEqual([]);
  });

  it("place a value on an edge in the bin that starts there, as width_bucket does", () => {
    expect(bucketIndex("20", ["10", "20", "50"])).toBe(2);
    expect(bucketIndex("19.9999", ["10", "20", "50"])).toBe(1);
    expect(bucketIndex(-1, ["10", "20", "50"])).toBe(0);
    expect(bucketIndex(50, ["10", "20", "50"])).toBe(3);
    expect(() => histogramBins(["10"], [{ bucket: 2, customers: 1, netRevenue: "1" }])).toThrow(RangeError);
  });

  it("are whole cents, even for a shop of tiny amounts", () => {
    const tiny = Array.from({ length: 100 }, (_, i) => (i + 1) / 1000);
    const edges = histogramEdges(spreadOf(tiny));
    expect(edges).toEqual(["0", "0.02", "0.04", "0.06", "0.08", "0.1"]); // a step of 0.025 would split cents
    expect(edges.every((edge) => new Decimal(edge).decimalPlaces() <= 2)).toBe(true);
  });
});
