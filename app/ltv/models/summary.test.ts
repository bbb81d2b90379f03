import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { summarizeTransactions, utcDayNumber } from "./summary";

const FIXTURES = new URL("../../../tests/fixtures/cdnow/", import.meta.url);

function readCsv(name: string): string[][] {
  return readFileSync(new URL(name, FIXTURES), "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(","));
}

describe("summarizeTransactions on CDNOW", () => {
  const transactions = readCsv("cdnow_sample_transactions.csv"); // customer_id,date,amount
  const published = readCsv("cdnow_customers_summary_with_transactions.csv"); // ID,x,t_x,T,zbar
  const summary = summarizeTransactions({
    customerIds: transactions.map((row) => String(Number(row[0]))), // "0001" → "1", as in the summary file
    dates: transactions.map((row) => row[1] as string),
    amounts: transactions.map((row) => Number(row[2])),
    unit: "week",
    observationEnd: "1997-09-30",
  });

  it("reproduces x, t_x, T and zbar of all 2,357 customers", () => {
    expect(summary.customerIds.length).toBe(2357);
    const index = new Map(summary.customerIds.map((id, i) => [id, i]));
    const cents = (value: number) => Math.round(value * 100) / 100;
    for (const [id, x, tx, T, zbar] of published) {
      const i = index.get(id as string);
      expect(i).toBeDefined();
      const row = i as number;
      expect(summary.x[row]).toBe(Number(x));
      expect(cents(summary.tx[row] as number)).toBe(Number(tx));
      expect(cents(summary.T[row] as number)).toBe(Number(T));
      // zbar is a mean of cents and may end in a half cent: compare within half a cent.
      expect(Math.abs((summary.meanValue[row] as number) - Number(zbar))).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it("measures T to the start of the observation-end day (272 days, not 273, from Jan 1)", () => {
    const first = summary.customerIds.indexOf("1");
    expect(summary.T[first]).toBe(272 / 7); // 38.857… → 38.86 in the file; 39 would be 273 days
  });
});

describe("summarizeTransactions conventions", () => {
  it("merges purchases on the same UTC day and leaves the first purchase out of the mean", () => {
    const summary = summarizeTransactions({
      customerIds: ["a", "a", "a", "a", "b"],
      dates: ["2024-01-01", "2024-01-01T18:30:00Z", "2024-01-08", "2024-01-08", "2024-01-03"],
      amounts: [10, 5, 20, 30, 7],
      unit: "day",
      observationEnd: "2024-01-31",
    });
    expect(summary.customerIds).toEqual(["a", "b"]);
    expect(Array.from(summary.x)).toEqual([1, 0]);
    expect(Array.from(summary.tx)).toEqual([7, 0]);
    expect(Array.from(summary.T)).toEqual([30, 28]);
    expect(Array.from(summary.meanValue)).toEqual([50, 0]);
  });

  it("includes the observation-end day and ignores later purchases", () => {
    const summary = summarizeTransactions({
      customerIds: ["a", "a", "a", "late"],
      dates: ["2024-01-01", "2024-01-15", "2024-01-16", "2024-02-01"],
      amounts: [1, 2, 4, 8],
      unit: "week",
      observationEnd: "2024-01-15",
    });
    expect(summary.customerIds).toEqual(["a"]);
    expect(summary.x[0]).toBe(1);
    expect(summary.tx[0]).toBe(2);
    expect(summary.T[0]).toBe(2); // a purchase on the end day: t_x = T
    expect(summary.meanValue[0]).toBe(2);
  });

  it("accepts epoch milliseconds and reads every date as a UTC calendar day", () => {
    const jan1 = Date.UTC(2024, 0, 1);
    expect(utcDayNumber(jan1 + 23 * 3_600_000)).toBe(utcDayNumber("2024-01-01"));
    expect(utcDayNumber("2024-01-01T23:00:00-05:00")).toBe(utcDayNumber("2024-01-02"));
    expect(utcDayNumber("2024-01-01T23:59:59")).toBe(utcDayNumber("2024-01-01")); // no offset: UTC
    const summary = summarizeTransactions({
      customerIds: ["a", "a"],
      dates: [jan1 + 3_600_000, "2024-01-02"],
      amounts: [1, 3],
      unit: "day",
      observationEnd: jan1 + 9 * 86_400_000 + 5,
    });
    expect(summary.T[0]).toBe(9);
    expect(summary.tx[0]).toBe(1);
  });

  it("rejects invalid input", () => {
    expect(() => utcDayNumber("2024-02-30")).toThrow(RangeError);
    expect(() => utcDayNumber("yesterday")).toThrow(RangeError);
    expect(() =>
      summarizeTransactions({ customerIds: ["a"], dates: ["2024-01-01"], amounts: [Number.NaN], unit: "day", observationEnd: "2024-02-01" }),
    ).toThrow(RangeError);
    expect(() => summarizeTransactions({ customerIds: ["a"], dates: [], amounts: [], unit: "day", observationEnd: "2024-02-01" })).toThrow(
      RangeError,
    );
  });
});
