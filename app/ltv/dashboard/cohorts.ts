// Cohort retention and cumulative LTV: customers grouped by the month of their first counted order
// (UTC), followed month by month after it.
//
// - retention[k]: the share of the cohort with a counted order in month k after the first order's
//   month besides the first order itself (in month 0: a second order in the same month). A customer
//   who buys in months 2 and 5 counts in both columns; the columns are not cumulative.
// - cumulativeLtv[k]: net revenue of the cohort's counted orders placed up to the end of month k
//   (first order included, refunds on the order they refund), per cohort customer.
// - Months the cohort has not reached yet are null, never zero; the asOf month itself is still
//   running, so the last value of each row is partial.
import { Decimal } from "../money";
import type { CohortReport, CohortRow } from "./report";

export const DEFAULT_COHORT_MONTHS = 24;

/** "YYYY-MM" → months since year 0 (an integer that subtracts). */
export function monthIndex(month: string): number {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new RangeError(`not a "YYYY-MM" month: ${month}`);
  const monthOfYear = Number(match[2]);
  if (monthOfYear < 1 || monthOfYear > 12) throw new RangeError(`not a "YYYY-MM" month: ${month}`);
  return Number(match[1]) * 12 + monthOfYear - 1;
}

export function monthFromIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

/** "YYYY-MM" of a date (UTC). */
export const monthOf = (date: Date): string => date.toISOString().slice(0, 7);

/** The first day (UTC) of the oldest cohort shown when `asOfMonth` is the newest. */
export function firstCohortStart(asOfMonth: string, cohorts = DEFAULT_COHORT_MONTHS): Date {
  return new Date(`${monthFromIndex(monthIndex(asOfMonth) - (cohorts - 1))}-01T00:00:00Z`);
}

/** Customers whose first counted order is in `cohort`. */
export type CohortSize = { cohort: string; customers: number };

/** One cohort's activity `offset` months after its first month. */
export type CohortActivity = {
  cohort: string;
  offset: number;
  /** Customers of the cohort with a counted order in that month besides their first order. */
  returningCustomers: number;
  /** Net revenue of the cohort's counted orders in that month (decimal string). */
  netRevenue: string;
};

export type CohortMatrixInput = {
  asOfMonth: string;
  sizes: readonly CohortSize[];
  activity: readonly CohortActivity[];
  /** How many months back cohorts are shown (the asOf month included). */
  cohorts?: number;
};

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export function cohortMatrix(input: CohortMatrixInput): CohortReport {
  const cohortsShown = input.cohorts ?? DEFAULT_COHORT_MONTHS;
  if (!Number.isInteger(cohortsShown) || cohortsShown < 1) throw new RangeError(`cohorts must be a whole number ≥ 1, got ${cohortsShown}`);
  const asOf = monthIndex(input.asOfMonth);
  const oldest = asOf - (cohortsShown - 1);

  const sizes = new Map<number, number>();
  for (const { cohort, customers } of input.sizes) {
    const index = monthIndex(cohort);
    if (index < oldest || index > asOf || customers <= 0) continue;
    sizes.set(index, (sizes.get(index) ?? 0) + customers);
  }
  const cohortIndexes = [...sizes.keys()].sort((a, b) => a - b);
  const months = cohortIndexes.length > 0 ? asOf - (cohortIndexes[0] as number) + 1 : 0;

  // cohort → offset → totals
  const cells = new Map<number, Map<number, { returning: number; revenue: Decimal }>>();
  for (const { cohort, offset, returningCustomers, netRevenue } of input.activity) {
    const index = monthIndex(cohort);
    if (!sizes.has(index) || !Number.isInteger(offset) || offset < 0 || index + offset > asOf) continue;
    let row = cells.get(index);
    if (!row) cells.set(index, (row = new Map()));
    const cell = row.get(offset) ?? { returning: 0, revenue: new Decimal(0) };
    cell.returning += returningCustomers;
    cell.revenue = cell.revenue.plus(netRevenue);
    row.set(offset, cell);
  }

  // Sums over the cohorts that reached each month, for the average row.
  const reachedCustomers = new Array<number>(months).fill(0);
  const reachedReturning = new Array<number>(months).fill(0);
  const reachedRevenue = Array.from({ length: months }, () => new Decimal(0));

  const rows: CohortRow[] = cohortIndexes.map((index) => {
    const customers = sizes.get(index) as number;
    const row = cells.get(index);
    const retention: Array<number | null> = [];
    const returningCustomers: Array<number | null> = [];
    const cumulativeLtv: Array<string | null> = [];
    let cumulative = new Decimal(0);
    for (let offset = 0; offset < months; offset++) {
      if (index + offset > asOf) {
        retention.push(null);
        returningCustomers.push(null);
        cumulativeLtv.push(null);
        continue;
      }
      const cell = row?.get(offset);
      const returning = Math.min(cell?.returning ?? 0, customers);
      cumulative = cumulative.plus(cell?.revenue ?? 0);
      retention.push(ratio(returning, customers));
      returningCustomers.push(returning);
      cumulativeLtv.push(cumulative.div(customers).toFixed(2));
      reachedCustomers[offset] = (reachedCustomers[offset] as number) + customers;
      reachedReturning[offset] = (reachedReturning[offset] as number) + returning;
      reachedRevenue[offset] = (reachedRevenue[offset] as Decimal).plus(cumulative);
    }
    return { cohort: monthFromIndex(index), customers, retention, returningCustomers, cumulativeLtv };
  });

  return {
    asOfMonth: input.asOfMonth,
    months,
    rows,
    average: {
      retention: reachedCustomers.map((customers, offset) => ratio(reachedReturning[offset] as number, customers)),
      cumulativeLtv: reachedCustomers.map((customers, offset) => (customers > 0 ? (reachedRevenue[offset] as Decimal).div(customers).toFixed(2) : null)),
    },
  };
}

/**
 * `count` indexes out of 0 … length − 1, spread evenly and always including the first and the last:
 * which cohorts a chart with room for `count` lines draws.
 */
export function evenlySpaced(length: number, count: number): number[] {
  if (!Number.isInteger(length) || length < 0 || !Number.isInteger(count) || count < 0) throw new RangeError(`evenlySpaced: whole numbers ≥ 0 needed, got ${length}, ${count}`);
  if (count >= length) return Array.from({ length }, (_, i) => i);
  if (count === 0) return [];
  if (count === 1) return [length - 1];
  const indexes = new Set<number>();
  for (let k = 0; k < count; k++) indexes.add(Math.round((k * (length - 1)) / (count - 1)));
  return [...indexes].sort((a, b) => a - b);
}

const DAY_MS = 86_400_000;

/** UTC day number of the first day of a month index. */
const firstDayOfMonth = (month: number) => Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS;

/** Ten-thousandths of a money amount: NUMERIC(20, 4) values survive the trip through a float8 exactly this way. */
const TEN_THOUSANDTHS = 10_000;

/**
 * The cohort sizes and monthly activity of `cohortMatrix`, from a shop's counted orders with a
 * customer (the refit's transactions: one row per order, its UTC day and its net amount). Cohorts
 * are the `cohorts` months ending with the month of `endDay`; orders after `endDay` are ignored.
 * A customer returns in month 0 with two or more orders in it, in a later month with any.
 * Amounts are net of refunds, in float8 from NUMERIC(20, 4): each is turned back into exact
 * ten-thousandths and added as integers, so the sums are exact.
 */
export function cohortActivityFromTransactions(
  transactions: { customerIds: readonly string[]; days: ArrayLike<number>; amounts: ArrayLike<number> },
  endDay: number,
  cohorts = DEFAULT_COHORT_MONTHS,
): { sizes: CohortSize[]; activity: CohortActivity[] } {
  const { customerIds, days, amounts } = transactions;
  const n = customerIds.length;
  if (days.length !== n || amounts.length !== n) throw new RangeError("cohortActivityFromTransactions: customerIds, days and amounts must have the same length");
  if (!Number.isInteger(endDay)) throw new RangeError(`cohortActivityFromTransactions: endDay must be a whole day number, got ${endDay}`);
  const lastMonth = monthIndex(new Date(endDay * DAY_MS).toISOString().slice(0, 7));
  const firstMonth = lastMonth - (cohorts - 1);
  // Month (0 … cohorts − 1 since firstMonth) of every day of the window.
  const windowStart = firstDayOfMonth(firstMonth);
  const monthOfDay = new Int16Array(Math.max(0, endDay - windowStart + 1));
  for (let month = 1; month < cohorts; month++) monthOfDay.fill(month, firstDayOfMonth(firstMonth + month) - windowStart);
  const windowMonth = (day: number) => (day < windowStart ? -1 : (monthOfDay[day - windowStart] as number));

  // Each customer's first order day.
  const index = new Map<string, number>();
  const rowCustomer = new Int32Array(n);
  const firstDays: number[] = [];
  for (let i = 0; i < n; i++) {
    const day = days[i] as number;
    if (day > endDay) {
      rowCustomer[i] = -1;
      continue;
    }
    const id = customerIds[i] as string;
    let customer = index.get(id);
    if (customer === undefined) {
      customer = firstDays.length;
      index.set(id, customer);
      firstDays.push(day);
    } else if (day < (firstDays[customer] as number)) {
      firstDays[customer] = day;
    }
    rowCustomer[i] = customer;
  }
  const customers = firstDays.length;
  const cohortOf = Int16Array.from(firstDays, windowMonth); // −1: first order before the window

  // Per customer and month since the first: orders (saturating at 2); per cell: revenue.
  const orders = new Uint8Array(customers * cohorts);
  const revenue = new Float64Array(cohorts * cohorts); // whole ten-thousandths, exact below 2^53
  for (let i = 0; i < n; i++) {
    const customer = rowCustomer[i] as number;
    if (customer < 0) continue;
    const cohort = cohortOf[customer] as number;
    if (cohort < 0) continue;
    const offset = windowMonth(days[i] as number) - cohort;
    const amount = amounts[i] as number;
    if (!Number.isFinite(amount)) throw new RangeError(`transaction ${i}: amount must be finite, got ${amount}`);
    const slot = customer * cohorts + offset;
    if ((orders[slot] as number) < 2) orders[slot] = (orders[slot] as number) + 1;
    const cell = cohort * cohorts + offset;
    revenue[cell] = (revenue[cell] as number) + Math.round(amount * TEN_THOUSANDTHS);
  }

  const size = new Array<number>(cohorts).fill(0);
  const returning = new Array<number>(cohorts * cohorts).fill(0);
  for (let c = 0; c < customers; c++) {
    const cohort = cohortOf[c] as number;
    if (cohort < 0) continue;
    size[cohort] = (size[cohort] as number) + 1;
    for (let offset = 0; offset < cohorts - cohort; offset++) {
      const count = orders[c * cohorts + offset] as number;
      if (count >= (offset === 0 ? 2 : 1)) returning[cohort * cohorts + offset] = (returning[cohort * cohorts + offset] as number) + 1;
    }
  }

  const sizes: CohortSize[] = [];
  const activity: CohortActivity[] = [];
  for (let cohort = 0; cohort < cohorts; cohort++) {
    if ((size[cohort] as number) === 0) continue;
    const month = monthFromIndex(firstMonth + cohort);
    sizes.push({ cohort: month, customers: size[cohort] as number });
    for (let offset = 0; offset < cohorts - cohort; offset++) {
      const cell = cohort * cohorts + offset;
      const total = revenue[cell] as number;
      if (!Number.isSafeInteger(total)) throw new RangeError(`cohort ${month}, month ${offset}: revenue beyond the exact integer range`);
      activity.push({ cohort: month, offset, returningCustomers: returning[cell] as number, netRevenue: new Decimal(total).div(TEN_THOUSANDTHS).toFixed(4) });
    }
  }
  return { sizes, activity };
}
