import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHURN_RISKS, type ChurnRisk } from "./churn-risk";
import type { DailyTransactions } from "./customer-history";
import { Decimal, money } from "./money";
import { utcDayNumber } from "./models/summary";
import { RFM_GROUPS, type RfmGroup } from "./rfm";
import { scoreShop } from "./score-shop";
import {
  type SegmentCell,
  type SegmentSnapshot,
  isSegmentsReport,
  oneMonthEarlier,
  segmentCells,
  segmentSnapshot,
  segmentsReport,
} from "./segment-summary";
import { VALUE_TIERS, type ValueTier } from "./value-tiers";

const CDNOW = new URL("../../tests/fixtures/cdnow/cdnow_sample_transactions.csv", import.meta.url);

const g = (group: RfmGroup) => RFM_GROUPS.indexOf(group);
const t = (tier: ValueTier) => VALUE_TIERS.indexOf(tier);
const r = (risk: ChurnRisk) => CHURN_RISKS.indexOf(risk);

function cell(fields: Partial<SegmentCell> & Pick<SegmentCell, "customers">): SegmentCell {
  return {
    rfmGroup: "champions",
    valueTier: "top1",
    churnRisk: "low",
    netRevenue: money(0),
    predictedCustomers: 0,
    predictedClv: money(0),
    ...fields,
  };
}

const snapshot = (cells: SegmentCell[], options: Partial<{ asOf: string; guestNetRevenue: string; prospectsKnown: boolean }> = {}): SegmentSnapshot =>
  segmentSnapshot(cells, {
    asOf: options.asOf ?? "2026-03-15",
    guestNetRevenue: money(options.guestNetRevenue ?? "0"),
    prospectsKnown: options.prospectsKnown ?? true,
  });

describe("adding up customers into segment cells", () => {
  it("sums a million customers' €0.10 to exactly €100,000.00, where floats would drift", () => {
    const n = 1_000_000;
    const floatSum = Array.from({ length: n }, () => 0.1).reduce((sum, value) => sum + value, 0);
    expect(floatSum).not.toBe(100_000);
    const cells = segmentCells({
      rfmGroup: new Uint8Array(n).fill(g("loyal")),
      valueTier: new Uint8Array(n).fill(t("rest")),
      churnRisk: new Uint8Array(n).fill(r("medium")),
      netRevenue: new Float64Array(n).fill(0.1),
      predictedClv: new Float64Array(n).fill(0.2),
    });
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ rfmGroup: "loyal", valueTier: "rest", churnRisk: "medium", customers: n, predictedCustomers: n });
    expect(cells[0]!.netRevenue.toFixed(4)).toBe("100000.0000");
    expect(cells[0]!.predictedClv.toFixed(4)).toBe("200000.0000");
  });

  it("keeps each combination of group, tier and risk apart, and keeps refunds beyond the orders negative", () => {
    const cells = segmentCells({
      rfmGroup: Uint8Array.from([g("champions"), g("champions"), g("dormant"), g("champions")]),
      valueTier: Uint8Array.from([t("top1"), t("top1"), t("rest"), t("top5")]),
      churnRisk: Uint8Array.from([r("low"), r("low"), r("high"), r("low")]),
      netRevenue: Float64Array.from([120.5, 79.5, -12.25, 60]),
      predictedClv: null,
    });
    expect(cells.map((c) => [c.rfmGroup, c.valueTier, c.churnRisk, c.customers, c.netRevenue.toFixed(2), c.predictedCustomers])).toEqual([
      ["champions", "top1", "low", 2, "200.00", 0],
      ["champions", "top5", "low", 1, "60.00", 0],
      ["dormant", "rest", "high", 1, "-12.25", 0],
    ]);
  });

  it("counts a non-finite prediction as no prediction, as the refit stores it (NULL)", () => {
    const [only] = segmentCells({
      rfmGroup: Uint8Array.from([g("new"), g("new")]),
      valueTier: Uint8Array.from([t("rest"), t("rest")]),
      churnRisk: Uint8Array.from([r("low"), r("low")]),
      netRevenue: Float64Array.from([10, 20]),
      predictedClv: Float64Array.from([Number.NaN, 33.333333]),
    });
    expect(only).toMatchObject({ customers: 2, predictedCustomers: 1 });
    expect(only!.predictedClv.toFixed(4)).toBe("33.3333");
  });

  it("refuses unknown segment codes and columns of different lengths", () => {
    const base = { rfmGroup: [0], valueTier: [0], churnRisk: [0], netRevenue: [1], predictedClv: null };
    expect(() => segmentCells({ ...base, rfmGroup: [RFM_GROUPS.length] })).toThrow(RangeError);
    expect(() => segmentCells({ ...base, churnRisk: [0, 1] })).toThrow(RangeError);
    expect(() => segmentCells({ ...base, netRevenue: [Number.POSITIVE_INFINITY] })).toThrow(RangeError);
  });
});

describe("a shop's segments on one date", () => {
  const cells = [
    cell({ rfmGroup: "champions", valueTier: "top1", churnRisk: "low", customers: 2, netRevenue: money("600.00"), predictedCustomers: 2, predictedClv: money("300.01") }),
    cell({ rfmGroup: "champions", valueTier: "top5", churnRisk: "medium", customers: 1, netRevenue: money("150.00"), predictedCustomers: 1, predictedClv: money("90.00") }),
    cell({ rfmGroup: "dormant", valueTier: "rest", churnRisk: "high", customers: 3, netRevenue: money("50.00"), predictedCustomers: 3, predictedClv: money("1.50") }),
    cell({ rfmGroup: "prospects", valueTier: null, churnRisk: null, customers: 4, netRevenue: money(0) }),
    cell({ rfmGroup: null, valueTier: null, churnRisk: null, customers: 1, netRevenue: money("20.00") }),
  ];
  const shop = snapshot(cells, { guestNetRevenue: "180.00" });

  it("shares revenue against the shop's net revenue, guest orders and unscored customers included", () => {
    expect(shop.netRevenue.toFixed(2)).toBe("1000.00");
    expect(shop.rfm.champions).toEqual({
      customers: 3,
      netRevenue: "750.00",
      revenueShare: 0.75,
      averageHistoricalLtv: "250.00",
      averagePredictedClv: "130.00", // 390.01 / 3 = 130.0033…
    });
    expect(shop.rfm.dormant.revenueShare).toBe(0.05);
    expect(shop.guestNetRevenue.toFixed(2)).toBe("180.00");
  });

  it("gives Prospects no predicted CLV, and an empty group no averages", () => {
    expect(shop.rfm.prospects).toEqual({ customers: 4, netRevenue: "0.00", revenueShare: 0, averageHistoricalLtv: "0.00", averagePredictedClv: null });
    expect(shop.rfm.loyal).toEqual({ customers: 0, netRevenue: "0.00", revenueShare: 0, averageHistoricalLtv: null, averagePredictedClv: null });
  });

  it("counts customers per value tier and churn risk; Prospects and unscored customers are in neither", () => {
    expect(VALUE_TIERS.map((tier) => shop.tiers[tier].customers)).toEqual([2, 1, 0, 3]);
    expect(shop.churn).toEqual({ low: 2, medium: 1, high: 3 });
    expect(shop).toMatchObject({ customers: 10, customersWithOrders: 6, unscoredCustomers: 1, predictions: true });
  });

  it("has no shares when the shop's net revenue is not positive", () => {
    const refunded = snapshot([cell({ customers: 1, netRevenue: money("-5.00") })]);
    expect(refunded.rfm.champions.revenueShare).toBeNull();
    expect(refunded.rfm.champions.averageHistoricalLtv).toBe("-5.00");
  });

  it("rounds averages to cents half away from zero", () => {
    const third = snapshot([cell({ customers: 3, netRevenue: money("0.05"), predictedCustomers: 2, predictedClv: money("0.05") })]);
    expect(third.rfm.champions.averageHistoricalLtv).toBe("0.02"); // 0.01666…
    expect(third.rfm.champions.averagePredictedClv).toBe("0.03"); // 0.025
  });
});

describe("change since last month", () => {
  const now = snapshot(
    [
      cell({ rfmGroup: "champions", valueTier: "top1", churnRisk: "low", customers: 5, netRevenue: money("1000.00"), predictedCustomers: 5, predictedClv: money("500.00") }),
      cell({ rfmGroup: "at_risk", valueTier: "rest", churnRisk: "high", customers: 5, netRevenue: money("100.00"), predictedCustomers: 5, predictedClv: money("10.00") }),
      cell({ rfmGroup: "prospects", valueTier: null, churnRisk: null, customers: 7, netRevenue: money(0) }),
    ],
    { asOf: "2026-03-31" },
  );
  const lastMonth = snapshot(
    [
      cell({ rfmGroup: "champions", valueTier: "top1", churnRisk: "low", customers: 6, netRevenue: money("990.00"), predictedCustomers: 6, predictedClv: money("540.00") }),
      cell({ rfmGroup: "at_risk", valueTier: "rest", churnRisk: "high", customers: 2, netRevenue: money("10.00"), predictedCustomers: 2, predictedClv: money("2.00") }),
    ],
    { asOf: "2026-02-28", prospectsKnown: false },
  );
  const report = segmentsReport(now, lastMonth, { previousAsOf: "2026-02-28", predictionHorizonMonths: 12 });
  const row = (group: RfmGroup) => report.rfmGroups.find((candidate) => candidate.key === group)!;

  it("says, for a group that lost a customer, −1 customer, the share's points and the averages' difference", () => {
    expect(report.comparison).toBe("compared");
    expect(row("champions").previous).toMatchObject({ customers: 6, averageHistoricalLtv: "165.00", averagePredictedClv: "90.00" });
    expect(row("champions").change).toEqual({ customers: -1, revenueShare: 1000 / 1100 - 0.99, averageHistoricalLtv: "35.00", averagePredictedClv: "10.00" });
    expect(row("at_risk").change).toEqual({ customers: 3, revenueShare: 100 / 1100 - 0.01, averageHistoricalLtv: "15.00", averagePredictedClv: "1.00" });
  });

  it("measures the change between the rounded figures, so the earlier figure plus the change is what is shown now", () => {
    for (const { now: current, previous, change } of report.rfmGroups) {
      if (!previous || !change || current.averageHistoricalLtv === null || previous.averageHistoricalLtv === null) continue;
      expect(new Decimal(previous.averageHistoricalLtv).plus(change.averageHistoricalLtv!).toFixed(2)).toBe(current.averageHistoricalLtv);
    }
  });

  it("lists every group and tier in order, best first, Prospects last", () => {
    expect(report.rfmGroups.map((candidate) => candidate.key)).toEqual([...RFM_GROUPS]);
    expect(report.valueTiers.map((candidate) => candidate.key)).toEqual([...VALUE_TIERS]);
    expect(report.churnRisk.map((candidate) => candidate.key)).toEqual([...CHURN_RISKS]);
  });

  it("does not guess how many Prospects there were: customers have no creation date", () => {
    expect(row("prospects")).toMatchObject({ previous: null, change: null });
    expect(row("prospects").now.customers).toBe(7);
  });

  it("compares value tiers and churn risk when both months have predictions", () => {
    expect(report.valueTiers[0]!.change?.customers).toBe(-1);
    expect(report.churnRisk).toEqual([
      { key: "low", customers: 5, previous: 6, change: -1 },
      { key: "medium", customers: 0, previous: 0, change: 0 },
      { key: "high", customers: 5, previous: 2, change: 3 },
    ]);
  });

  it("does not compare tiers or churn risk ranked on different bases (last month without predictions)", () => {
    const historicalOnly = snapshot([cell({ rfmGroup: "champions", customers: 6, netRevenue: money("990.00") })], { prospectsKnown: false });
    const mixed = segmentsReport(now, historicalOnly, { previousAsOf: "2026-02-28", predictionHorizonMonths: 12 });
    expect(mixed).toMatchObject({ comparison: "compared", predictions: true, previousPredictions: false, valueTierBasis: "predicted", previousValueTierBasis: "historical" });
    expect(mixed.valueTiers.every((tier) => tier.change === null)).toBe(true);
    expect(mixed.churnRisk.every((risk) => risk.change === null && risk.previous === null)).toBe(true);
    // RFM groups do not depend on the models: still compared, but without a predicted CLV then.
    expect(mixed.rfmGroups[0]!.change).toMatchObject({ customers: -1, averagePredictedClv: null });
  });

  it("has no changes at all when the shop had no order with a customer a month ago", () => {
    const empty = segmentsReport(now, snapshot([], { prospectsKnown: false }), { previousAsOf: "2026-02-28", predictionHorizonMonths: 12 });
    expect(empty.comparison).toBe("no_earlier_orders");
    expect(empty.previousPredictions).toBeNull();
    expect([...empty.rfmGroups, ...empty.valueTiers].every((segment) => segment.previous === null && segment.change === null)).toBe(true);
    expect(empty.churnRisk.every((risk) => risk.change === null)).toBe(true);
    expect(segmentsReport(now, null, { previousAsOf: "2026-02-28", predictionHorizonMonths: 12 }).comparison).toBe("no_earlier_orders");
  });

  it("is plain JSON and recognised as a report once stored", () => {
    const stored: unknown = JSON.parse(JSON.stringify(report));
    expect(stored).toEqual(report);
    expect(isSegmentsReport(stored)).toBe(true);
    expect(isSegmentsReport({})).toBe(false);
    expect(isSegmentsReport({ ...report, version: 2 })).toBe(false);
  });
});

describe("one month earlier", () => {
  it("keeps the day of the month, clamped to the end of a shorter month", () => {
    expect(oneMonthEarlier("2026-03-15")).toBe("2026-02-15");
    expect(oneMonthEarlier("2026-03-31")).toBe("2026-02-28");
    expect(oneMonthEarlier("2024-03-31")).toBe("2024-02-29");
    expect(oneMonthEarlier("2026-01-10")).toBe("2025-12-10");
    expect(oneMonthEarlier("2026-05-31T00:00:00.000Z")).toBe("2026-04-30");
    expect(() => oneMonthEarlier("yesterday")).toThrow(RangeError);
  });
});

describe("last month's segments from the scoring pipeline", () => {
  // CDNOW (tests/fixtures/cdnow): orders from 1997-01 to 1998-06; "last month" of a refit on 1997-09-30.
  const rows = readFileSync(CDNOW, "utf8").trim().split(/\r?\n/).slice(1).map((line) => line.split(","));
  rows.push(["late-newcomer", "1997-08-31", "1000.00"]); // first order the day after
  const customerIds = rows.map((row) => row[0] as string);
  const days = rows.map((row) => utcDayNumber(row[1] as string));
  const amounts = rows.map((row) => Number(row[2]));
  const earlierEnd = oneMonthEarlier("1997-09-30");
  const all: DailyTransactions = { customerIds, days: Int32Array.from(days), amounts: Float64Array.from(amounts) };
  const endDay = utcDayNumber(earlierEnd);
  const keep = days.map((day) => day <= endDay);
  const upToEarlierEnd: DailyTransactions = {
    customerIds: customerIds.filter((_, i) => keep[i]),
    days: Int32Array.from(days.filter((_, i) => keep[i])),
    amounts: Float64Array.from(amounts.filter((_, i) => keep[i])),
  };
  const options = { unit: "week", observationEnd: earlierEnd } as const;

  it("ignores every order after the earlier date: same customers, segments and values as without them", () => {
    const withLater = scoreShop(all, options);
    const without = scoreShop(upToEarlierEnd, options);
    expect(withLater.customerIds).toEqual(without.customerIds);
    expect(days.filter((day) => day > endDay).length).toBeGreaterThan(1000);
    expect(withLater.customerIds).not.toContain("late-newcomer");
    expect(withLater.customerIds.length).toBe(new Set(upToEarlierEnd.customerIds).size);
    expect(Array.from(withLater.netRevenue)).toEqual(Array.from(without.netRevenue));
    expect(Array.from(withLater.rfm.group)).toEqual(Array.from(without.rfm.group));
    expect(withLater.fit.reason).toBeUndefined();
    expect(withLater.predictions).not.toBeNull();
    expect(Array.from(withLater.predictions!.predictedClv)).toEqual(Array.from(without.predictions!.predictedClv));
  });

  it("turns the pipeline's arrays into cells whose totals are the orders' exact sum", () => {
    const scored = scoreShop(all, options);
    const cells = segmentCells({
      rfmGroup: scored.rfm.group,
      valueTier: scored.valueTier.predicted ?? scored.valueTier.historical,
      churnRisk: scored.churnRisk,
      netRevenue: scored.netRevenue,
      predictedClv: scored.predictions?.predictedClv ?? null,
    });
    const earlier = snapshot(cells, { asOf: earlierEnd, prospectsKnown: false });
    const expected = rows.filter((_, i) => keep[i]).reduce((sum, row) => sum.plus(money(row[2] as string)), money(0));
    expect(earlier.netRevenue.toFixed(2)).toBe(expected.toFixed(2));
    expect(earlier.customersWithOrders).toBe(new Set(upToEarlierEnd.customerIds).size);
    expect(earlier.predictions).toBe(true);
    expect(RFM_GROUPS.reduce((sum, group) => sum + earlier.rfm[group].customers, 0)).toBe(earlier.customersWithOrders);
    expect(earlier.rfm.prospects.customers).toBe(0);
  });
});
