import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectedPurchases, fitBgNbd } from "./bgnbd";
import { UNITS_PER_MONTH, predictedClv, predictedClvBatch } from "./clv";
import { expectedOrderValue, fitGammaGamma } from "./gamma-gamma";

const SUMMARY_CSV = new URL("../../../tests/fixtures/cdnow/cdnow_customers_summary_with_transactions.csv", import.meta.url);

function readCdnowSummary() {
  const lines = readFileSync(SUMMARY_CSV, "utf8").trim().split(/\r?\n/).slice(1);
  const columns = lines.map((line) => line.split(",").map(Number));
  const column = (index: number) => Float64Array.from(columns, (row) => row[index] as number);
  return { x: column(1), tx: column(2), T: column(3), meanValue: column(4) };
}

const BGNBD = { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
const GAMMA_GAMMA = { p: 6.25, q: 3.74, v: 15.44 };

describe("predictedClv", () => {
  it("reproduces lifetimes' customer_lifetime_value on CDNOW", () => {
    // lifetimes' quick-start: 12 months, 1 % a month, freq "D" — it steps 30 time units per month,
    // and the CDNOW data are in weeks, so unitsPerMonth = 30 here.
    const summary = readCdnowSummary();
    const bgnbd = fitBgNbd(summary).params;
    const gammaGamma = fitGammaGamma(summary).params;
    const published = [140.096218, 18.943466, 38.180575, 38.180575, 38.180575];
    published.forEach((expected, i) => {
      const value = predictedClv({
        bgnbd,
        gammaGamma,
        x: summary.x[i] as number,
        tx: summary.tx[i] as number,
        T: summary.T[i] as number,
        meanValue: summary.meanValue[i] as number,
        horizonMonths: 12,
        unitsPerMonth: 30,
        monthlyDiscountRate: 0.01,
      });
      expect(Math.abs(value - expected)).toBeLessThan(1e-3);
    });
  });

  const customer = { bgnbd: BGNBD, gammaGamma: GAMMA_GAMMA, x: 2, tx: 30.43, T: 38.86, meanValue: 22.35, unitsPerMonth: UNITS_PER_MONTH.week };

  it("sums the discounted month-by-month increments", () => {
    const rate = 0.02;
    let expected = 0;
    for (let month = 1; month <= 12; month++) {
      const increment =
        expectedPurchases(BGNBD, 2, 30.43, 38.86, month * UNITS_PER_MONTH.week) -
        expectedPurchases(BGNBD, 2, 30.43, 38.86, (month - 1) * UNITS_PER_MONTH.week);
      expected += (increment * expectedOrderValue(GAMMA_GAMMA, 2, 22.35) * 0.4) / (1 + rate) ** month;
    }
    expect(predictedClv({ ...customer, monthlyDiscountRate: rate, grossMarginPct: 40 })).toBeCloseTo(expected, 10);
  });

  it("without discounting is expected purchases × expected order value × margin", () => {
    const purchases = expectedPurchases(BGNBD, 2, 30.43, 38.86, 12 * UNITS_PER_MONTH.week);
    const value = predictedClv({ ...customer, monthlyDiscountRate: 0 });
    expect(value).toBeCloseTo(purchases * expectedOrderValue(GAMMA_GAMMA, 2, 22.35), 10);
    expect(predictedClv({ ...customer, monthlyDiscountRate: 0, grossMarginPct: 25 })).toBeCloseTo(value / 4, 10);
    expect(predictedClv({ ...customer, monthlyDiscountRate: 0.05 })).toBeLessThan(value);
    expect(predictedClv({ ...customer, monthlyDiscountRate: 0, horizonMonths: 0 })).toBe(0);
    expect(predictedClv({ ...customer, monthlyDiscountRate: 0, horizonMonths: 24 })).toBeGreaterThan(value);
  });

  it("values a customer without repeat purchases at the population mean order value", () => {
    const value = predictedClv({ ...customer, x: 0, tx: 0, meanValue: 0, monthlyDiscountRate: 0 });
    const purchases = expectedPurchases(BGNBD, 0, 0, 38.86, 12 * UNITS_PER_MONTH.week);
    expect(value).toBeCloseTo((purchases * 6.25 * 15.44) / 2.74, 10);
  });

  it("batch gives the same values as one customer at a time", () => {
    const summary = readCdnowSummary();
    const rows = 50;
    const settings = { bgnbd: BGNBD, gammaGamma: GAMMA_GAMMA, unitsPerMonth: UNITS_PER_MONTH.week, monthlyDiscountRate: 0.01, grossMarginPct: 30 };
    const batch = predictedClvBatch({
      ...settings,
      x: summary.x.subarray(0, rows),
      tx: summary.tx.subarray(0, rows),
      T: summary.T.subarray(0, rows),
      meanValue: summary.meanValue.subarray(0, rows),
    });
    for (let i = 0; i < rows; i++) {
      const single = predictedClv({
        ...settings,
        x: summary.x[i] as number,
        tx: summary.tx[i] as number,
        T: summary.T[i] as number,
        meanValue: summary.meanValue[i] as number,
      });
      expect(batch[i]).toBe(single);
      expect(Number.isFinite(single) && single >= 0).toBe(true);
    }
  });

  it("rejects invalid settings", () => {
    expect(() => predictedClv({ ...customer, monthlyDiscountRate: -1 })).toThrow(RangeError);
    expect(() => predictedClv({ ...customer, monthlyDiscountRate: 0, horizonMonths: 1.5 })).toThrow(RangeError);
    expect(() => predictedClv({ ...customer, monthlyDiscountRate: 0, grossMarginPct: 120 })).toThrow(RangeError);
    expect(() => predictedClv({ ...customer, monthlyDiscountRate: 0, unitsPerMonth: 0 })).toThrow(RangeError);
  });
});
