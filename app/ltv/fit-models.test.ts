import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitBgNbdForShop, fitGammaGammaForShop } from "./fit-models";
import { groupIdenticalCustomers } from "./group-identical";
import { fitBgNbd } from "./models/bgnbd";
import { fitGammaGamma } from "./models/gamma-gamma";

// CDNOW calibration summary: ID,x,t_x,T,zbar (weeks).
const SUMMARY = new URL("../../tests/fixtures/cdnow/cdnow_customers_summary_with_transactions.csv", import.meta.url);
const rows = readFileSync(SUMMARY, "utf8").trim().split(/\r?\n/).slice(1).map((line) => line.split(",").map(Number));
const column = (index: number) => Float64Array.from(rows, (row) => row[index] as number);
const [x, tx, T, zbar] = [column(1), column(2), column(3), column(4)];

describe("fitting a large shop from a sample's optimum", () => {
  // Forcing the sampled path on CDNOW's ~1,000 distinct rows: a 300-row sample, then the full data.
  const forced = { sampleAboveRows: 100, sampleRows: 300 };

  it("reaches the same BG/NBD optimum as the full multi-start search", () => {
    const groups = groupIdenticalCustomers(x, tx, T);
    const direct = fitBgNbd(groups);
    const sampled = fitBgNbdForShop(groups, forced);
    expect(sampled.converged).toBe(true);
    expect(sampled.startsRun).toBe(1);
    expect(sampled.logLikelihood).toBeCloseTo(direct.logLikelihood, 6);
    for (const key of ["r", "alpha", "a", "b"] as const) expect(sampled.params[key]).toBeCloseTo(direct.params[key], 5);
    // Small shops are fitted exactly as the model's own function does.
    expect(fitBgNbdForShop(groups)).toEqual(direct);
  });

  it("reaches the same Gamma-Gamma optimum as the full multi-start search", () => {
    const repeat = Array.from(x.keys()).filter((i) => (x[i] as number) > 0 && (zbar[i] as number) > 0);
    const data = { x: Float64Array.from(repeat, (i) => x[i] as number), meanValue: Float64Array.from(repeat, (i) => zbar[i] as number) };
    const direct = fitGammaGamma(data);
    const sampled = fitGammaGammaForShop(data, forced);
    expect(sampled.converged).toBe(true);
    expect(sampled.logLikelihood).toBeCloseTo(direct.logLikelihood, 6);
    for (const key of ["p", "q", "v"] as const) expect(sampled.params[key] / direct.params[key]).toBeCloseTo(1, 5);
  });
});
