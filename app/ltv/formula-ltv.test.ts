import { describe, expect, it } from "vitest";
import { buildCustomerHistory } from "./customer-history";
import { LIFESPAN_CAP_YEARS, cohortMonth, formulaLtv, formulaLtvReport } from "./formula-ltv";
import { utcDayNumber } from "./models/summary";
import { RFM_GROUPS, rfmGroupCode } from "./rfm";

const END = utcDayNumber("2024-12-31"); // the formula's year is 2024-01-02 … 2024-12-31

// Ann: a customer for two years, still buying. Ben and Cleo: customers before the year, no order in
// it (churned). Dan: a new customer this year.
const history = buildCustomerHistory(
  {
    customerIds: ["ann", "ann", "ann", "ben", "cleo", "cleo", "dan", "dan"],
    days: Int32Array.from([END - 700, END - 300, END - 10, END - 500, END - 400, END - 380, END - 100, END - 50]),
    amounts: Float64Array.from([100, 50, 50, 40, 60, 60, 30, 30]),
  },
  END,
);

describe("formula LTV", () => {
  it("is average order value × orders per year × lifespan, with each factor shown", () => {
    // 8 orders worth 420 → 52.50 an order; ann and dan bought in the year, 4 orders → 2 a year;
    // ann, ben and cleo could have churned, ben and cleo did → churn 2/3, lifespan 1.5 years.
    const shop = formulaLtv(history);
    expect(shop).toMatchObject({ customers: 4, orders: 8, averageOrderValue: 52.5, purchaseFrequencyPerYear: 2, churnFrom: "group" });
    expect(shop.churnRate).toBeCloseTo(2 / 3, 12);
    expect(shop.lifespanYears).toBeCloseTo(1.5, 12);
    expect(shop.ltv).toBeCloseTo(157.5, 9);
    expect(shop.missing).toBeUndefined();
  });

  it("caps the lifespan when nobody churned", () => {
    const onlyAnn = formulaLtv(history, Uint8Array.from([1, 0, 0, 0]));
    expect(onlyAnn).toMatchObject({ customers: 1, churnRate: 0, lifespanYears: LIFESPAN_CAP_YEARS, averageOrderValue: 200 / 3, purchaseFrequencyPerYear: 2 });
    expect(onlyAnn.ltv).toBeCloseTo((200 / 3) * 2 * LIFESPAN_CAP_YEARS, 9);
  });

  it("gives a cohort younger than a year the shop's churn rate, and says so", () => {
    const report = formulaLtvReport(history, new Uint8Array(4).fill(rfmGroupCode("active")));
    expect(Object.keys(report.byCohort)).toEqual([cohortMonth(END - 700), cohortMonth(END - 500), cohortMonth(END - 400), cohortMonth(END - 100)]);
    const dansCohort = report.byCohort[cohortMonth(END - 100)];
    expect(dansCohort).toMatchObject({ customers: 1, averageOrderValue: 30, purchaseFrequencyPerYear: 2, churnFrom: "shop" });
    expect(dansCohort?.ltv).toBeCloseTo(30 * 2 * 1.5, 9);
    // A churned cohort has no orders in the year: no frequency, no LTV, and the reason.
    expect(report.byCohort[cohortMonth(END - 500)]).toMatchObject({ purchaseFrequencyPerYear: null, ltv: null, missing: "no orders in the last 365 days" });
    expect(Object.keys(report.byRfmGroup)).toEqual(["active"]);
    expect(report.byRfmGroup.active?.ltv).toBeCloseTo(report.shop.ltv as number, 12);
    expect(RFM_GROUPS).toContain("active");
  });

  it("does not guess a lifespan for a shop younger than a year", () => {
    const young = buildCustomerHistory({ customerIds: ["a", "b"], days: Int32Array.from([END - 30, END - 3]), amounts: Float64Array.from([10, 20]) }, END);
    const shop = formulaLtv(young);
    expect(shop).toMatchObject({ averageOrderValue: 15, purchaseFrequencyPerYear: 1, churnRate: null, lifespanYears: null, ltv: null });
    expect(shop.missing).toContain("no churn rate");
  });
});
