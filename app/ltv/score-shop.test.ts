import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHURN_RISKS } from "./churn-risk";
import type { DailyTransactions } from "./customer-history";
import { groupIdenticalCustomers } from "./group-identical";
import { UNITS_PER_MONTH, predictedClvBatch } from "./models/clv";
import { utcDayNumber } from "./models/summary";
import { RFM_GROUPS } from "./rfm";
import { type ShopCustomers, fitShopModels, scoreCustomers, scoreShop, summarizeShop } from "./score-shop";
import { VALUE_TIERS, valueTiers } from "./value-tiers";

const CDNOW = new URL("../../tests/fixtures/cdnow/cdnow_sample_transactions.csv", import.meta.url);

function readCdnow(): DailyTransactions {
  const rows = readFileSync(CDNOW, "utf8").trim().split(/\r?\n/).slice(1).map((line) => line.split(","));
  return {
    customerIds: rows.map((row) => row[0] as string),
    days: Int32Array.from(rows, (row) => utcDayNumber(row[1] as string)),
    amounts: Float64Array.from(rows, (row) => Number(row[2])),
  };
}

const significant = (value: number, digits: number) => Number(value.toPrecision(digits));

describe("scoring CDNOW (calibration period to 1997-09-30, weeks)", () => {
  const transactions = readCdnow();
  const scored = scoreShop(transactions, { unit: "week", observationEnd: "1997-09-30" });

  it("fits the published BG/NBD and Gamma-Gamma parameters", () => {
    const { fit } = scored;
    expect(fit).toMatchObject({ unit: "week", customers: 2357, repeatCustomers: 946, converged: true, insufficient: false });
    expect(fit.reason).toBeUndefined();
    const { r, alpha, a, b } = fit.bgnbd ?? { r: 0, alpha: 0, a: 0, b: 0 };
    expect([significant(r, 4), significant(alpha, 5), significant(a, 4), significant(b, 5)]).toEqual([0.2426, 4.4136, 0.7929, 2.4259]);
    expect(fit.logLikelihood?.toFixed(2)).toBe("-9582.43");
    const { p, q, v } = fit.gammaGamma ?? { p: 0, q: 0, v: 0 };
    expect([significant(p, 3), significant(q, 3), significant(v, 4)]).toEqual([6.25, 3.74, 15.44]);
    expect(fit.durationMs).toBeGreaterThan(0);
  });

  it("gives every customer the CLV of predictedClvBatch (one year, 1 % a month), computed once per distinct (x, t_x, T)", () => {
    const predictions = scored.predictions;
    expect(predictions).not.toBeNull();
    if (!predictions || !scored.fit.bgnbd || !scored.fit.gammaGamma) return;
    const reference = predictedClvBatch({
      bgnbd: scored.fit.bgnbd,
      gammaGamma: scored.fit.gammaGamma,
      unitsPerMonth: UNITS_PER_MONTH.week,
      monthlyDiscountRate: 0.01,
      x: scored.x,
      tx: scored.tx,
      T: scored.T,
      meanValue: scored.meanValue,
    });
    reference.forEach((value, i) => expect(predictions.predictedClv[i]).toBeCloseTo(value, 9));
    expect(groupIdenticalCustomers(scored.x, scored.tx, scored.T).x.length).toBeLessThan(1100);
    for (let i = 0; i < scored.x.length; i++) {
      const alive = predictions.probabilityAlive[i] as number;
      expect(alive >= 0 && alive <= 1).toBe(true);
      expect(CHURN_RISKS[scored.churnRisk[i] as number]).toBe(alive >= 0.7 ? "low" : alive >= 0.3 ? "medium" : "high");
    }
    expect(scored.churnRiskBasis).toBe("probabilityAlive");
    expect(Array.from(scored.valueTier.predicted ?? [])).toEqual(Array.from(valueTiers(predictions.predictedClv)));
  });

  it("scores a partial last month: expected purchases over 39 weeks sit between those of 8 and 9 months", () => {
    const months = 39 / UNITS_PER_MONTH.week;
    const horizon39 = scoreShop(transactions, { unit: "week", observationEnd: "1997-09-30", horizonMonths: months });
    const horizon8 = scoreShop(transactions, { unit: "week", observationEnd: "1997-09-30", horizonMonths: 8 });
    const horizon9 = scoreShop(transactions, { unit: "week", observationEnd: "1997-09-30", horizonMonths: 9 });
    expect(horizon39.horizon).toBeCloseTo(39, 12);
    const total = (scores: typeof horizon39) => (scores.predictions?.expectedPurchases ?? new Float64Array(0)).reduce((sum, value) => sum + value, 0);
    expect(total(horizon39)).toBeGreaterThan(total(horizon8));
    expect(total(horizon39)).toBeLessThan(total(horizon9));
  });

  it("does not depend on the order of the customers", () => {
    const { customers } = summarizeShop(transactions, { unit: "week", observationEnd: "1997-09-30" });
    const n = customers.x.length;
    const permutation = Array.from({ length: n }, (_, i) => (i * 1009) % n);
    const pick = (column: Float64Array) => Float64Array.from(permutation, (i) => column[i] as number);
    const shuffled: ShopCustomers = {
      customerIds: permutation.map((i) => customers.customerIds[i] as string),
      x: pick(customers.x),
      tx: pick(customers.tx),
      T: pick(customers.T),
      meanValue: pick(customers.meanValue),
      ordersCount: pick(customers.ordersCount),
      netRevenue: pick(customers.netRevenue),
      daysSinceLastOrder: pick(customers.daysSinceLastOrder),
    };
    const again = scoreCustomers(shuffled, { unit: "week" });
    permutation.forEach((i, k) => {
      expect(again.predictions?.predictedClv[k]).toBeCloseTo(scored.predictions?.predictedClv[i] as number, 8);
      expect(again.rfm.group[k]).toBe(scored.rfm.group[i]);
    });
  });
});

describe("a shop with too little data", () => {
  // 30 customers, 10 of them with a second order: below the default 50 repeat customers.
  const end = utcDayNumber("2025-06-30");
  const customerIds: string[] = [];
  const days: number[] = [];
  const amounts: number[] = [];
  for (let c = 0; c < 30; c++) {
    customerIds.push(`c${c}`);
    days.push(end - 20 * c);
    amounts.push(50 - c);
    if (c < 10) {
      customerIds.push(`c${c}`);
      days.push(end - 20 * c - 7);
      amounts.push(15);
    }
  }
  const transactions = { customerIds, days: Int32Array.from(days), amounts: Float64Array.from(amounts) };

  it("gets no predictions, never invented ones, and the reason", () => {
    const scored = scoreShop(transactions, { unit: "day", observationEnd: "2025-06-30" });
    expect(scored.predictions).toBeNull();
    expect(scored.fit).toMatchObject({ insufficient: true, converged: false, bgnbd: null, gammaGamma: null, customers: 30, repeatCustomers: 10 });
    expect(scored.fit.reason).toBe("10 customers with a repeat purchase; the models need at least 50");
  });

  it("falls back to historical segments: value tier by net revenue, churn risk by recency", () => {
    const scored = scoreShop(transactions, { unit: "day", observationEnd: "2025-06-30" });
    expect(scored.valueTier.predicted).toBeNull();
    expect(Array.from(scored.valueTier.historical)).toEqual(Array.from(valueTiers(scored.netRevenue)));
    expect(VALUE_TIERS[scored.valueTier.historical[0] as number]).toBe("top1"); // c0: 50 + 15, the most
    expect(scored.churnRiskBasis).toBe("recency");
    const riskOf = (id: string) => CHURN_RISKS[scored.churnRisk[scored.customerIds.indexOf(id)] as number];
    expect([riskOf("c0"), riskOf("c12"), riskOf("c29")]).toEqual(["low", "medium", "high"]); // 0, 240 and 580 days ago
    expect(RFM_GROUPS[scored.rfm.group[scored.customerIds.indexOf("c0")] as number]).toBe("champions");
  });

  it("fits when the shop lowers the minimum, and `fitShopModels` reports the same", () => {
    const { customers } = summarizeShop(transactions, { unit: "day", observationEnd: "2025-06-30" });
    const fit = fitShopModels(customers, { unit: "day", minRepeatCustomers: 5 });
    expect(fit.bgnbd).not.toBeNull();
    expect(fit.repeatCustomers).toBe(10);
  });
});
