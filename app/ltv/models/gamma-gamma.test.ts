import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type GammaGammaParams,
  expectedOrderValue,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodGradient,
  populationMeanOrderValue,
} from "./gamma-gamma";

// CDNOW calibration summary as shipped with lifetimes: ID,x,t_x,T,zbar (zbar = mean repeat value).
const SUMMARY_CSV = new URL("../../../tests/fixtures/cdnow/cdnow_customers_summary_with_transactions.csv", import.meta.url);

function readCdnowSpend() {
  const lines = readFileSync(SUMMARY_CSV, "utf8").trim().split(/\r?\n/).slice(1);
  const columns = lines.map((line) => line.split(",").map(Number));
  return {
    x: Float64Array.from(columns, (row) => row[1] as number),
    meanValue: Float64Array.from(columns, (row) => row[4] as number),
  };
}

function expectSignificant(actual: number, published: number, digits: number) {
  expect(actual.toPrecision(digits)).toBe(published.toPrecision(digits));
}

// Fader & Hardie (2013) / lifetimes on the 946 repeat buyers.
const PUBLISHED: GammaGammaParams = { p: 6.25, q: 3.74, v: 15.44 };

describe("Gamma-Gamma on CDNOW", () => {
  const spend = readCdnowSpend();
  const fit = fitGammaGamma(spend);

  it("reproduces the published estimates on the 946 repeat buyers", () => {
    expect(fit.customersUsed).toBe(946);
    expect(fit.customersSkipped).toBe(2357 - 946);
    expect(fit.converged).toBe(true);
    expectSignificant(fit.params.p, PUBLISHED.p, 3);
    expectSignificant(fit.params.q, PUBLISHED.q, 3);
    expectSignificant(fit.params.v, PUBLISHED.v, 3);
    expect(fit.logLikelihood).toBeGreaterThan(gammaGammaLogLikelihood(PUBLISHED, spend));
  });

  it("converges from a naive start (1, 1, 1) to the same optimum", () => {
    const naive = fitGammaGamma(spend, { starts: [{ p: 1, q: 1, v: 1 }] });
    expect(naive.converged).toBe(true);
    expect(naive.params.p).toBeCloseTo(fit.params.p, 4);
    expect(naive.params.q).toBeCloseTo(fit.params.q, 4);
    expect(naive.params.v).toBeCloseTo(fit.params.v, 3);
  });

  it("expected average order value of the first ten customers", () => {
    // lifetimes' quick-start prints these for its fit (shown as p 6.25, q 3.74, v 15.45); the usual
    // two-decimal quotes (24.65, 18.91, 35.17, …) are these values cut, not rounded, to cents.
    const lifetimes = [24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843, 18.911489, 35.170981, 27.282408, 35.170981];
    const quoted = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    const { x, meanValue } = spend;
    lifetimes.forEach((expected, i) => {
      const value = expectedOrderValue(fit.params, x[i] as number, meanValue[i] as number);
      expect(Math.abs(value - expected)).toBeLessThan(1e-4);
      expect(Math.floor(value * 100) / 100).toBeCloseTo(quoted[i] as number, 10);
      // With p, q, v rounded to 6.25, 3.74, 15.44 values move by up to 0.15 % (35.17 → 35.22).
      expect(Math.abs(expectedOrderValue(PUBLISHED, x[i] as number, meanValue[i] as number) / expected - 1)).toBeLessThan(2e-3);
    });
    // lifetimes: "Expected conditional average profit: 35.2529588256" over all 2,357 customers.
    let total = 0;
    for (let i = 0; i < x.length; i++) total += expectedOrderValue(fit.params, x[i] as number, meanValue[i] as number);
    expect(total / x.length).toBeCloseTo(35.2529588256, 5);
  });

  it("has an analytic gradient that matches finite differences", () => {
    const at: GammaGammaParams = { p: 4, q: 3, v: 20 };
    const gradient = gammaGammaLogLikelihoodGradient(at, spend);
    for (const name of ["p", "q", "v"] as const) {
      const h = 1e-6 * at[name];
      const up = gammaGammaLogLikelihood({ ...at, [name]: at[name] + h }, spend);
      const down = gammaGammaLogLikelihood({ ...at, [name]: at[name] - h }, spend);
      expect(gradient[name]).toBeCloseTo((up - down) / (2 * h), 3);
    }
  });
});

describe("Gamma-Gamma guards", () => {
  it("stops p running off to infinity when the spend has no heterogeneity, and says so", () => {
    // Every customer's mean is exactly 20: the likelihood grows without bound as p, q → ∞.
    const x = Float64Array.from({ length: 200 }, (_, i) => 1 + (i % 5));
    const meanValue = new Float64Array(200).fill(20);
    const fit = fitGammaGamma({ x, meanValue });
    expect(fit.converged).toBe(false);
    expect(fit.message).toMatch(/bound/);
    for (const value of [fit.params.p, fit.params.q, fit.params.v, fit.logLikelihood]) expect(Number.isFinite(value)).toBe(true);
    expect(expectedOrderValue(fit.params, 3, 20)).toBeCloseTo(20, 3);
  });

  it("uses the population mean for customers without repeat purchases", () => {
    expect(expectedOrderValue(PUBLISHED, 0, 0)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    expect(expectedOrderValue(PUBLISHED, 0, 999)).toBe(expectedOrderValue(PUBLISHED, 0, 0));
    expect(populationMeanOrderValue(PUBLISHED)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
  });

  it("refuses to invent a mean that does not exist (q ≤ 1)", () => {
    const heavyTailed = { p: 2, q: 0.8, v: 10 };
    expect(populationMeanOrderValue(heavyTailed)).toBeNull();
    expect(() => expectedOrderValue(heavyTailed, 0, 0)).toThrow(RangeError);
    expect(expectedOrderValue(heavyTailed, 2, 30)).toBeCloseTo((2 * (10 + 60)) / (4 + 0.8 - 1), 12);
  });

  it("skips customers without repeat purchases or with a non-positive mean", () => {
    const fit = fitGammaGamma({
      x: Float64Array.of(0, 1, 2, 3, 1, 2, 4, 1, 2),
      meanValue: Float64Array.of(0, 10, 12, 9, 30, 25, 11, 0, 18),
    });
    expect(fit.customersUsed).toBe(7);
    expect(fit.customersSkipped).toBe(2);
    expect(() => fitGammaGamma({ x: Float64Array.of(0, 0), meanValue: Float64Array.of(0, 0) })).toThrow(RangeError);
  });
});
