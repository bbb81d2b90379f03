import { describe, expect, it } from "vitest";
import { type ExplanationInput, type ModelFitSummary, explainPredictions, humanSpan, modelStatus } from "./explanation";

const fit = (overrides: Partial<ModelFitSummary> = {}): ModelFitSummary => ({
  fittedAt: "2026-11-25T03:00:00.000Z",
  insufficient: false,
  converged: true,
  customers: 4000,
  repeatCustomers: 1200,
  horizonMonths: 12,
  ...overrides,
});

const customer = (overrides: Partial<ExplanationInput> = {}): ExplanationInput => ({
  ordersCount: 5,
  firstOrderAt: "2025-07-20T10:00:00.000Z",
  lastOrderAt: "2026-09-23T10:00:00.000Z",
  probabilityAlive: 0.72,
  expectedPurchases12m: 2.1,
  predictedClv12m: "140.0000",
  now: "2026-11-25T12:00:00.000Z",
  ...overrides,
});

describe("the shop's model status", () => {
  it("is ready when the latest fit has predictions", () => {
    expect(modelStatus(fit())).toEqual({ state: "ready", horizonMonths: 12, fittedAt: "2026-11-25T03:00:00.000Z" });
  });

  it("says why there are no predictions: never fitted, no orders, too few repeat customers, no convergence", () => {
    expect(modelStatus(null)).toEqual({ state: "notFitted" });
    expect(modelStatus(fit({ insufficient: true, customers: 0, repeatCustomers: 0 }))).toMatchObject({ state: "insufficient", reason: "noOrders" });
    expect(modelStatus(fit({ insufficient: true, repeatCustomers: 12 }))).toEqual({ state: "insufficient", reason: "tooFewRepeatCustomers", repeatCustomers: 12, needed: 50 });
    expect(modelStatus(fit({ insufficient: true, converged: false }))).toMatchObject({ state: "insufficient", reason: "notConverged" });
  });
});

describe("which explanation a customer's predictions get", () => {
  const ready = modelStatus(fit());

  it("a repeat customer: orders over a span, days since the last, P(alive), expected orders and value", () => {
    expect(explainPredictions(customer(), ready)).toEqual({
      kind: "repeat",
      orders: 5,
      span: { unit: "months", value: 14 },
      daysSinceLastOrder: 63,
      probabilityAlive: 0.72,
      expectedPurchases: 2.1,
      predictedClv: "140.0000",
      horizonMonths: 12,
    });
  });

  it("a one-order customer: the model cannot tell yet (P(alive) = 1 by construction)", () => {
    const single = customer({ ordersCount: 1, firstOrderAt: "2026-09-23T10:00:00.000Z", probabilityAlive: 1, expectedPurchases12m: 0.4, predictedClv12m: "28.0000" });
    expect(explainPredictions(single, ready)).toEqual({
      kind: "singlePurchase",
      orders: 1,
      daysSinceLastOrder: 63,
      probabilityAlive: 1,
      expectedPurchases: 0.4,
      predictedClv: "28.0000",
      horizonMonths: 12,
    });
  });

  it("several orders on one day are one purchase to the model, too", () => {
    const sameDay = customer({ ordersCount: 3, firstOrderAt: "2026-09-23T08:00:00.000Z", lastOrderAt: "2026-09-23T21:00:00.000Z", probabilityAlive: 1 });
    expect(explainPredictions(sameDay, ready)).toMatchObject({ kind: "singlePurchase", orders: 3 });
  });

  it("a customer without a counted order is a prospect, whatever the models", () => {
    const prospect = customer({ ordersCount: 0, firstOrderAt: null, lastOrderAt: null, probabilityAlive: null, expectedPurchases12m: null, predictedClv12m: null });
    expect(explainPredictions(prospect, ready)).toEqual({ kind: "prospect" });
    expect(explainPredictions(prospect, modelStatus(null))).toEqual({ kind: "prospect" });
  });

  it("insufficient models: no numbers, the reason", () => {
    const status = modelStatus(fit({ insufficient: true, repeatCustomers: 12 }));
    expect(explainPredictions(customer({ probabilityAlive: null, expectedPurchases12m: null, predictedClv12m: null }), status)).toEqual({ kind: "unavailable", status });
    // Stale scores from an earlier, sufficient fit are not explained as current predictions.
    expect(explainPredictions(customer(), status)).toEqual({ kind: "unavailable", status });
  });

  it("fitted models but no scores for this customer yet: they come with the next scoring", () => {
    expect(explainPredictions(customer({ probabilityAlive: null, expectedPurchases12m: null, predictedClv12m: null }), ready)).toEqual({
      kind: "pending",
      fittedAt: "2026-11-25T03:00:00.000Z",
    });
  });
});

describe("time spans in words", () => {
  it("uses days under two months, months under two years, then years to one decimal", () => {
    expect(humanSpan(0)).toEqual({ unit: "days", value: 0 });
    expect(humanSpan(1)).toEqual({ unit: "days", value: 1 });
    expect(humanSpan(59.4)).toEqual({ unit: "days", value: 59 });
    expect(humanSpan(60)).toEqual({ unit: "months", value: 2 });
    expect(humanSpan(430)).toEqual({ unit: "months", value: 14 });
    expect(humanSpan(730)).toEqual({ unit: "years", value: 2 });
    expect(humanSpan(1200)).toEqual({ unit: "years", value: 3.3 });
  });
});
