import { describe, expect, it } from "vitest";
import { buildSuggestions } from "./index";
import { type TestOrder, purchasesOn, testCustomer, testInput } from "./test-input";
import type { SuggestionInput } from "./types";

const TODAY = 20_000;

describe("buildSuggestions", () => {
  it("ranks playbooks by value at stake, highest first", () => {
    const customers = [
      testCustomer("vip", { valueTier: "top1", churnRisk: "low", rfmGroup: "champions", netRevenueMinor: 90_000, predictedClvMinor: 50_000, probabilityAlive: 0.9 }),
      testCustomer("fading", { valueTier: "top20", churnRisk: "high", rfmGroup: "at_risk", netRevenueMinor: 30_000, predictedClvMinor: 20_000, probabilityAlive: 0.2, probabilityAlivePrevious: 0.5 }),
      testCustomer("new", { valueTier: "rest", churnRisk: "low", rfmGroup: "new", netRevenueMinor: 1_000, predictedClvMinor: 100, probabilityAlive: 1 }),
      testCustomer("reviewer", { valueTier: "rest", churnRisk: "low", rfmGroup: "promising", netRevenueMinor: 1_000, predictedClvMinor: 100, probabilityAlive: 1 }),
    ];
    const orders: TestOrder[] = [
      { customer: "vip", day: TODAY - 100 },
      { customer: "fading", day: TODAY - 300 },
      { customer: "new", day: TODAY - 2 },
      ...purchasesOn("reviewer", [TODAY - 200, TODAY - 10], []),
    ];
    const report = buildSuggestions(testInput({ asOfDay: TODAY, customers, orders }));
    // vip 50,000; save_high_value 20,000; win_back 20,000 × 0.8; welcome 5 % × 10.00; review none.
    expect(report.playbooks.map((playbook) => [playbook.kind, playbook.valueAtStake.amountMinor])).toEqual([
      ["vip", 50_000],
      ["save_high_value", 20_000],
      ["win_back", 16_000],
      ["welcome", 50],
      ["review_request", 0],
    ]);
    expect(report.asOfDay).toBe(TODAY);
  });

  it("breaks ties of value by audience, larger first", () => {
    const orders: TestOrder[] = [
      { customer: "new", day: TODAY - 2 },
      ...purchasesOn("reviewer-1", [TODAY - 200, TODAY - 10], []),
      ...purchasesOn("reviewer-2", [TODAY - 200, TODAY - 12], []),
    ];
    // No assumed conversion: welcome is worth 0 like review_request, and has the smaller audience.
    const report = buildSuggestions(testInput({ asOfDay: TODAY, orders, options: { assumedConversionRate: 0 } }));
    expect(report.playbooks.map((playbook) => [playbook.kind, playbook.valueAtStake.amountMinor, playbook.audienceCount])).toEqual([
      ["review_request", 0, 2],
      ["welcome", 0, 1],
    ]);
  });

  it("returns no playbook for a shop without customers", () => {
    expect(buildSuggestions(testInput({ asOfDay: TODAY }))).toEqual({ asOfDay: TODAY, playbooks: [] });
  });

  it("does not depend on the order of the orders and lines", () => {
    const orders: TestOrder[] = [
      ...Array.from({ length: 20 }, (_, i) => [
        ...purchasesOn(`regular-${i}`, [TODAY - 50 - i, TODAY - 20 - i], ["coffee", "filter"]),
        { customer: `regular-${i}`, day: TODAY - 5, lines: [{ product: "beans" }] },
      ]).flat(),
      ...Array.from({ length: 25 }, (_, i) => ({ customer: `once-${i}`, day: TODAY - 3 * i, lines: [{ product: i % 5 ? "mug" : "coffee" }, { product: null }] })),
    ];
    const input = testInput({ asOfDay: TODAY, orders, products: [{ id: "coffee", category: "Drinks" }, { id: "filter", category: "Drinks" }, { id: "mug", category: "Home" }] });
    const report = buildSuggestions(input);
    expect(report.playbooks.map((playbook) => playbook.kind).sort()).toEqual(["category_interest", "cross_sell", "replenishment", "review_request", "second_purchase", "welcome"]);
    expect(buildSuggestions(shuffled(input))).toEqual(report);
  });

  it("reads each customer's orders in day order, however they come (a few, or many)", () => {
    const newestFirst = (customer: string, count: number) => Array.from({ length: count }, (_, i) => ({ customer, day: TODAY - 10 - i }));
    const report = buildSuggestions(testInput({ asOfDay: TODAY, orders: [...newestFirst("few", 3), ...newestFirst("many", 40)] }));
    // Latest purchase 10 days ago for both; neither is new.
    expect(report.playbooks.map((playbook) => [playbook.kind, playbook.audienceCustomerIds])).toEqual([["review_request", ["few", "many"]]]);
  });

  it("rejects input that does not fit together", () => {
    const input = testInput({ asOfDay: TODAY, orders: [{ customer: "a", day: TODAY - 1, lines: [{ product: "p" }] }] });
    expect(() => buildSuggestions({ ...input, orders: { ...input.orders, customerIndex: [1] } })).toThrow(/order 0 refers to customer 1/);
    expect(() => buildSuggestions({ ...input, lines: { ...input.lines, productIndex: [1] } })).toThrow(/line 0 refers to product 1/);
    expect(() => buildSuggestions({ ...input, orders: { ...input.orders, netAmountMinor: [10.5] } })).toThrow(/whole number of minor units/);
    expect(() => buildSuggestions({ ...input, customers: [{ ...testCustomer("a"), probabilityAlive: 1.5 }] })).toThrow(/probabilityAlive/);
    expect(() => buildSuggestions({ ...input, customers: [{ ...testCustomer("a"), rfmGroup: "hibernating" as never }] })).toThrow(/unknown rfmGroup/);
    expect(() => buildSuggestions({ ...input, options: { reviewFromDays: 30 } })).toThrow(/reviewFromDays/);
    expect(() => buildSuggestions({ ...input, options: { assumedConversionRate: 2 } })).toThrow(/assumedConversionRate/);
  });
});

/** The same shop with its orders and lines in another (deterministic) order. */
function shuffled(input: SuggestionInput): SuggestionInput {
  const permutation = (n: number) => Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919) % n) - ((b * 7919) % n) || a - b);
  const orderCount = input.orders.day.length;
  const orderOrder = permutation(orderCount);
  const newPosition = new Array<number>(orderCount);
  orderOrder.forEach((old, position) => (newPosition[old] = position));
  const lineOrder = permutation(input.lines.orderIndex.length).reverse();
  const pick = (column: ArrayLike<number>, order: number[]) => order.map((i) => column[i] as number);
  return {
    ...input,
    orders: {
      customerIndex: pick(input.orders.customerIndex, orderOrder),
      day: pick(input.orders.day, orderOrder),
      netAmountMinor: pick(input.orders.netAmountMinor, orderOrder),
    },
    lines: {
      orderIndex: lineOrder.map((i) => newPosition[input.lines.orderIndex[i] as number] as number),
      productIndex: pick(input.lines.productIndex, lineOrder),
      amountMinor: pick(input.lines.amountMinor, lineOrder),
    },
  };
}
