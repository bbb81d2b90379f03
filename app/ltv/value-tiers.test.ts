import { describe, expect, it } from "vitest";
import { VALUE_TIERS, highValueMembership, highValueThreshold, isHighValue, valueTiers } from "./value-tiers";

const tierCounts = (codes: Uint8Array) => Object.fromEntries(VALUE_TIERS.map((tier, code) => [tier, codes.filter((c) => c === code).length]));

describe("value tiers", () => {
  it("put exactly 1 %, 4 % and 15 % of 1,000 distinct customers in the top 1, 5 and 20 %", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => ((i * 617) % 1000) + 1); // 1..1000, shuffled
    const tiers = valueTiers(values);
    expect(tierCounts(tiers)).toEqual({ top1: 10, top5: 40, top20: 150, rest: 800 });
    expect(VALUE_TIERS[tiers[values.indexOf(1000)] as number]).toBe("top1");
    expect(VALUE_TIERS[tiers[values.indexOf(991)] as number]).toBe("top1");
    expect(VALUE_TIERS[tiers[values.indexOf(990)] as number]).toBe("top5");
  });

  it("keep tied customers together, never rank a customer worth nothing, and always give a small shop a top customer", () => {
    // 10 customers: the best is alone in the top 1 % (fewer than 0.1 customers worth more), the two
    // tied at 50 share the top 20 %, the customers worth 0 are "rest" even though few are worth more.
    const tiers = valueTiers(Float64Array.from([900, 50, 50, 10, 8, 6, 4, 2, 0, 0]));
    expect(Array.from(tiers, (code) => VALUE_TIERS[code])).toEqual(["top1", "top20", "top20", "rest", "rest", "rest", "rest", "rest", "rest", "rest"]);
    expect(Array.from(valueTiers(new Float64Array(5)), (code) => VALUE_TIERS[code])).toEqual(["rest", "rest", "rest", "rest", "rest"]);
  });
});

describe("the shop's high-value rule", () => {
  const historical = Float64Array.from({ length: 200 }, (_, i) => (i + 1) * 5); // 5 … 1000

  it("top 5 % agrees with the tiers", () => {
    const threshold = highValueThreshold({ basis: "historical", kind: "topPercent", percent: 5 }, historical);
    expect(threshold).toBe(955);
    const tiers = valueTiers(historical);
    historical.forEach((value, i) => expect(isHighValue(value, threshold)).toBe((tiers[i] as number) <= 1));
  });

  it("'at least' is a plain threshold, and zero never qualifies", () => {
    expect(highValueThreshold({ basis: "historical", kind: "atLeast", amount: 500 }, historical)).toBe(500);
    expect(isHighValue(500, 500)).toBe(true);
    expect(isHighValue(499.99, 500)).toBe(false);
    expect(isHighValue(0, 0)).toBe(false);
  });

  it("falls back to historical values when a predicted rule has no predictions, and says so", () => {
    const rule = { basis: "predicted", kind: "topPercent", percent: 1 } as const;
    const withoutPredictions = highValueMembership(rule, { historical, predicted: null });
    expect(withoutPredictions.basis).toBe("historical");
    expect(withoutPredictions.members.reduce((sum, member) => sum + member, 0)).toBe(2);
    const predicted = historical.map((value) => 2000 - value);
    const withPredictions = highValueMembership(rule, { historical, predicted });
    expect(withPredictions.basis).toBe("predicted");
    expect(Array.from(withPredictions.members.slice(0, 3))).toEqual([1, 1, 0]);
  });

  it("rejects a percent outside (0, 100]", () => {
    expect(() => highValueThreshold({ basis: "historical", kind: "topPercent", percent: 0 }, historical)).toThrow(RangeError);
    expect(() => highValueThreshold({ basis: "historical", kind: "topPercent", percent: 101 }, historical)).toThrow(RangeError);
  });
});
