import { describe, expect, it } from "vitest";
import { RFM_GROUPS, RFM_GROUP_RULES, type RfmGroup, rfmGroupForScores, rfmSegments } from "./rfm";

const groupNames = (codes: Uint8Array) => Array.from(codes, (code) => RFM_GROUPS[code] as RfmGroup);

describe("RFM group rules", () => {
  it("map every (R, FM) combination to exactly one group", () => {
    for (let r = 1; r <= 5; r++) {
      for (let fmTwice = 2; fmTwice <= 10; fmTwice++) {
        const fm = fmTwice / 2;
        const matching = RFM_GROUP_RULES.filter(
          (rule) => r >= rule.recency[0] && r <= rule.recency[1] && fm >= rule.frequencyMonetary[0] && fm <= rule.frequencyMonetary[1],
        );
        expect(matching.map((rule) => rule.group), `R ${r}, FM ${fm}`).toHaveLength(1);
      }
    }
  });

  it("name the 10 scored groups once each; Prospects are the 11th, outside the table", () => {
    const scored = RFM_GROUP_RULES.map((rule) => rule.group);
    expect(new Set(scored).size).toBe(10);
    expect([...scored, "prospects"].sort()).toEqual([...RFM_GROUPS].sort());
    for (const rule of RFM_GROUP_RULES) {
      expect(rule.recency[0]).toBeLessThanOrEqual(rule.recency[1]);
      expect(Number.isInteger(rule.frequencyMonetary[0] * 2) && Number.isInteger(rule.frequencyMonetary[1] * 2)).toBe(true);
    }
  });

  it("agree with the lookup for every score triple", () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        for (let m = 1; m <= 5; m++) {
          const fm = (f + m) / 2;
          const rule = RFM_GROUP_RULES.find(
            (candidate) => r >= candidate.recency[0] && r <= candidate.recency[1] && fm >= candidate.frequencyMonetary[0] && fm <= candidate.frequencyMonetary[1],
          );
          expect(rfmGroupForScores(r, f, m)).toBe(rule?.group);
        }
      }
    }
    expect(() => rfmGroupForScores(0, 3, 3)).toThrow(RangeError);
    expect(() => rfmGroupForScores(3, 2.5, 3)).toThrow(RangeError);
  });

  it("read like the merchant's groups", () => {
    expect(rfmGroupForScores(5, 5, 5)).toBe("champions");
    expect(rfmGroupForScores(5, 1, 1)).toBe("new");
    expect(rfmGroupForScores(1, 5, 5)).toBe("previously_loyal");
    expect(rfmGroupForScores(2, 3, 3)).toBe("at_risk");
    expect(rfmGroupForScores(1, 1, 1)).toBe("dormant");
    expect(rfmGroupForScores(2, 1, 2)).toBe("almost_lost");
  });
});

describe("RFM scores by quintile within the shop", () => {
  it("give the worst fifth 1 and the best fifth 5 when values are distinct, however small the shop", () => {
    const n = 10;
    const ordinal = Float64Array.from({ length: n }, (_, i) => i + 1);
    const segments = rfmSegments({
      ordersCount: ordinal,
      netRevenue: ordinal.map((v) => v * 10),
      timeSinceLastOrder: ordinal.map((v) => 100 - v), // customer 10 ordered most recently
    });
    expect(Array.from(segments.frequency)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(Array.from(segments.monetary)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(Array.from(segments.recency)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(groupNames(segments.group).at(-1)).toBe("champions");
    expect(groupNames(segments.group)[0]).toBe("dormant");
    const four = rfmSegments({ ordersCount: Float64Array.from([1, 2, 3, 4]), netRevenue: Float64Array.from([1, 2, 3, 4]), timeSinceLastOrder: Float64Array.from([4, 3, 2, 1]) });
    expect(Array.from(four.frequency)).toEqual([1, 2, 4, 5]);
    const one = rfmSegments({ ordersCount: Float64Array.from([2]), netRevenue: Float64Array.from([80]), timeSinceLastOrder: Float64Array.from([3]) });
    expect([one.recency[0], one.frequency[0], one.monetary[0], groupNames(one.group)[0]]).toEqual([3, 3, 3, "needs_attention"]);
  });

  it("give tied customers the score of the lowest place their value reaches: all one-order customers score F1", () => {
    // 6 of 10 customers have one order: F1 however many they are; 2 orders → 1 + ⌊5·6/9⌋ = 4.
    const orders = Float64Array.from([1, 1, 1, 1, 1, 1, 2, 2, 3, 7]);
    const segments = rfmSegments({ ordersCount: orders, netRevenue: orders.map((v) => v * 25), timeSinceLastOrder: new Float64Array(10).fill(30) });
    expect(Array.from(segments.frequency)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    // Everybody last ordered on the same day: nobody is more or less recent, so all get the middle R3.
    expect(new Set(segments.recency)).toEqual(new Set([3]));
  });

  it("do not depend on the order the customers come in", () => {
    const n = 500;
    let seed = 42;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const orders = Float64Array.from({ length: n }, () => 1 + Math.floor(random() * 4));
    const revenue = Float64Array.from({ length: n }, () => Math.round(random() * 300));
    const recency = Float64Array.from({ length: n }, () => Math.floor(random() * 400));
    const base = rfmSegments({ ordersCount: orders, netRevenue: revenue, timeSinceLastOrder: recency });
    const permutation = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const shuffled = rfmSegments({
      ordersCount: Float64Array.from(permutation, (i) => orders[i] as number),
      netRevenue: Float64Array.from(permutation, (i) => revenue[i] as number),
      timeSinceLastOrder: Float64Array.from(permutation, (i) => recency[i] as number),
    });
    permutation.forEach((i, k) => {
      expect(shuffled.group[k]).toBe(base.group[i]);
      expect([shuffled.recency[k], shuffled.frequency[k], shuffled.monetary[k]]).toEqual([base.recency[i], base.frequency[i], base.monetary[i]]);
    });
  });

  it("make customers without a counted order Prospects, outside the quintiles", () => {
    const segments = rfmSegments({
      ordersCount: Float64Array.from([0, 1, 2, 0, 3]),
      netRevenue: Float64Array.from([0, 10, 20, 0, 30]),
      timeSinceLastOrder: Float64Array.from([Number.NaN, 300, 20, Number.NaN, 1]),
    });
    expect(groupNames(segments.group)).toEqual(["prospects", "dormant", "needs_attention", "prospects", "champions"]);
    expect(Array.from(segments.frequency)).toEqual([0, 1, 3, 0, 5]);
  });
});
