import { describe, expect, it } from "vitest";
import { highValueLines, nextHighValueMembership } from "./high-value";
import { highValueMembership } from "./value-tiers";

const none = (n: number) => new Uint8Array(n);
const flags = (n: number, members: number[]) => {
  const result = new Uint8Array(n);
  for (const index of members) result[index] = 1;
  return result;
};

describe("high-value membership with an amount rule (at least €500)", () => {
  const rule = { basis: "historical", kind: "atLeast", amount: 500 } as const;

  it("admits customers at €500.00 and above, and nobody at €499.99", () => {
    const historical = Float64Array.from([500, 499.99, 1200, 0, 450]);
    const change = nextHighValueMembership(rule, { historical, predicted: null }, none(5));
    expect(Array.from(change.members)).toEqual([1, 0, 1, 0, 0]);
    expect(change.entered).toEqual([0, 2]);
    expect(change.left).toEqual([]);
    expect(change.lines).toEqual({ entry: 500, exit: 450, basis: "historical" });
  });

  it("keeps a member down to €450.00 and lets them go at €449.99", () => {
    const historical = Float64Array.from([450, 449.99, 499.99]);
    const change = nextHighValueMembership(rule, { historical, predicted: null }, flags(3, [0, 1, 2]));
    expect(Array.from(change.members)).toEqual([1, 0, 1]);
    expect(change.left).toEqual([1]);
  });

  it("does not flap: a customer wobbling between €470 and €510 enters once and stays", () => {
    let current: Uint8Array = none(1);
    const history: number[] = [];
    for (const value of [470, 510, 480, 505, 470, 495]) {
      const change = nextHighValueMembership(rule, { historical: Float64Array.of(value), predicted: null }, current);
      history.push(change.entered.length - change.left.length);
      current = change.members;
    }
    expect(history).toEqual([0, 1, 0, 0, 0, 0]);
  });

  it("computes the exit line in decimals, exactly", () => {
    expect(highValueLines({ basis: "historical", kind: "atLeast", amount: 333.33 }, new Float64Array(0)).exit).toBe(299.997);
  });
});

describe("high-value membership with a top-percent rule (top 5 %)", () => {
  const rule = { basis: "historical", kind: "topPercent", percent: 5 } as const;
  // 200 customers worth 5 … 1000: top 5 % = 10 customers (≥ 955), top 6.25 % = 13 (≥ 940).
  const historical = Float64Array.from({ length: 200 }, (_, i) => (i + 1) * 5);

  it("without anyone in the set yet, is exactly the shop's rule (value-tiers.ts)", () => {
    const change = nextHighValueMembership(rule, { historical, predicted: null }, none(200));
    expect(Array.from(change.members)).toEqual(Array.from(highValueMembership(rule, { historical, predicted: null }).members));
    expect(change.entered).toHaveLength(10);
    expect(change.lines).toMatchObject({ entry: 955, exit: 940 });
  });

  it("keeps former members within the top 6.25 % and lets go of the rest", () => {
    // Members were the customers worth 900 … 1000 (indices 179 … 199).
    const current = flags(200, Array.from({ length: 21 }, (_, k) => 179 + k));
    const change = nextHighValueMembership(rule, { historical, predicted: null }, current);
    expect(change.members.reduce((sum, flag) => sum + flag, 0)).toBe(13);
    expect(change.left).toEqual(Array.from({ length: 8 }, (_, k) => 179 + k));
    expect(change.entered).toEqual([]);
  });

  it("never keeps a customer who is worth nothing", () => {
    const change = nextHighValueMembership({ ...rule, percent: 50 }, { historical: Float64Array.of(0, 0, 10), predicted: null }, flags(3, [0, 1, 2]));
    expect(Array.from(change.members)).toEqual([0, 0, 1]);
  });
});

describe("the basis", () => {
  it("uses predictions when the shop has them and historical values when it does not", () => {
    const rule = { basis: "predicted", kind: "atLeast", amount: 100 } as const;
    const historical = Float64Array.of(150, 50);
    const predicted = Float64Array.of(20, 300);
    expect(Array.from(nextHighValueMembership(rule, { historical, predicted }, none(2)).members)).toEqual([0, 1]);
    const fallback = nextHighValueMembership(rule, { historical, predicted: null }, none(2));
    expect(Array.from(fallback.members)).toEqual([1, 0]);
    expect(fallback.lines.basis).toBe("historical");
  });

  it("refuses membership flags that do not match the customers", () => {
    expect(() => nextHighValueMembership({ basis: "historical", kind: "atLeast", amount: 1 }, { historical: Float64Array.of(1, 2), predicted: null }, none(3))).toThrow(RangeError);
  });
});
