import { describe, expect, it } from "vitest";
import type { HoldoutBacktest } from "../backtest";
import { LIFESPAN_CAP_YEARS } from "../formula-ltv";
import { accuracyVerdict, formulaLtvCard, modelAccuracy, modelStatus } from "./model";

const periods = {
  unit: "week" as const,
  calibrationEnd: "2025-01-05",
  observationEnd: "2025-04-06",
  holdoutDays: 91,
  holdoutLength: 13,
  customers: 5000,
  repeatCustomers: 1200,
};

function measured(predictedTotal: number, actualTotal: number): HoldoutBacktest {
  return {
    ...periods,
    insufficient: false,
    bgnbd: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.43 },
    logLikelihood: -9582.4,
    byPastPurchases: [{ pastPurchases: "0", customers: 5000, predicted: predictedTotal, actual: actualTotal, predictedMean: predictedTotal / 5000, actualMean: actualTotal / 5000 }],
    predictedTotal,
    actualTotal,
    meanAbsoluteError: 0.31,
    totalErrorPct: actualTotal > 0 ? ((predictedTotal - actualTotal) / actualTotal) * 100 : null,
  };
}

describe("model accuracy in plain words", () => {
  it("calls 1,234 predicted purchases against 1,190 made close, over by under 4 %", () => {
    const accuracy = modelAccuracy(measured(1234.4, 1190));
    expect(accuracy).toMatchObject({ status: "measured", verdict: "close", direction: "over", holdoutStart: "2025-01-06", holdoutEnd: "2025-04-06", holdoutDays: 91 });
    if (accuracy.status !== "measured") throw new Error("measured expected");
    expect(accuracy.errorPct).toBeCloseTo(3.73, 2);
  });

  it("calls 20 % too few fair, and 40 % too many far", () => {
    expect(modelAccuracy(measured(800, 1000))).toMatchObject({ verdict: "fair", direction: "under" });
    expect(modelAccuracy(measured(1400, 1000))).toMatchObject({ verdict: "far", direction: "over" });
  });

  it("draws the lines at 10 % and 25 %, either way", () => {
    expect(accuracyVerdict(10)).toBe("close");
    expect(accuracyVerdict(-10.01)).toBe("fair");
    expect(accuracyVerdict(-25)).toBe("fair");
    expect(accuracyVerdict(25.5)).toBe("far");
    expect(() => accuracyVerdict(Number.NaN)).toThrow(RangeError);
  });

  it("says exact when the prediction rounds to what happened", () => {
    expect(modelAccuracy(measured(1190.3, 1190))).toMatchObject({ direction: "exact", verdict: "close" });
  });

  it("has no relative error when nobody bought in the holdout", () => {
    expect(modelAccuracy(measured(12, 0))).toMatchObject({ status: "measured", errorPct: null, verdict: null, direction: "over" });
  });

  it("explains a missing test: too few repeat customers, too short a history, a failed fit, or no fit at all", () => {
    expect(modelAccuracy({ ...periods, repeatCustomers: 12, insufficient: true, reason: "12 customers with a repeat purchase" })).toEqual({
      status: "insufficient",
      reason: "tooFewRepeatCustomers",
      repeatCustomers: 12,
      requiredRepeatCustomers: 50,
      holdoutDays: 91,
    });
    expect(modelAccuracy({ ...periods, holdoutDays: 0, insufficient: true, reason: "too short" })).toMatchObject({ reason: "tooShort" });
    expect(modelAccuracy({ ...periods, insufficient: true, reason: "did not converge" })).toMatchObject({ reason: "fitFailed" });
    expect(modelAccuracy(null)).toEqual({ status: "none" });
  });
});

describe("model status", () => {
  const fittedAt = new Date("2025-04-06T02:00:00Z");
  it("says why there are no predictions", () => {
    expect(modelStatus({ fittedAt, customers: 300, repeatCustomers: 20, insufficient: true })).toMatchObject({ status: "insufficient", reason: "tooFewRepeatCustomers", requiredRepeatCustomers: 50 });
    expect(modelStatus({ fittedAt, customers: 0, repeatCustomers: 0, insufficient: true })).toMatchObject({ reason: "noCustomers" });
    expect(modelStatus({ fittedAt, customers: 900, repeatCustomers: 300, insufficient: true })).toMatchObject({ reason: "fitFailed" });
    expect(modelStatus({ fittedAt, customers: 900, repeatCustomers: 300, insufficient: false })).toMatchObject({ status: "fitted", reason: null, fittedAt: "2025-04-06T02:00:00.000Z" });
    expect(modelStatus(null)).toEqual({ status: "none" });
  });
});

describe("formula LTV card", () => {
  it("shows the three factors and their product, money to the cent", () => {
    const card = formulaLtvCard({ customers: 4, orders: 8, averageOrderValue: 52.5, purchaseFrequencyPerYear: 2, churnRate: 2 / 3, churnFrom: "group", lifespanYears: 1.5, ltv: 157.5 });
    expect(card).toEqual({
      averageOrderValue: "52.50",
      purchaseFrequencyPerYear: 2,
      lifespanYears: 1.5,
      lifespanCapped: false,
      lifespanCapYears: LIFESPAN_CAP_YEARS,
      churnRate: 2 / 3,
      ltv: "157.50",
      missing: [],
    });
  });

  it("names the factor it cannot measure instead of guessing, and flags a capped lifespan", () => {
    const card = formulaLtvCard({ customers: 3, orders: 3, averageOrderValue: 20, purchaseFrequencyPerYear: 1, churnRate: null, churnFrom: null, lifespanYears: null, ltv: null, missing: "no churn rate" });
    expect(card).toMatchObject({ missing: ["lifespan"], ltv: null, averageOrderValue: "20.00" });
    const capped = formulaLtvCard({ customers: 3, orders: 9, averageOrderValue: 20, purchaseFrequencyPerYear: 3, churnRate: 0, churnFrom: "group", lifespanYears: LIFESPAN_CAP_YEARS, ltv: 300 });
    expect(capped).toMatchObject({ lifespanCapped: true, ltv: "300.00" });
    expect(formulaLtvCard(null)).toBeNull();
  });
});
