import { describe, expect, it } from "vitest";
import { cohortActivityFromTransactions, cohortMatrix, evenlySpaced, firstCohortStart, monthFromIndex, monthIndex } from "./cohorts";
import { utcDayNumber } from "../models/summary";

// Three cohorts seen from April 2025:
// - January (10 customers): 2 bought again in January, 3 in February, none in March, 1 in April;
// - March (4 customers): 1 came back in April;
// - February: nobody's first order (left out).
const report = cohortMatrix({
  asOfMonth: "2025-04",
  sizes: [
    { cohort: "2025-01", customers: 10 },
    { cohort: "2025-03", customers: 4 },
  ],
  activity: [
    { cohort: "2025-01", offset: 0, returningCustomers: 2, netRevenue: "600.00" },
    { cohort: "2025-01", offset: 1, returningCustomers: 3, netRevenue: "150.00" },
    { cohort: "2025-01", offset: 3, returningCustomers: 1, netRevenue: "49.99" },
    { cohort: "2025-03", offset: 0, returningCustomers: 0, netRevenue: "200.00" },
    { cohort: "2025-03", offset: 1, returningCustomers: 1, netRevenue: "-20.00" },
  ],
});

describe("cohort matrix", () => {
  it("has one row per cohort with customers, oldest first, and a column per month since the oldest", () => {
    expect(report.rows.map((row) => [row.cohort, row.customers])).toEqual([
      ["2025-01", 10],
      ["2025-03", 4],
    ]);
    expect(report.months).toBe(4);
  });

  it("gives the share who bought again in each month, zero when nobody did, null before the month comes", () => {
    expect(report.rows[0]!.retention).toEqual([0.2, 0.3, 0, 0.1]);
    expect(report.rows[0]!.returningCustomers).toEqual([2, 3, 0, 1]);
    expect(report.rows[1]!.retention).toEqual([0, 0.25, null, null]);
  });

  it("adds net revenue month by month per cohort customer, refunds included, exactly", () => {
    // January: 600 / 10 = 60.00; + 150 → 75.00; nothing in March → 75.00; + 49.99 → 79.999 → 80.00
    expect(report.rows[0]!.cumulativeLtv).toEqual(["60.00", "75.00", "75.00", "80.00"]);
    // March: 200 / 4 = 50.00; a refund of 20 in April → 45.00
    expect(report.rows[1]!.cumulativeLtv).toEqual(["50.00", "45.00", null, null]);
  });

  it("averages each month over the cohorts that reached it, weighted by their size", () => {
    // month 0: (2 + 0) / 14; month 1: (3 + 1) / 14; months 2–3: January alone
    expect(report.average.retention[0]).toBeCloseTo(2 / 14, 12);
    expect(report.average.retention[1]).toBeCloseTo(4 / 14, 12);
    expect(report.average.retention.slice(2)).toEqual([0, 0.1]);
    // month 0: (600 + 200) / 14 = 57.142… ; month 1: (750 + 180) / 14 = 66.428…
    expect(report.average.cumulativeLtv).toEqual(["57.14", "66.43", "75.00", "80.00"]);
  });

  it("shows only the last N months of cohorts and ignores activity past the asOf month", () => {
    const recent = cohortMatrix({
      asOfMonth: "2025-04",
      cohorts: 2,
      sizes: [
        { cohort: "2025-01", customers: 10 },
        { cohort: "2025-04", customers: 5 },
      ],
      activity: [
        { cohort: "2025-01", offset: 3, returningCustomers: 1, netRevenue: "10" },
        { cohort: "2025-04", offset: 0, returningCustomers: 1, netRevenue: "100" },
        { cohort: "2025-04", offset: 1, returningCustomers: 5, netRevenue: "999" },
      ],
    });
    expect(recent.rows.map((row) => row.cohort)).toEqual(["2025-04"]);
    expect(recent.months).toBe(1);
    expect(recent.rows[0]).toMatchObject({ retention: [0.2], cumulativeLtv: ["20.00"] });
  });

  it("is empty for a shop without customers", () => {
    expect(cohortMatrix({ asOfMonth: "2025-04", sizes: [], activity: [] })).toEqual({
      asOfMonth: "2025-04",
      months: 0,
      rows: [],
      average: { retention: [], cumulativeLtv: [] },
    });
  });

  it("counts months across years", () => {
    expect(monthIndex("2025-01") - monthIndex("2024-12")).toBe(1);
    expect(monthFromIndex(monthIndex("2024-12") + 1)).toBe("2025-01");
    expect(firstCohortStart("2025-04", 24).toISOString()).toBe("2023-05-01T00:00:00.000Z");
    expect(() => monthIndex("2025-13")).toThrow(RangeError);
  });
});

describe("cohorts drawn as lines", () => {
  it("spread evenly from the oldest to the newest", () => {
    expect(evenlySpaced(23, 6)).toEqual([0, 4, 9, 13, 18, 22]);
    expect(evenlySpaced(4, 6)).toEqual([0, 1, 2, 3]);
    expect(evenlySpaced(5, 1)).toEqual([4]);
    expect(evenlySpaced(0, 6)).toEqual([]);
  });
});

describe("cohort activity from the refit's transactions", () => {
  const day = (iso: string) => utcDayNumber(iso);
  // Ann: first order 15 Jan, a second on 31 Jan (returns in month 0), again in March.
  // Ben: one order in January only. Cleo: first order in December, before a 4-month window.
  // Dan: first order in April, and a refunded one (−5.10) the same day. Eve orders after the end.
  const transactions = {
    customerIds: ["ann", "ben", "ann", "cleo", "ann", "cleo", "dan", "dan", "eve"],
    days: [day("2025-01-15"), day("2025-01-20"), day("2025-01-31"), day("2024-12-02"), day("2025-03-01"), day("2025-02-10"), day("2025-04-02"), day("2025-04-02"), day("2025-05-01")],
    // Amounts as PostgreSQL's float8 of NUMERIC(20, 4): 0.1 + 0.2 must still add up to 0.3000.
    amounts: [0.1, 19.99, 0.2, 50, 30.05, 12, 25, -5.1, 99],
  };
  const { sizes, activity } = cohortActivityFromTransactions(transactions, day("2025-04-30"), 4);

  it("sizes cohorts by the month of each customer's first order within the window", () => {
    expect(sizes).toEqual([
      { cohort: "2025-01", customers: 2 },
      { cohort: "2025-04", customers: 1 },
    ]);
  });

  it("counts a return in month 0 only for a second order, later for any order, and adds revenue exactly", () => {
    const cell = (cohort: string, offset: number) => activity.find((row) => row.cohort === cohort && row.offset === offset);
    expect(cell("2025-01", 0)).toEqual({ cohort: "2025-01", offset: 0, returningCustomers: 1, netRevenue: "20.2900" });
    expect(cell("2025-01", 1)).toEqual({ cohort: "2025-01", offset: 1, returningCustomers: 0, netRevenue: "0.0000" });
    expect(cell("2025-01", 2)).toEqual({ cohort: "2025-01", offset: 2, returningCustomers: 1, netRevenue: "30.0500" });
    // Dan's two orders on his first day: a second order in month 0, net 19.90.
    expect(cell("2025-04", 0)).toEqual({ cohort: "2025-04", offset: 0, returningCustomers: 1, netRevenue: "19.9000" });
    // Cleo (first order before the window) and Eve (after the end) are nowhere.
    expect(activity.every((row) => row.cohort === "2025-01" || row.cohort === "2025-04")).toBe(true);
  });

  it("feeds the cohort matrix like the database's aggregates do", () => {
    const report = cohortMatrix({ asOfMonth: "2025-04", sizes, activity, cohorts: 4 });
    expect(report.rows[0]).toMatchObject({ cohort: "2025-01", retention: [0.5, 0, 0.5, 0], cumulativeLtv: ["10.15", "10.15", "25.17", "25.17"] });
  });
});
