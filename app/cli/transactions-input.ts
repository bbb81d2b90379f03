// Reads a shop's orders from a CSV file for `clv fit` and `clv score`, in one of two formats:
//
// - "transactions": a header naming the columns customer_id, date, amount (any order, other columns
//   ignored), then one row per order; date is YYYY-MM-DD or an ISO 8601 date-time (its UTC day is
//   used), amount is the order's value net of refunds.
// - "shopify-orders-export": the CSV of Shopify's admin order export, one row per line item. Used:
//   Email (the customer), Name (the order: only the first row of an order carries its totals),
//   Paid at (the purchase time; an order without it is unpaid and skipped), Total, Refunded Amount
//   (net = Total − Refunded Amount), Cancelled at (cancelled orders are skipped). Orders without an
//   email are guest orders and skipped too. The day of an order is the calendar day the export
//   writes, i.e. in the shop's time zone.
//
// Parsing is csv-parse's. A file without any double quote (and without bare carriage returns) cannot
// hold a quoted field, so RFC 4180 reduces to "lines of comma-separated fields": such files, the
// usual customer_id,date,amount export, are split directly, several times faster than a general
// parser and without loading it; a test checks both ways read the same records. The checks here
// give errors that name the file, the line and the column:
//   orders.csv:17: column "amount": "abc" is not a number
// Any invalid value fails the whole file (up to MAX_REPORTED_ERRORS are listed), and a file without
// a usable order is an error too, never an empty result.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { DailyTransactions } from "~/ltv/customer-history";
import { utcDayNumber } from "~/ltv/models/summary";
import { InputError } from "./cli-errors";

export const TRANSACTIONS_FORMATS = ["transactions", "shopify-orders-export"] as const;
export type TransactionsFormat = (typeof TRANSACTIONS_FORMATS)[number];

export const MAX_REPORTED_ERRORS = 10;

export type TransactionsFile = DailyTransactions & {
  days: Int32Array;
  amounts: Float64Array;
  /** Latest order day in the file (UTC day number). */
  lastDay: number;
  /** Orders left out, by reason (Shopify export only). */
  skipped: { unpaid: number; cancelled: number; withoutEmail: number };
};

export function readTransactionsFile(path: string, format: TransactionsFormat): TransactionsFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(`${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseTransactionsCsv(text, path, format);
}

type CellError = { record: number; column: string; message: string };

type CsvParse = typeof import("csv-parse/sync").parse;
let csvParse: CsvParse | null = null;

/** csv-parse, loaded on first use: its CommonJS build is one file, quicker to load than its ES modules. */
function loadCsvParse(): CsvParse {
  csvParse ??= (createRequire(import.meta.url)("csv-parse/sync") as { parse: CsvParse }).parse;
  return csvParse;
}

const CSV_OPTIONS = { bom: true, skip_empty_lines: true } as const;

/**
 * Called with each record's fields and its index (the header is record 0). The fields array may be
 * reused for the next record: copy it to keep it.
 */
export type RecordVisitor = (fields: string[], record: number) => void;

export function visitCsvRecords(text: string, fileName: string, visit: RecordVisitor): void {
  if (canSplitDirectly(text)) {
    visitLines(text, fileName, visit);
    return;
  }
  let records: string[][];
  try {
    records = loadCsvParse()(text, CSV_OPTIONS);
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    throw new InputError(`${fileName}:${lines ?? 1}: ${message.replace(/ (on|at) line \d+$/, "")}`);
  }
  records.forEach(visit);
}

/** No double quote, and every carriage return part of a CRLF line break. */
function canSplitDirectly(text: string): boolean {
  if (text.includes('"')) return false;
  for (let at = text.indexOf("\r"); at >= 0; at = text.indexOf("\r", at + 1)) if (text.charCodeAt(at + 1) !== 10) return false;
  return true;
}

/**
 * What csv-parse does with { bom, skip_empty_lines } on such a file, line by line. Fields are cut
 * straight from the text into one reused array: no string per line, no array per record.
 */
function visitLines(text: string, fileName: string, visit: RecordVisitor): void {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  let record = 0;
  let width = -1;
  const fields: string[] = [];
  // The next comma at or after the current field; kept across lines, so that a file with few commas
  // is still scanned once, not once per line.
  let nextComma = -1;
  while (start < text.length) {
    line++;
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (end > start) {
      let count = 0;
      let fieldStart = start;
      for (;;) {
        if (nextComma < fieldStart) {
          nextComma = text.indexOf(",", fieldStart);
          if (nextComma < 0) nextComma = text.length;
        }
        const comma = nextComma > end ? end : nextComma;
        fields[count++] = text.slice(fieldStart, comma);
        if (comma === end) break;
        fieldStart = comma + 1;
      }
      if (width < 0) width = count;
      else if (count !== width) throw new InputError(`${fileName}:${line}: Invalid Record Length: expect ${width}, got ${count}`);
      fields.length = count;
      visit(fields, record++);
    }
    start = next;
  }
}

export function parseTransactionsCsv(text: string, fileName: string, format: TransactionsFormat): TransactionsFile {
  const errors: CellError[] = [];
  const reader = format === "shopify-orders-export" ? shopifyOrdersReader(errors) : plainTransactionsReader(errors);
  let sawHeader = false;
  let headerUsable = false;
  visitCsvRecords(text, fileName, (fields, record) => {
    if (record === 0) {
      sawHeader = true;
      reader.header(fields.map((name) => name.trim()));
      headerUsable = errors.length === 0;
    } else if (headerUsable && errors.length < MAX_REPORTED_ERRORS) {
      reader.row(fields, record);
    }
  });
  if (!sawHeader) throw new InputError(`${fileName}: the file is empty (a header line and at least one order are needed)`);
  if (errors.length > 0) throw new InputError(describeErrors(text, fileName, errors));
  const result = finish(reader.builder);
  if (result.customerIds.length === 0) {
    const { unpaid, cancelled, withoutEmail } = result.skipped;
    const skippedNote = format === "shopify-orders-export" ? ` (skipped: ${unpaid} unpaid, ${cancelled} cancelled, ${withoutEmail} without an email)` : "";
    throw new InputError(`${fileName}: no orders to read${skippedNote}`);
  }
  return result;
}

type Builder = { customerIds: string[]; days: number[]; amounts: number[]; skipped: TransactionsFile["skipped"] };

function finish(builder: Builder): TransactionsFile {
  const days = Int32Array.from(builder.days);
  let lastDay = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < days.length; i++) lastDay = Math.max(lastDay, days[i] as number);
  return { customerIds: builder.customerIds, days, amounts: Float64Array.from(builder.amounts), lastDay, skipped: builder.skipped };
}

function columnIndex(columns: string[], name: string, errors: CellError[]): number {
  const index = columns.indexOf(name);
  if (index < 0) errors.push({ record: 0, column: name, message: `missing column "${name}" in the header (found: ${columns.join(", ")})` });
  return index;
}

type Reader = { builder: Builder; header: (columns: string[]) => void; row: (fields: string[], record: number) => void };

const emptyBuilder = (): Builder => ({ customerIds: [], days: [], amounts: [], skipped: { unpaid: 0, cancelled: 0, withoutEmail: 0 } });

function plainTransactionsReader(errors: CellError[]): Reader {
  const builder = emptyBuilder();
  let idColumn = -1;
  let dateColumn = -1;
  let amountColumn = -1;
  const dayOf = dayParser(isoDay);
  return {
    builder,
    header(columns) {
      idColumn = columnIndex(columns, "customer_id", errors);
      dateColumn = columnIndex(columns, "date", errors);
      amountColumn = columnIndex(columns, "amount", errors);
    },
    row(fields, record) {
      const id = (fields[idColumn] as string).trim();
      const day = dayOf(fields[dateColumn] as string);
      const amount = parseAmount(fields[amountColumn] as string);
      if (id === "") errors.push({ record, column: "customer_id", message: "is empty" });
      if (day === null) errors.push({ record, column: "date", message: `"${fields[dateColumn]}" is not a date (YYYY-MM-DD or ISO 8601)` });
      if (amount === null) errors.push({ record, column: "amount", message: `"${fields[amountColumn]}" is not a number` });
      if (id === "" || day === null || amount === null) return;
      builder.customerIds.push(id);
      builder.days.push(day);
      builder.amounts.push(amount);
    },
  };
}

function shopifyOrdersReader(errors: CellError[]): Reader {
  const builder = emptyBuilder();
  const column = { name: -1, email: -1, paidAt: -1, total: -1, refunded: -1, cancelledAt: -1 };
  const dayOf = dayParser(shopifyDay);
  const seenOrders = new Set<string>();
  return {
    builder,
    header(columns) {
      column.name = columnIndex(columns, "Name", errors);
      column.email = columnIndex(columns, "Email", errors);
      column.paidAt = columnIndex(columns, "Paid at", errors);
      column.total = columnIndex(columns, "Total", errors);
      column.refunded = columnIndex(columns, "Refunded Amount", errors);
      column.cancelledAt = columnIndex(columns, "Cancelled at", errors);
    },
    row(fields, record) {
      const name = (fields[column.name] as string).trim();
      if (name === "") {
        errors.push({ record, column: "Name", message: "is empty (the order name groups an order's line items)" });
        return;
      }
      // Further rows of an order are its other line items; the first row carries the order's fields.
      if (seenOrders.has(name)) return;
      seenOrders.add(name);
      if ((fields[column.cancelledAt] as string).trim() !== "") {
        builder.skipped.cancelled++;
        return;
      }
      const paidAt = (fields[column.paidAt] as string).trim();
      if (paidAt === "") {
        builder.skipped.unpaid++;
        return;
      }
      const email = (fields[column.email] as string).trim().toLowerCase();
      if (email === "") {
        builder.skipped.withoutEmail++;
        return;
      }
      const day = dayOf(paidAt);
      const total = parseAmount(fields[column.total] as string);
      const refundedText = (fields[column.refunded] as string).trim();
      const refunded = refundedText === "" ? 0 : parseAmount(refundedText);
      if (day === null) errors.push({ record, column: "Paid at", message: `"${paidAt}" is not a time (like 2024-01-15 10:23:45 -0500)` });
      if (total === null) errors.push({ record, column: "Total", message: `"${fields[column.total]}" is not a number` });
      if (refunded === null) errors.push({ record, column: "Refunded Amount", message: `"${refundedText}" is not a number` });
      if (day === null || total === null || refunded === null) return;
      builder.customerIds.push(email);
      builder.days.push(day);
      // Amounts have at most 4 decimals; rounding to them drops the float noise of the subtraction.
      builder.amounts.push(Math.round((total - refunded) * 10_000) / 10_000);
    },
  };
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A plain decimal number ("12", "-3.50", "1e3"); null for anything else, including "". */
export function parseAmount(text: string): number | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function isoDay(text: string): number | null {
  if (!ISO_DATE_TIME.test(text)) return null;
  try {
    return utcDayNumber(text);
  } catch {
    return null;
  }
}

// Shopify writes "2024-01-15 10:23:45 -0500": the shop's local time and its offset.
const SHOPIFY_TIME = /^(\d{4}-\d{2}-\d{2})([ T]\d{2}:\d{2}(:\d{2})?( ?(Z|[+-]\d{2}:?\d{2}))?)?$/;

function shopifyDay(text: string): number | null {
  const match = SHOPIFY_TIME.exec(text);
  if (!match) return null;
  try {
    return utcDayNumber(match[1] as string);
  } catch {
    return null;
  }
}

/** Memoises a day parser: an export holds far fewer distinct dates than orders. */
function dayParser(parseDay: (text: string) => number | null): (text: string) => number | null {
  const cache = new Map<string, number | null>();
  return (raw) => {
    const text = raw.trim();
    let day = cache.get(text);
    if (day === undefined) {
      day = parseDay(text);
      cache.set(text, day);
    }
    return day;
  };
}

/**
 * "file:line: column "x": message" for each error. The line is where the record starts, found by a
 * second parse with line information: only on this error path, so reading stays fast.
 */
function describeErrors(text: string, fileName: string, errors: CellError[]): string {
  const startLines = recordStartLines(text);
  return errors
    .slice(0, MAX_REPORTED_ERRORS)
    .map(({ record, column, message }) =>
      record === 0 ? `${fileName}:${startLines[0] ?? 1}: ${message}` : `${fileName}:${startLines[record] ?? "?"}: column "${column}": ${message}`,
    )
    .join("\n");
}

function recordStartLines(text: string): number[] {
  const withInfo = loadCsvParse()(text, { ...CSV_OPTIONS, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  return withInfo.map(({ record, info }) => {
    // info.lines is the line the record ends on; quoted fields may span lines.
    let newlines = 0;
    for (const field of record) for (let k = field.indexOf("\n"); k >= 0; k = field.indexOf("\n", k + 1)) newlines++;
    return info.lines - newlines;
  });
}
