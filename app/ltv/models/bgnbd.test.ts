import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type BgNbdParams,
  bgnbdLogLikelihood,
  bgnbdLogLikelihoodGradient,
  compressSummary,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgNbd,
  probabilityAlive,
  probabilityNoPurchases,
} from "./bgnbd";
import { hyp2f1 } from "./special-functions";

// CDNOW calibration summary as shipped with lifetimes: ID,x,t_x,T,zbar (weeks, 2 decimals).
const SUMMARY_CSV = new URL("../../../tests/fixtures/cdnow/cdnow_customers_summary_with_transactions.csv", import.meta.url);

function readCdnowSummary() {
  const lines = readFileSync(SUMMARY_CSV, "utf8").trim().split(/\r?\n/).slice(1);
  const columns = lines.map((line) => line.split(",").map(Number));
  const column = (index: number) => Float64Array.from(columns, (row) => row[index] as number);
  return { x: column(1), tx: column(2), T: column(3) };
}

/** Same number when both are rounded to `digits` significant digits. */
function expectSignificant(actual: number, published: number, digits: number) {
  expect(actual.toPrecision(digits)).toBe(published.toPrecision(digits));
}

// Fader, Hardie & Lee (2005) estimates on this summary.
const PUBLISHED: BgNbdParams = { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };

describe("BG/NBD on CDNOW", () => {
  const summary = readCdnowSummary();
  const fit = fitBgNbd(summary);

  it("reproduces the published maximum-likelihood estimates", () => {
    expect(summary.x.length).toBe(2357);
    expect(fit.converged).toBe(true);
    expectSignificant(fit.params.r, PUBLISHED.r, 4);
    expectSignificant(fit.params.alpha, PUBLISHED.alpha, 4);
    expectSignificant(fit.params.a, PUBLISHED.a, 4);
    expectSignificant(fit.params.b, PUBLISHED.b, 4);
    expect(fit.logLikelihood.toFixed(2)).toBe("-9582.43");
    expect(bgnbdLogLikelihood(PUBLISHED, summary).toFixed(2)).toBe("-9582.43");
  });

  it("finds the same optimum from each default start", () => {
    for (const start of [
      { r: 1, alpha: 1, a: 1, b: 1 },
      { r: 5, alpha: 100, a: 3, b: 20 },
    ]) {
      const other = fitBgNbd(summary, { starts: [start] });
      expect(other.converged).toBe(true);
      expect(other.logLikelihood).toBeCloseTo(fit.logLikelihood, 6);
      expect(other.params.r).toBeCloseTo(fit.params.r, 5);
      expect(other.params.b).toBeCloseTo(fit.params.b, 4);
    }
  });

  it("fits fast: the compressed summary is small and BFGS needs few iterations", () => {
    // Speed proxy (nothing is timed): ~1,000 distinct (x, t_x, T) rows and a few dozen iterations.
    const compressed = compressSummary(summary);
    expect(compressed.x.length).toBeLessThan(1100);
    expect(compressed.weight.reduce((sum, w) => sum + w, 0)).toBe(2357);
    expect(fit.iterations).toBeLessThan(60);
    expect(fit.startsRun).toBeLessThanOrEqual(4);
    expect(bgnbdLogLikelihood(PUBLISHED, compressed)).toBeCloseTo(bgnbdLogLikelihood(PUBLISHED, summary), 8);
  });

  it("does not depend on the time unit except through alpha", () => {
    const inDays = { x: summary.x, tx: summary.tx.map((t) => t * 7), T: summary.T.map((t) => t * 7) };
    const daysFit = fitBgNbd(inDays);
    expect(daysFit.converged).toBe(true);
    expect(daysFit.params.r).toBeCloseTo(fit.params.r, 6);
    expect(daysFit.params.alpha / 7).toBeCloseTo(fit.params.alpha, 4);
    expect(daysFit.params.a).toBeCloseTo(fit.params.a, 5);
    expect(daysFit.params.b).toBeCloseTo(fit.params.b, 4);
  });

  it("has an analytic gradient that matches finite differences", () => {
    const at: BgNbdParams = { r: 0.3, alpha: 5, a: 0.7, b: 2.1 };
    const gradient = bgnbdLogLikelihoodGradient(at, summary);
    for (const name of ["r", "alpha", "a", "b"] as const) {
      const h = 1e-6 * at[name];
      const up = bgnbdLogLikelihood({ ...at, [name]: at[name] + h }, summary);
      const down = bgnbdLogLikelihood({ ...at, [name]: at[name] - h }, summary);
      expect(gradient[name]).toBeCloseTo((up - down) / (2 * h), 3);
    }
  });

  it("is at a stationary point of the likelihood after the fit", () => {
    const gradient = bgnbdLogLikelihoodGradient(fit.params, summary);
    for (const name of ["r", "alpha", "a", "b"] as const) expect(Math.abs(gradient[name] * fit.params[name])).toBeLessThan(1e-4);
  });
});

describe("BG/NBD predictions with the published parameters", () => {
  it("expected purchases in the next 39 weeks for x=2, t_x=30.43, T=38.86 is 1.226", () => {
    expect(expectedPurchases(PUBLISHED, 2, 30.43, 38.86, 39).toFixed(3)).toBe("1.226");
  });

  it("customer 1516: P(alive) 0.96885 and 25.757 purchases in 52 weeks", () => {
    // The published figures use the unrounded recency, 216 days = 30.857… weeks (the summary file
    // rounds it to 30.86, which gives 0.96892 and 25.759).
    const tx = 216 / 7;
    expect(Math.abs(probabilityAlive(PUBLISHED, 26, tx, 31) - 0.96885)).toBeLessThan(1e-5);
    expect(Math.abs(expectedPurchases(PUBLISHED, 26, tx, 31, 52) - 25.757)).toBeLessThan(1e-3);
    expect(probabilityAlive(PUBLISHED, 26, 30.86, 31).toFixed(4)).toBe("0.9689");
    expect(expectedPurchases(PUBLISHED, 26, 30.86, 31, 52).toFixed(2)).toBe("25.76");
  });

  it("new customer: P(no purchase in 39 weeks) = 0.5737864 (BTYD's rounded parameters)", () => {
    // BTYD's documentation example, also lifetimes' test, uses r 0.243, alpha 4.414, a 0.793, b 2.426.
    const btyd = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    expect(Math.abs(probabilityNoPurchases(btyd, 39) - 0.5737864)).toBeLessThan(1e-7);
    expect(probabilityNoPurchases(PUBLISHED, 0)).toBe(1);
  });

  it("new customer: expected purchases by week 1, 3, 32, 78", () => {
    const published = [
      [1, 0.0532],
      [3, 0.1506],
      [32, 1.0437],
      [78, 1.8576],
    ] as const;
    const fitted = fitBgNbd(readCdnowSummary()).params;
    for (const [week, expected] of published) {
      expect(Math.abs(expectedPurchasesNewCustomer(PUBLISHED, week) - expected)).toBeLessThan(5e-4);
      expect(Math.abs(expectedPurchasesNewCustomer(fitted, week) - expected)).toBeLessThan(5e-4);
    }
    // With the fitted parameters the first three agree to every published digit (week 78: 1.8580).
    expect(expectedPurchasesNewCustomer(fitted, 1).toFixed(4)).toBe("0.0532");
    expect(expectedPurchasesNewCustomer(fitted, 3).toFixed(4)).toBe("0.1506");
    expect(expectedPurchasesNewCustomer(fitted, 32).toFixed(4)).toBe("1.0437");
  });
});

describe("BG/NBD expected purchases: numerics", () => {
  // FHL eq. 10 exactly as published, with the hypergeometric function in its original argument.
  function textbookExpectedPurchases(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
    const { r, alpha, a, b } = params;
    const z = t / (alpha + T + t);
    const bracket = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
    const alive = x > 0 ? 1 / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x)) : 1;
    return (((a + b + x - 1) / (a - 1)) * bracket * alive);
  }

  it("agrees with the textbook formula", () => {
    const cases: [BgNbdParams, number, number, number, number][] = [
      [PUBLISHED, 2, 30.43, 38.86, 39],
      [PUBLISHED, 0, 0, 38.86, 52],
      [PUBLISHED, 26, 30.86, 31, 52],
      [{ r: 1.3, alpha: 12, a: 2.5, b: 4 }, 4, 20, 50, 100],
      [{ r: 0.8, alpha: 30, a: 0.4, b: 0.9 }, 1, 3, 10, 25],
    ];
    for (const [params, x, tx, T, t] of cases) {
      const expected = textbookExpectedPurchases(params, x, tx, T, t);
      expect(Math.abs(expectedPurchases(params, x, tx, T, t) - expected)).toBeLessThan(1e-10 * expected);
    }
  });

  it("is the new-customer expectation when x = 0 and T = 0", () => {
    for (const t of [0.5, 10, 52, 520]) {
      expect(expectedPurchases(PUBLISHED, 0, 0, 0, t)).toBeCloseTo(expectedPurchasesNewCustomer(PUBLISHED, t), 12);
    }
  });

  it("is continuous through a = 1, where the textbook formula is 0/0", () => {
    const at = (a: number) => expectedPurchases({ r: 0.5, alpha: 5, a, b: 3 }, 3, 10, 20, 52);
    const exact = at(1);
    expect(Number.isFinite(exact)).toBe(true);
    expect(at(1 + 1e-7)).toBeCloseTo(exact, 6);
    expect(at(1 - 1e-7)).toBeCloseTo(exact, 6);
  });

  it("stays accurate where the series would cancel (r ≫ a + b) and for very long horizons", () => {
    // Reference values from mpmath (60 digits) via the Beta-mixture integral.
    expect(expectedPurchases({ r: 80, alpha: 50, a: 0.3, b: 0.4 }, 0, 0, 38, 52) / 12.7298215).toBeCloseTo(1, 6);
    const longHorizon = expectedPurchasesNewCustomer(PUBLISHED, 1e5);
    expect(Number.isFinite(longHorizon)).toBe(true);
    expect(longHorizon).toBeGreaterThan(expectedPurchasesNewCustomer(PUBLISHED, 1e4));
  });

  it("never returns NaN or Infinity at the edges", () => {
    const parameterSets: BgNbdParams[] = [
      PUBLISHED,
      { r: 1, alpha: 1, a: 1, b: 1 },
      { r: 50, alpha: 3, a: 0.05, b: 0.1 },
      { r: 1e-3, alpha: 1e-3, a: 5, b: 1e3 },
    ];
    const customers: [number, number, number][] = [
      [0, 0, 0], // T = 0: first purchase at the end of observation
      [0, 0, 1e-6],
      [0, 0, 39],
      [1, 0, 0],
      [3, 1e-6, 1e-6], // t_x = T, tiny T
      [5, 39, 39], // t_x = T
      [10_000, 39, 39],
      [10_000, 38, 39],
      [10_000, 0, 39],
    ];
    for (const params of parameterSets) {
      for (const [x, tx, T] of customers) {
        const alive = probabilityAlive(params, x, tx, T);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        let previous = 0;
        for (const horizon of [0, 1e-6, 1, 52, 5200]) {
          const purchases = expectedPurchases(params, x, tx, T, horizon);
          expect(Number.isFinite(purchases)).toBe(true);
          expect(purchases).toBeGreaterThanOrEqual(previous * (1 - 1e-12));
          previous = purchases;
        }
      }
      for (const t of [0, 1e-6, 1, 52, 5200]) {
        expect(Number.isFinite(expectedPurchasesNewCustomer(params, t))).toBe(true);
        expect(Number.isFinite(probabilityNoPurchases(params, t))).toBe(true);
      }
    }
    // Absurd but valid parameters: a horizon 1e310 times α is capped, nothing overflows.
    expect(probabilityAlive({ r: 1e-300, alpha: 1e-300, a: 1e-300, b: 1e-300 }, 3, 1, 2)).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(expectedPurchases({ r: 0.5, alpha: 1e-300, a: 0.5, b: 1 }, 0, 0, 0, 1e10))).toBe(true);
    // A heavy buyer who has been silent since week 0 is almost surely gone.
    expect(probabilityAlive(PUBLISHED, 10_000, 0, 39)).toBe(0);
    expect(expectedPurchases(PUBLISHED, 10_000, 0, 39, 52)).toBe(0);
    // ... while one who just bought is alive and keeps buying at about (r + x)/(α + T) a week.
    const rate = (PUBLISHED.r + 10_000) / (PUBLISHED.alpha + 39);
    expect(expectedPurchases(PUBLISHED, 10_000, 39, 39, 1) / rate).toBeCloseTo(1, 1);
  });

  it("rejects impossible customers and parameters", () => {
    expect(() => probabilityAlive(PUBLISHED, 2, 40, 39)).toThrow(RangeError);
    expect(() => expectedPurchases(PUBLISHED, -1, 0, 39, 10)).toThrow(RangeError);
    expect(() => expectedPurchases(PUBLISHED, 1.5, 0, 39, 10)).toThrow(RangeError);
    expect(() => expectedPurchases(PUBLISHED, 1, 0, 39, -1)).toThrow(RangeError);
    expect(() => expectedPurchases({ ...PUBLISHED, r: 0 }, 1, 0, 39, 1)).toThrow(RangeError);
    expect(() => fitBgNbd({ x: new Float64Array(0), tx: new Float64Array(0), T: new Float64Array(0) })).toThrow(RangeError);
  });

  it("reports data without any repeat purchase as not converged", () => {
    const fit = fitBgNbd({ x: new Float64Array(5), tx: new Float64Array(5), T: Float64Array.of(1, 5, 9, 20, 30) });
    expect(fit.converged).toBe(false);
    expect(fit.message).toMatch(/not identified/);
    for (const value of Object.values(fit.params)) expect(Number.isFinite(value)).toBe(true);
  });
});

describe("compressSummary", () => {
  it("groups identical triples, sums weights and ignores t_x when x = 0", () => {
    const compressed = compressSummary({
      x: Float64Array.of(1, 0, 1, 0, 2),
      tx: Float64Array.of(3, 0, 3, 7, 4),
      T: Float64Array.of(10, 10, 10, 10, 10),
      weight: Float64Array.of(1, 2, 3, 4, 5),
    });
    expect(Array.from(compressed.x)).toEqual([0, 1, 2]);
    expect(Array.from(compressed.tx)).toEqual([0, 3, 4]);
    expect(Array.from(compressed.weight)).toEqual([6, 4, 5]);
  });
});
