import { describe, expect, it } from "vitest";
import { type CustomerTotals, dashboardKpis, ltvToCac, segmentShares } from "./kpis";

// 3 customers: one bought once (€10.00), two bought twice (€45.55 and €20.00); 5 orders, €75.55.
const totals: CustomerTotals = {
  customers: 3,
  repeatCustomers: 2,
  orders: 5,
  guestOrders: 1,
  prospects: 4,
  netRevenue: "75.55",
  averageLifespanDays: 45.5,
  predictedCustomers: 3,
  predictedClvSum: "100.01",
};

describe("dashboard KPIs", () => {
  it("divide exact totals: AOV to the cent, rates as ratios", () => {
    const kpis = dashboardKpis(totals, { modelsSufficient: true, predictionHorizonMonths: 12, acquisitionCost: null });
    expect(kpis).toMatchObject({
      customers: 3,
      repeatPurchaseRate: 2 / 3,
      netRevenue: "75.55",
      averageOrderValue: "15.11", // 75.55 / 5
      ordersPerCustomer: 5 / 3,
      averageLifespanDays: 45.5,
      averageHistoricalLtv: "25.18", // 25.1833…
      averagePredictedClv: "33.34", // 33.3366…
      ltvToCac: null,
    });
  });

  it("show no predicted CLV when the latest fit is insufficient, whatever predictions remain", () => {
    const kpis = dashboardKpis(totals, { modelsSufficient: false, predictionHorizonMonths: 12, acquisitionCost: "12.50" });
    expect(kpis.averagePredictedClv).toBeNull();
    expect(kpis.predictedCustomers).toBe(0);
    // LTV:CAC then uses the historical average, and says so.
    expect(kpis.ltvToCac).toMatchObject({ basis: "historical", averageLtv: "25.18", acquisitionCost: "12.50" });
    expect(kpis.ltvToCac!.ratio).toBeCloseTo(25.18 / 12.5, 12);
  });

  it("compute LTV:CAC on predicted CLV when there is one, and not at all without a cost", () => {
    expect(ltvToCac("300.00", "120.00", "100")).toEqual({ basis: "predicted", averageLtv: "300.00", acquisitionCost: "100.00", ratio: 3 });
    expect(ltvToCac("300.00", "120.00", null)).toBeNull();
    expect(ltvToCac("300.00", "120.00", "0")).toBeNull();
    expect(ltvToCac(null, null, "10")).toBeNull();
  });

  it("are empty, not zero, for a shop without customers", () => {
    const kpis = dashboardKpis(
      { customers: 0, repeatCustomers: 0, orders: 0, guestOrders: 2, prospects: 0, netRevenue: "0", averageLifespanDays: null, predictedCustomers: 0, predictedClvSum: "0" },
      { modelsSufficient: false, predictionHorizonMonths: 12, acquisitionCost: "10" },
    );
    expect(kpis).toMatchObject({ repeatPurchaseRate: null, averageOrderValue: null, ordersPerCustomer: null, averageLifespanDays: null, averageHistoricalLtv: null, ltvToCac: null });
  });
});

describe("segment shares", () => {
  it("share customers and revenue per segment, best first, with late arrivals as unscored", () => {
    const shares = segmentShares(
      [
        { key: "at_risk", customers: 30, netRevenue: "900.00" },
        { key: "champions", customers: 10, netRevenue: "2100.00" },
        { key: "prospects", customers: 1, netRevenue: "0" }, // ordered after the refit
        { key: null, customers: 0, netRevenue: "0" },
      ],
      [
        { key: "rest", customers: 32, netRevenue: "1000.00" },
        { key: "top1", customers: 9, netRevenue: "2000.00" },
      ],
      "predicted",
    );
    expect(shares.rfm.map((row) => [row.key, row.customers, row.netRevenue])).toEqual([
      ["champions", 10, "2100.00"],
      ["at_risk", 30, "900.00"],
      ["unscored", 1, "0.00"],
    ]);
    expect(shares.rfm[0]!.customerShare).toBeCloseTo(10 / 41, 12);
    expect(shares.rfm[0]!.revenueShare).toBe(0.7);
    expect(shares.valueTiers.map((row) => row.key)).toEqual(["top1", "rest"]);
    expect(shares.valueTierBasis).toBe("predicted");
  });

  it("has no revenue share when the segments' revenue is not positive", () => {
    const shares = segmentShares([{ key: "new", customers: 2, netRevenue: "0" }], [], "historical");
    expect(shares.rfm[0]).toMatchObject({ customerShare: 1, revenueShare: null });
  });
});
