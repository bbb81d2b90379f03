import { describe, expect, it } from "vitest";
import { orderStatistics } from "./ranking";

describe("order statistics", () => {
  it("agree with sorting, on distinct and on heavily tied values, in any order of ranks", () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const distinctValues of [3, 50, 1_000_000]) {
      const values = Float64Array.from({ length: 5_000 }, () => Math.floor(random() * distinctValues));
      const sorted = values.slice().sort();
      const ranks = [4_999, 0, 1_000, 2_500, 999, 4_000, 1];
      expect(Array.from(orderStatistics(values, ranks))).toEqual(ranks.map((rank) => sorted[rank]));
    }
  });

  it("consider only the included values and leave the input alone", () => {
    const values = Float64Array.from([5, 1, 9, 3, 7]);
    expect(Array.from(orderStatistics(values, [0, 1, 2], Uint8Array.from([1, 0, 1, 1, 0])))).toEqual([3, 5, 9]);
    expect(Array.from(values)).toEqual([5, 1, 9, 3, 7]);
    expect(() => orderStatistics(values, [5])).toThrow(RangeError);
    expect(() => orderStatistics(Float64Array.from([1, Number.NaN]), [0])).toThrow(RangeError);
  });
});
