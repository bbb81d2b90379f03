// Per-customer history from a shop's transactions, in one pass and typed arrays: what the RFM
// segments, the formula LTV and the models need. The model summary (x, t_x, T, mean repeat value)
// follows exactly the conventions of `summarizeTransactions` in ./models/summary.ts (whole UTC days,
// same-day purchases merged, purchases on the end day included, T measured to the start of the end
// day); a test checks both agree on CDNOW.
import type { TimeUnit } from "./models/summary";

/** One row per order. */
export type DailyTransactions = {
  customerIds: readonly string[];
  /** Day of the order as a UTC calendar day number (days since 1970-01-01; see `utcDayNumber`). */
  days: ArrayLike<number>;
  /** Order amount net of refunds. Statistics: floats are fine here (see README, Definitions). */
  amounts: ArrayLike<number>;
};

export type CustomerHistory = {
  /** Customers with an order on or before `endDay`, in order of first appearance. */
  customerIds: string[];
  /** Last day of observation (inclusive), as a UTC day number. */
  endDay: number;
  firstDay: Int32Array;
  lastDay: Int32Array;
  /** Orders (rows) up to endDay. */
  ordersCount: Float64Array;
  /** Distinct days with an order; x = purchaseDays − 1. */
  purchaseDays: Float64Array;
  netRevenue: Float64Array;
  /** Revenue on the days after the first purchase day (what Gamma-Gamma models). */
  repeatRevenue: Float64Array;
  /** Orders in the 365 days ending on endDay (endDay − 364 … endDay). */
  ordersInLastYear: Float64Array;
};

export const DAYS_PER_UNIT: Record<TimeUnit, number> = { day: 1, week: 7 };

export function buildCustomerHistory(transactions: DailyTransactions, endDay: number): CustomerHistory {
  const { customerIds, days, amounts } = transactions;
  const n = customerIds.length;
  if (days.length !== n || amounts.length !== n) throw new RangeError("buildCustomerHistory: customerIds, days and amounts must have the same length");
  if (!Number.isInteger(endDay)) throw new RangeError(`buildCustomerHistory: endDay must be a whole day number, got ${endDay}`);

  const index = new Map<string, number>();
  const ids: string[] = [];
  const rowCustomer = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const day = days[i] as number;
    const amount = amounts[i] as number;
    if (!Number.isInteger(day)) throw new RangeError(`transaction ${i}: day must be a whole day number, got ${day}`);
    if (!Number.isFinite(amount)) throw new RangeError(`transaction ${i}: amount must be finite, got ${amount}`);
    if (day > endDay) {
      rowCustomer[i] = -1;
      continue;
    }
    const id = customerIds[i] as string;
    let customer = index.get(id);
    if (customer === undefined) {
      customer = ids.length;
      index.set(id, customer);
      ids.push(id);
    }
    rowCustomer[i] = customer;
  }

  const customers = ids.length;
  const firstDay = new Int32Array(customers).fill(0x7fffffff);
  const lastDay = new Int32Array(customers).fill(-0x80000000);
  const ordersCount = new Float64Array(customers);
  const netRevenue = new Float64Array(customers);
  const ordersInLastYear = new Float64Array(customers);
  const yearStart = endDay - 364;
  for (let i = 0; i < n; i++) {
    const customer = rowCustomer[i] as number;
    if (customer < 0) continue;
    const day = days[i] as number;
    if (day < (firstDay[customer] as number)) firstDay[customer] = day;
    if (day > (lastDay[customer] as number)) lastDay[customer] = day;
    ordersCount[customer] = (ordersCount[customer] as number) + 1;
    netRevenue[customer] = (netRevenue[customer] as number) + (amounts[i] as number);
    if (day >= yearStart) ordersInLastYear[customer] = (ordersInLastYear[customer] as number) + 1;
  }

  // Revenue on the first day, and each customer's order days grouped together to count distinct days.
  const firstDayRevenue = new Float64Array(customers);
  const offsets = new Int32Array(customers + 1);
  for (let c = 0; c < customers; c++) offsets[c + 1] = (offsets[c] as number) + (ordersCount[c] as number);
  const fill = offsets.slice(0, customers);
  const groupedDays = new Int32Array(offsets[customers] as number);
  for (let i = 0; i < n; i++) {
    const customer = rowCustomer[i] as number;
    if (customer < 0) continue;
    const day = days[i] as number;
    if (day === firstDay[customer]) firstDayRevenue[customer] = (firstDayRevenue[customer] as number) + (amounts[i] as number);
    groupedDays[fill[customer] as number] = day;
    fill[customer] = (fill[customer] as number) + 1;
  }
  const purchaseDays = new Float64Array(customers);
  const repeatRevenue = new Float64Array(customers);
  for (let c = 0; c < customers; c++) {
    const start = offsets[c] as number;
    const end = offsets[c + 1] as number;
    let sorted = true;
    for (let k = start + 1; k < end && sorted; k++) sorted = (groupedDays[k - 1] as number) <= (groupedDays[k] as number);
    if (!sorted) groupedDays.subarray(start, end).sort();
    let distinct = 1;
    for (let k = start + 1; k < end; k++) if (groupedDays[k] !== groupedDays[k - 1]) distinct++;
    purchaseDays[c] = distinct;
    repeatRevenue[c] = distinct > 1 ? (netRevenue[c] as number) - (firstDayRevenue[c] as number) : 0;
  }
  return { customerIds: ids, endDay, firstDay, lastDay, ordersCount, purchaseDays, netRevenue, repeatRevenue, ordersInLastYear };
}

/** What BG/NBD and Gamma-Gamma take, in `unit`. */
export type ModelSummary = {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean value of the repeat purchases (purchase days after the first); 0 when x = 0. */
  meanValue: Float64Array;
};

export function modelSummary(history: CustomerHistory, unit: TimeUnit): ModelSummary {
  const daysPerUnit = DAYS_PER_UNIT[unit];
  if (daysPerUnit === undefined) throw new RangeError(`unknown time unit: ${String(unit)}`);
  const n = history.customerIds.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const meanValue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const first = history.firstDay[i] as number;
    const repeats = (history.purchaseDays[i] as number) - 1;
    x[i] = repeats;
    tx[i] = ((history.lastDay[i] as number) - first) / daysPerUnit;
    T[i] = (history.endDay - first) / daysPerUnit;
    meanValue[i] = repeats > 0 ? (history.repeatRevenue[i] as number) / repeats : 0;
  }
  return { x, tx, T, meanValue };
}
