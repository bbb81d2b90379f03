import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCustomerHistory, modelSummary } from "./customer-history";
import { summarizeTransactions, utcDayNumber } from "./models/summary";

const CDNOW = new URL("../../tests/fixtures/cdnow/cdnow_sample_transactions.csv", import.meta.url);

describe("customer history", () => {
  it("gives the same model summary as summarizeTransactions on CDNOW", () => {
    const rows = readFileSync(CDNOW, "utf8").trim().split(/\r?\n/).slice(1).map((line) => line.split(","));
    const customerIds = rows.map((row) => row[0] as string);
    const dates = rows.map((row) => row[1] as string);
    const amounts = Float64Array.from(rows, (row) => Number(row[2]));
    for (const end of ["1997-09-30", "1998-06-30"]) {
      const reference = summarizeTransactions({ customerIds, dates, amounts, unit: "week", observationEnd: end });
      const history = buildCustomerHistory({ customerIds, days: Int32Array.from(dates, (date) => utcDayNumber(date)), amounts }, utcDayNumber(end));
      const summary = modelSummary(history, "week");
      expect(history.customerIds).toEqual(reference.customerIds);
      expect(Array.from(summary.x)).toEqual(Array.from(reference.x));
      expect(Array.from(summary.tx)).toEqual(Array.from(reference.tx));
      expect(Array.from(summary.T)).toEqual(Array.from(reference.T));
      summary.meanValue.forEach((value, i) => expect(value).toBeCloseTo(reference.meanValue[i] as number, 9));
    }
  });

  it("counts orders, distinct purchase days, net revenue and the last year's orders per customer", () => {
    const end = utcDayNumber("2024-12-31");
    const history = buildCustomerHistory(
      {
        customerIds: ["ann", "ann", "ann", "ben", "ann", "ben"],
        days: Int32Array.from([end - 400, end - 10, end - 10, end - 5, end - 400, end + 1]),
        amounts: Float64Array.from([30, 20, 5, 12, -10, 99]),
      },
      end,
    );
    expect(history.customerIds).toEqual(["ann", "ben"]);
    expect(Array.from(history.ordersCount)).toEqual([4, 1]); // ben's order after the end is ignored
    expect(Array.from(history.purchaseDays)).toEqual([2, 1]);
    expect(Array.from(history.netRevenue)).toEqual([45, 12]);
    expect(Array.from(history.repeatRevenue)).toEqual([25, 0]);
    expect(Array.from(history.ordersInLastYear)).toEqual([2, 1]);
    const summary = modelSummary(history, "day");
    expect(Array.from(summary.x)).toEqual([1, 0]);
    expect(Array.from(summary.tx)).toEqual([390, 0]);
    expect(Array.from(summary.T)).toEqual([400, 5]);
    expect(Array.from(summary.meanValue)).toEqual([25, 0]);
  });
});
