// Builds the per-customer summary (x, t_x, T, mean repeat value) that BG/NBD and Gamma-Gamma take,
// from raw transactions.
//
// Conventions (they reproduce lifetimes' summary_data_from_transaction_data and its CDNOW file
// cdnow_customers_summary_with_transactions.csv exactly):
// - Time is counted in whole UTC calendar days; purchases on the same day are one purchase with the
//   amounts summed.
// - Purchases dated on the observationEnd day are included; later ones are ignored.
// - T runs from the first purchase day to the *start* of the observationEnd day: a customer who first
//   bought on 1997-01-01 has T = 272 days = 38.86 weeks with observationEnd 1997-09-30, as in the
//   CDNOW file (not 273 days / 39 weeks, which measuring to the end of that day would give). A
//   purchase on the observationEnd day therefore has t_x = T.
// - x = purchase days after the first; t_x = last purchase day − first purchase day;
//   meanValue = mean amount of the repeat purchase days (the first purchase excluded), 0 when x = 0.
// - Amounts are summed as given (no sign check).

export type TimeUnit = "day" | "week";

/**
 * An instant as epoch milliseconds, or an ISO date ("1997-01-01") or date-time string
 * ("2024-01-01T23:00:00-05:00"; without an offset it is read as UTC).
 */
export type DateInput = number | string;

export type TransactionsInput = {
  customerIds: readonly string[];
  dates: readonly DateInput[];
  amounts: ArrayLike<number>;
  unit: TimeUnit;
  /** Last day of observation (inclusive), read as a UTC calendar day. */
  observationEnd: DateInput;
};

export type CustomerSummary = {
  /** Customers with at least one purchase up to observationEnd, in order of first appearance. */
  customerIds: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  meanValue: Float64Array;
  unit: TimeUnit;
};

const DAY_MS = 86_400_000;
const DAYS_PER_UNIT: Record<TimeUnit, number> = { day: 1, week: 7 };
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Days since 1970-01-01 of the UTC calendar day containing `date`. Throws RangeError if invalid. */
export function utcDayNumber(date: DateInput): number {
  if (typeof date === "number") {
    if (!Number.isFinite(date)) throw new RangeError(`invalid date: ${date}`);
    return Math.floor(date / DAY_MS);
  }
  const day = ISO_DAY.exec(date);
  if (day) {
    const year = Number(day[1]);
    const month = Number(day[2]);
    const dayOfMonth = Number(day[3]);
    const epochMs = Date.UTC(year, month - 1, dayOfMonth);
    const check = new Date(epochMs);
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== dayOfMonth) throw new RangeError(`invalid date: ${date}`);
    return epochMs / DAY_MS;
  }
  // Date.parse reads an ISO date-time without an offset as local time; make it UTC so the result
  // does not depend on the server's time zone.
  const epochMs = Date.parse(LOCAL_DATE_TIME.test(date) ? `${date}Z` : date);
  if (Number.isNaN(epochMs)) throw new RangeError(`invalid date: ${date}`);
  return Math.floor(epochMs / DAY_MS);
}

export function summarizeTransactions(input: TransactionsInput): CustomerSummary {
  const { customerIds, dates, amounts, unit } = input;
  const n = customerIds.length;
  if (dates.length !== n || amounts.length !== n) throw new RangeError("summarizeTransactions: customerIds, dates and amounts must have the same length");
  const daysPerUnit = DAYS_PER_UNIT[unit];
  if (daysPerUnit === undefined) throw new RangeError(`unknown time unit: ${String(unit)}`);
  const endDay = utcDayNumber(input.observationEnd);

  // Number the customers in order of first appearance; keep only purchases up to the end day.
  const customerIndex = new Map<string, number>();
  const ids: string[] = [];
  const rowCustomer = new Int32Array(n);
  const rowDay = new Float64Array(n);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const day = utcDayNumber(dates[i] as DateInput);
    const amount = amounts[i] as number;
    if (!Number.isFinite(amount)) throw new RangeError(`transaction ${i}: amount must be finite, got ${amount}`);
    if (day > endDay) continue;
    const id = customerIds[i] as string;
    let index = customerIndex.get(id);
    if (index === undefined) {
      index = ids.length;
      customerIndex.set(id, index);
      ids.push(id);
    }
    rowCustomer[i] = index;
    rowDay[i] = day;
    kept.push(i);
  }
  const order = Uint32Array.from(kept);
  order.sort((i, j) => (rowCustomer[i] as number) - (rowCustomer[j] as number) || (rowDay[i] as number) - (rowDay[j] as number));

  const customers = ids.length;
  const x = new Float64Array(customers);
  const tx = new Float64Array(customers);
  const T = new Float64Array(customers);
  const meanValue = new Float64Array(customers);
  let k = 0;
  while (k < order.length) {
    const customer = rowCustomer[order[k] as number] as number;
    const firstDay = rowDay[order[k] as number] as number;
    let lastDay = firstDay;
    let purchaseDays = 0;
    let repeatAmount = 0;
    for (; k < order.length && rowCustomer[order[k] as number] === customer; k++) {
      const row = order[k] as number;
      const day = rowDay[row] as number;
      if (day !== lastDay || purchaseDays === 0) {
        purchaseDays++;
        lastDay = day;
      }
      if (day !== firstDay) repeatAmount += amounts[row] as number;
    }
    const repeatPurchases = purchaseDays - 1;
    x[customer] = repeatPurchases;
    tx[customer] = (lastDay - firstDay) / daysPerUnit;
    T[customer] = (endDay - firstDay) / daysPerUnit;
    meanValue[customer] = repeatPurchases > 0 ? repeatAmount / repeatPurchases : 0;
  }
  return { customerIds: ids, x, tx, T, meanValue, unit };
}
