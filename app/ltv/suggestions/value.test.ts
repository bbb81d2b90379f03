import { describe, expect, it } from "vitest";
import { buildSuggestions } from "./index";
import { playbookOf, testCustomer, testInput } from "./test-input";
import type { SuggestionCustomer } from "./types";

const TODAY = 20_000;
const oneOrderEach = (customers: SuggestionCustomer[]) => customers.map((customer) => ({ customer: customer.id, day: TODAY - 100 }));
const withoutPredictions = (customers: SuggestionCustomer[]) =>
  customers.map((customer) => ({ ...customer, probabilityAlive: null, probabilityAlivePrevious: null, predictedClvMinor: null }));

describe("win_back", () => {
  // Predicted CLV median: (1000 + 5000) / 2 = 3000.
  const customers = [
    // Falling from 0.8, though still above an even chance.
    testCustomer("at-risk-falling", { rfmGroup: "at_risk", predictedClvMinor: 5000, probabilityAlive: 0.6, probabilityAlivePrevious: 0.8 }),
    testCustomer("previously-loyal-low", { rfmGroup: "previously_loyal", predictedClvMinor: 8000, probabilityAlive: 0.2, probabilityAlivePrevious: null }),
    testCustomer("dormant-even-chance", { rfmGroup: "dormant", predictedClvMinor: 6000, probabilityAlive: 0.6, probabilityAlivePrevious: null }),
    // Below an even chance, but rising.
    testCustomer("at-risk-rising", { rfmGroup: "at_risk", predictedClvMinor: 9000, probabilityAlive: 0.3, probabilityAlivePrevious: 0.2 }),
    testCustomer("almost-lost-low-value", { rfmGroup: "almost_lost", predictedClvMinor: 100, probabilityAlive: 0.1, probabilityAlivePrevious: 0.3 }),
    testCustomer("champion-falling", { rfmGroup: "champions", predictedClvMinor: 9500, probabilityAlive: 0.3, probabilityAlivePrevious: 0.9 }),
    testCustomer("loyal-1", { rfmGroup: "loyal", predictedClvMinor: 100, probabilityAlive: 0.9 }),
    testCustomer("loyal-2", { rfmGroup: "loyal", predictedClvMinor: 200, probabilityAlive: 0.9 }),
    testCustomer("loyal-3", { rfmGroup: "loyal", predictedClvMinor: 300, probabilityAlive: 0.9 }),
    testCustomer("loyal-4", { rfmGroup: "loyal", predictedClvMinor: 1000, probabilityAlive: 0.9 }),
  ];

  it("lists lapsing customers worth more than the median whose P(alive) is falling, with the CLV at risk", () => {
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, customers, orders: oneOrderEach(customers) })), "win_back");
    expect(playbook?.audienceCustomerIds).toEqual(["at-risk-falling", "previously-loyal-low"]);
    // 5000 × (1 − 0.6) + 8000 × (1 − 0.2)
    expect(playbook?.valueAtStake).toEqual({ basis: "predicted_clv_at_risk", amountMinor: 8400 });
    expect(playbook?.evidence).toEqual({
      customers: 2,
      shopMedianPredictedClvMinor: 3000,
      predictedClvMinor: 13000,
      averageProbabilityAlive: expect.closeTo(0.4, 12),
      customersWithPreviousProbabilityAlive: 1,
      averageProbabilityAlivePrevious: 0.8,
      byRfmGroup: { at_risk: 1, previously_loyal: 1 },
    });
    expect(playbook?.timing).toEqual({ kind: "now" });
  });

  it("is left out without predictions", () => {
    const unscored = withoutPredictions(customers);
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, customers: unscored, orders: oneOrderEach(unscored) })), "win_back")).toBeUndefined();
  });

  it("is left out when no lapsing customer is worth more than the median", () => {
    const cheap = customers.map((customer) => (customer.rfmGroup === "at_risk" || customer.rfmGroup === "previously_loyal" ? { ...customer, predictedClvMinor: 50 } : customer));
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, customers: cheap, orders: oneOrderEach(cheap) })), "win_back")).toBeUndefined();
  });
});

describe("vip", () => {
  const customers = [
    testCustomer("top-1", { valueTier: "top1", netRevenueMinor: 50_000, predictedClvMinor: 40_000.4, probabilityAlive: 0.9 }),
    testCustomer("top-5", { valueTier: "top5", netRevenueMinor: 30_000, predictedClvMinor: 20_000.4, probabilityAlive: 0.9 }),
    testCustomer("top-20", { valueTier: "top20", netRevenueMinor: 10_000, predictedClvMinor: 5_000, probabilityAlive: 0.9 }),
    testCustomer("rest", { valueTier: "rest", netRevenueMinor: 10_000, predictedClvMinor: 1_000, probabilityAlive: 0.9 }),
  ];

  it("lists the top 1 % and 5 % with their share of revenue; worth their predicted CLV", () => {
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, customers, orders: oneOrderEach(customers) })), "vip");
    expect(playbook?.audienceCustomerIds).toEqual(["top-1", "top-5"]);
    expect(playbook?.evidence).toEqual({
      customers: 2,
      customersWithOrders: 4,
      shareOfCustomers: 0.5,
      revenueMinor: 80_000,
      shopRevenueMinor: 100_000,
      shareOfRevenue: 0.8,
      predictedClvMinor: 60_001,
    });
    // Rounded once, at the end: 40,000.4 + 20,000.4.
    expect(playbook?.valueAtStake).toEqual({ basis: "predicted_clv", amountMinor: 60_001 });
  });

  it("is worth their net revenue without predictions", () => {
    const unscored = withoutPredictions(customers);
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, customers: unscored, orders: oneOrderEach(unscored) })), "vip");
    expect(playbook?.valueAtStake).toEqual({ basis: "historical_net_revenue", amountMinor: 80_000 });
    expect(playbook?.evidence.predictedClvMinor).toBeNull();
  });

  it("is left out when nobody is in the top tier", () => {
    const flat = customers.map((customer) => ({ ...customer, valueTier: customer.valueTier === "rest" ? ("rest" as const) : ("top20" as const) }));
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, customers: flat, orders: oneOrderEach(flat) })), "vip")).toBeUndefined();
  });
});

describe("save_high_value", () => {
  const customers = [
    testCustomer("top-20-high", { valueTier: "top20", churnRisk: "high", netRevenueMinor: 9_000, predictedClvMinor: 1_500, probabilityAlive: 0.2 }),
    testCustomer("top-5-medium", { valueTier: "top5", churnRisk: "medium", netRevenueMinor: 20_000, predictedClvMinor: 7_000, probabilityAlive: 0.5 }),
    testCustomer("top-1-low", { valueTier: "top1", churnRisk: "low", netRevenueMinor: 50_000, predictedClvMinor: 30_000, probabilityAlive: 0.9 }),
    testCustomer("rest-high", { valueTier: "rest", churnRisk: "high", netRevenueMinor: 500, predictedClvMinor: 10, probabilityAlive: 0.1 }),
  ];

  it("lists top-20 % customers with high or medium churn risk; worth their predicted CLV", () => {
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, customers, orders: oneOrderEach(customers) })), "save_high_value");
    expect(playbook?.audienceCustomerIds).toEqual(["top-20-high", "top-5-medium"]);
    expect(playbook?.valueAtStake).toEqual({ basis: "predicted_clv", amountMinor: 8_500 });
    expect(playbook?.evidence).toEqual({ customers: 2, highRisk: 1, mediumRisk: 1, revenueMinor: 29_000, predictedClvMinor: 8_500 });
  });

  it("is worth their net revenue without predictions", () => {
    const unscored = withoutPredictions(customers);
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, customers: unscored, orders: oneOrderEach(unscored) })), "save_high_value");
    expect(playbook?.valueAtStake).toEqual({ basis: "historical_net_revenue", amountMinor: 29_000 });
  });

  it("is left out when every high-value customer is at low risk", () => {
    const safe = customers.map((customer) => (customer.valueTier === "rest" ? customer : { ...customer, churnRisk: "low" as const }));
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, customers: safe, orders: oneOrderEach(safe) })), "save_high_value")).toBeUndefined();
  });
});
