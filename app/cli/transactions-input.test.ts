import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { utcDayNumber } from "~/ltv/models/summary";
import { InputError, UsageError } from "./cli-errors";
import { modelInputFromArgs } from "./model-input";
import { MAX_REPORTED_ERRORS, parseAmount, parseTransactionsCsv, visitCsvRecords } from "./transactions-input";

const EXPORT = new URL("../../tests/fixtures/shopify-orders-export/orders_export_synthetic.csv", import.meta.url);

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("reading customer_id,date,amount", () => {
  it("reads the columns by name, in any order, with ISO dates and date-times", () => {
    const file = parseTransactionsCsv(
      "amount,note,customer_id,date\n10.50,x,a,2024-01-05\n-2,,b,2024-01-06T23:30:00-02:00\n3,\"a, b\",a,2024-01-07T10:00:00Z\n",
      "orders.csv",
      "transactions",
    );
    expect(file.customerIds).toEqual(["a", "b", "a"]);
    expect(Array.from(file.days)).toEqual([utcDayNumber("2024-01-05"), utcDayNumber("2024-01-07"), utcDayNumber("2024-01-07")]);
    expect(Array.from(file.amounts)).toEqual([10.5, -2, 3]);
    expect(file.lastDay).toBe(utcDayNumber("2024-01-07"));
  });

  it("names the file, line and column of a bad value", () => {
    const text = "customer_id,date,amount\n1,2024-01-01,5\n\n2,2024-01-02,abc\n3,2024-02-30,1\n,2024-01-03,1\n";
    expect(errorOf(() => parseTransactionsCsv(text, "cdnow.csv", "transactions"))).toBe(
      [
        'cdnow.csv:4: column "amount": "abc" is not a number',
        'cdnow.csv:5: column "date": "2024-02-30" is not a date (YYYY-MM-DD or ISO 8601)',
        'cdnow.csv:6: column "customer_id": is empty',
      ].join("\n"),
    );
  });

  it("counts lines across quoted fields that span lines", () => {
    const text = 'customer_id,date,amount,note\n1,2024-01-01,5,"two\nlines"\n2,2024-01-02,,\n';
    expect(errorOf(() => parseTransactionsCsv(text, "f.csv", "transactions"))).toBe('f.csv:4: column "amount": "" is not a number');
  });

  it("lists at most the first ten errors", () => {
    const text = `customer_id,date,amount\n${Array.from({ length: 30 }, () => "a,2024-01-01,x").join("\n")}`;
    expect(errorOf(() => parseTransactionsCsv(text, "f.csv", "transactions")).split("\n")).toHaveLength(MAX_REPORTED_ERRORS);
  });

  it("refuses a missing column, a ragged row, an empty file and a header without orders", () => {
    expect(errorOf(() => parseTransactionsCsv("customer,date,amount\n1,2024-01-01,5\n", "f.csv", "transactions"))).toBe(
      'f.csv:1: missing column "customer_id" in the header (found: customer, date, amount)',
    );
    expect(errorOf(() => parseTransactionsCsv("customer_id,date,amount\n1,2024-01-01\n", "f.csv", "transactions"))).toMatch(/^f\.csv:2: Invalid Record Length/);
    expect(errorOf(() => parseTransactionsCsv("", "f.csv", "transactions"))).toMatch(/^f\.csv: the file is empty/);
    expect(errorOf(() => parseTransactionsCsv("customer_id,date,amount\n", "f.csv", "transactions"))).toBe("f.csv: no orders to read");
  });

  it("takes only plain decimal numbers as amounts", () => {
    expect(["12", "-3.50", " 7 ", ".5", "1e3"].map(parseAmount)).toEqual([12, -3.5, 7, 0.5, 1000]);
    expect(["", "abc", "0x10", "1,5", "Infinity", "12 USD"].map(parseAmount)).toEqual([null, null, null, null, null, null]);
  });
});

describe("reading Shopify's order export", () => {
  const text = readFileSync(EXPORT, "utf8");

  it("makes one order of an order's line items, net of refunds, keyed by email, and skips unpaid, cancelled and guest orders", () => {
    const file = parseTransactionsCsv(text, "orders_export.csv", "shopify-orders-export");
    expect(file.customerIds).toEqual([
      "alice@example.com",
      "bob@example.com",
      "carol@example.com",
      "alice@example.com",
      "carol@example.com",
      "alice@example.com",
      "erin@example.com",
      "bob@example.com",
    ]);
    expect(Array.from(file.amounts)).toEqual([58, 120, 15.99, 20, 22, 45.5, 0, 61]);
    // The day the export writes (the shop's), not the UTC day: #1003 was paid 2024-02-01 23:30 −05:00.
    expect(file.days[2]).toBe(utcDayNumber("2024-02-01"));
    expect(file.lastDay).toBe(utcDayNumber("2024-06-28"));
    expect(file.skipped).toEqual({ unpaid: 1, cancelled: 1, withoutEmail: 1 });
  });

  it("names the line and column of a bad total, counting the two-line note before it", () => {
    const broken = text.replace(",22.00,", ",twenty-two,"); // order #1008
    expect(errorOf(() => parseTransactionsCsv(broken, "orders_export.csv", "shopify-orders-export"))).toBe(
      'orders_export.csv:12: column "Total": "twenty-two" is not a number',
    );
  });

  it("refuses an export without a usable order, saying what was skipped", () => {
    const header = text.slice(0, text.indexOf("\n") + 1);
    const unpaidOnly = text.split("\n").filter((line, k) => k === 0 || line.startsWith("#1004,"));
    expect(errorOf(() => parseTransactionsCsv(unpaidOnly.join("\n"), "x.csv", "shopify-orders-export"))).toBe(
      "x.csv: no orders to read (skipped: 1 unpaid, 0 cancelled, 0 without an email)",
    );
    expect(errorOf(() => parseTransactionsCsv(header.replace("Paid at", "Paid"), "x.csv", "shopify-orders-export"))).toMatch(
      /^x\.csv:1: missing column "Paid at"/,
    );
  });
});

describe("the options fit and score share", () => {
  const CDNOW = fileURLToPath(new URL("../../tests/fixtures/cdnow/cdnow_sample_transactions.csv", import.meta.url));

  it("default the observation end to the file's last order day", () => {
    const input = modelInputFromArgs("fit", { transactions: CDNOW, format: "transactions", unit: "week" });
    expect([input.observationEnd, input.unit, input.transactions.customerIds.length]).toEqual(["1998-06-30", "week", 6919]);
  });

  it("explain each wrong argument", () => {
    const usageError = (values: Parameters<typeof modelInputFromArgs>[1]) => {
      try {
        modelInputFromArgs("fit", values);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error("expected a UsageError");
    };
    expect(usageError({})).toBe("fit needs --transactions <csv>");
    expect(usageError({ transactions: CDNOW, unit: "month" })).toBe('--unit must be day or week, got "month"');
    expect(usageError({ transactions: CDNOW, end: "30/09/1997" })).toBe('--end must be a date YYYY-MM-DD, got "30/09/1997"');
    expect(usageError({ transactions: CDNOW, end: "1997-02-30" })).toBe('--end must be a date YYYY-MM-DD, got "1997-02-30"');
    expect(usageError({ transactions: CDNOW, format: "excel" })).toBe('--format must be one of transactions, shopify-orders-export, got "excel"');
    expect(usageError({ transactions: CDNOW, "min-repeat-customers": "0" })).toBe('--min-repeat-customers must be a whole number ≥ 1, got "0"');
  });

  it("refuse a missing file and an end before the first order", () => {
    expect(() => modelInputFromArgs("fit", { transactions: "/nonexistent/orders.csv" })).toThrow(new InputError("/nonexistent/orders.csv: cannot read the file (ENOENT)"));
    expect(() => modelInputFromArgs("fit", { transactions: CDNOW, end: "1996-12-31" })).toThrow(new InputError(`${CDNOW}: no orders on or before 1996-12-31`));
  });
});

describe("files without quotes, split directly", () => {
  it("read exactly the records csv-parse reads", async () => {
    const { parse } = await import("csv-parse/sync");
    const samples = [
      "customer_id,date,amount\n1,2024-01-01,5\n2,2024-01-02,6",
      "\ufeffcustomer_id,date,amount\r\n1,2024-01-01,5\r\n\r\n2,2024-01-02,6\r\n",
      "a,b,c\n\n\n1,,3\n,,\n 4 , 5 ,6 \n",
      "only\nx\ny\n",
      "",
      "\n\n",
    ];
    for (const text of samples) {
      const direct: string[][] = [];
      visitCsvRecords(text, "f.csv", (fields) => direct.push([...fields]));
      expect(direct).toEqual(parse(text, { bom: true, skip_empty_lines: true }));
    }
  });

  it("report a ragged row like csv-parse does", () => {
    expect(errorOf(() => visitCsvRecords("a,b\n1,2\n\n3\n", "f.csv", () => undefined))).toBe("f.csv:4: Invalid Record Length: expect 2, got 1");
  });
});

describe("a one-column file", () => {
  it("is read in linear time (no comma to look ahead for)", () => {
    const text = `only\n${"x\n".repeat(200_000)}`;
    const started = performance.now();
    let records = 0;
    visitCsvRecords(text, "f.csv", () => records++);
    expect(records).toBe(200_001);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
