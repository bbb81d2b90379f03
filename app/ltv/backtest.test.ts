import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HOLDOUT_GROUPS, holdoutBacktest } from "./backtest";
import { utcDayNumber } from "./models/summary";

const CDNOW = new URL("../../tests/fixtures/cdnow/cdnow_sample_transactions.csv", import.meta.url);

describe("holdout backtest on CDNOW: calibration 39 weeks (to 1997-09-30), holdout 39 weeks (to 1998-06-30)", () => {
  const rows = readFileSync(CDNOW, "utf8").trim().split(/\r?\n/).slice(1).map((line) => line.split(","));
  const transactions = {
    customerIds: rows.map((row) => row[0] as string),
    days: Int32Array.from(rows, (row) => utcDayNumber(row[1] as string)),
    amounts: Float64Array.from(rows, (row) => Number(row[2])),
  };
  const result = holdoutBacktest(transactions, { unit: "week", observationEnd: "1998-06-30", holdoutLength: 39 });

  it("holds out the right period and fits the calibration period's published parameters", () => {
    expect(result).toMatchObject({ calibrationEnd: "1997-09-30", observationEnd: "1998-06-30", holdoutDays: 273, holdoutLength: 39, customers: 2357 });
    if (result.insufficient) throw new Error(result.reason);
    expect(Number(result.bgnbd.r.toPrecision(4))).toBe(0.2426);
    expect(result.logLikelihood.toFixed(2)).toBe("-9582.43");
  });

  it("predicts the holdout's repeat purchases within ±15 % in total, grouped by past purchases", () => {
    if (result.insufficient) throw new Error(result.reason);
    // Actual purchase days of the 2,357 customers in the holdout, counted from the file.
    expect(result.actualTotal).toBe(1882);
    expect(Math.abs(result.totalErrorPct ?? Number.POSITIVE_INFINITY)).toBeLessThan(15);
    expect(result.byPastPurchases.map((group) => group.pastPurchases)).toEqual([...HOLDOUT_GROUPS]);
    expect(result.byPastPurchases.reduce((sum, group) => sum + group.customers, 0)).toBe(2357);
    expect(result.byPastPurchases[0]?.customers).toBe(1411); // one-time buyers in the calibration period
    // More past purchases, more future ones: predicted and actual means rise with x.
    const predictedMeans = result.byPastPurchases.map((group) => group.predictedMean as number);
    const actualMeans = result.byPastPurchases.map((group) => group.actualMean as number);
    expect(predictedMeans.every((mean, k) => k === 0 || mean > (predictedMeans[k - 1] as number))).toBe(true);
    expect(actualMeans[7]).toBeGreaterThan(actualMeans[0] as number);
    for (const group of result.byPastPurchases) expect(Math.abs((group.predictedMean as number) - (group.actualMean as number))).toBeLessThan(0.6);
    expect(result.meanAbsoluteError).toBeGreaterThan(0);
    expect(result.meanAbsoluteError).toBeLessThan(1.5);
  });

  it("by default holds out the last quarter of the observation window", () => {
    const byFraction = holdoutBacktest(transactions, { unit: "week", observationEnd: "1998-06-30" });
    // 1997-01-01 … 1998-06-30 is 545 days; a quarter is 136 days.
    expect(byFraction).toMatchObject({ holdoutDays: 136, calibrationEnd: "1998-02-14" });
  });

  it("says so instead of predicting when the calibration period has too few repeat customers", () => {
    const small = holdoutBacktest(
      { customerIds: transactions.customerIds.slice(0, 60), days: transactions.days.slice(0, 60), amounts: transactions.amounts.slice(0, 60) },
      { unit: "week", observationEnd: "1998-06-30", holdoutLength: 39 },
    );
    expect(small.insufficient).toBe(true);
    if (small.insufficient) expect(small.reason).toMatch(/customers with a repeat purchase in the calibration period; the model needs at least 50$/);
  });
});

describe("holdout backtest on data too short to hold anything out", () => {
  it("says so instead of failing", () => {
    const day = utcDayNumber("2025-03-01");
    const result = holdoutBacktest(
      { customerIds: ["a", "b"], days: Int32Array.from([day, day]), amounts: Float64Array.from([10, 20]) },
      { unit: "day", observationEnd: "2025-03-01" },
    );
    expect(result).toMatchObject({ insufficient: true, reason: "the observation window is too short to hold out a period", holdoutDays: 0 });
  });
});
