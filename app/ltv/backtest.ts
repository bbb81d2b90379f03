// Holdout backtest: fit BG/NBD on all but the most recent period, predict that period's purchases
// for every customer of the calibration period, and compare with what happened. The result is a plain
// object to store with each fit, so a merchant can see how far the predictions are to be trusted.
//
// Purchases are counted as in the model: distinct purchase days, so several orders on one day are
// one purchase. The holdout is (calibration end day, observation end day]; the calibration period
// follows the summary's conventions (see ./models/summary.ts). Customers whose first purchase is in
// the holdout are not part of the test: the calibration model knows nothing about them.
import { DAYS_PER_UNIT, type DailyTransactions, buildCustomerHistory, modelSummary } from "./customer-history";
import { groupIdenticalCustomers } from "./group-identical";
import { fitBgNbdForShop } from "./fit-models";
import { type BgNbdParams, expectedPurchases } from "./models/bgnbd";
import { type DateInput, type TimeUnit, utcDayNumber } from "./models/summary";
import { DEFAULT_MIN_REPEAT_CUSTOMERS } from "./score-shop";

export const DEFAULT_HOLDOUT_FRACTION = 0.25;
/** Customers are grouped by calibration repeat purchases 0, 1, …, 6 and "7+". */
export const HOLDOUT_GROUPS = ["0", "1", "2", "3", "4", "5", "6", "7+"] as const;

export type HoldoutBacktestOptions = {
  unit: TimeUnit;
  /** Last day of observation (inclusive, UTC): the end of the holdout. */
  observationEnd: DateInput;
  /** Holdout length in `unit` (rounded to whole days). Default: DEFAULT_HOLDOUT_FRACTION of the observation window. */
  holdoutLength?: number;
  /** Share of the observation window (first purchase in the data to the end) held out; used when no length is given. */
  holdoutFraction?: number;
  minRepeatCustomers?: number;
};

export type HoldoutGroupResult = {
  /** Repeat purchases in the calibration period: "0" … "6" or "7+". */
  pastPurchases: (typeof HOLDOUT_GROUPS)[number];
  customers: number;
  predicted: number;
  actual: number;
  /** Per customer; null for an empty group. */
  predictedMean: number | null;
  actualMean: number | null;
};

type HoldoutPeriods = {
  unit: TimeUnit;
  /** "YYYY-MM-DD" (UTC). */
  calibrationEnd: string;
  observationEnd: string;
  holdoutDays: number;
  /** In `unit`. */
  holdoutLength: number;
  customers: number;
  repeatCustomers: number;
};

export type HoldoutBacktest =
  | (HoldoutPeriods & {
      insufficient: false;
      bgnbd: BgNbdParams;
      logLikelihood: number;
      byPastPurchases: HoldoutGroupResult[];
      predictedTotal: number;
      actualTotal: number;
      /** Mean over customers of |predicted − actual| holdout purchases. */
      meanAbsoluteError: number;
      /** (predicted − actual) ÷ actual × 100; null when nothing was bought in the holdout. */
      totalErrorPct: number | null;
    })
  | (HoldoutPeriods & { insufficient: true; reason: string });

const DAY_MS = 86_400_000;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function holdoutBacktest(transactions: DailyTransactions, options: HoldoutBacktestOptions): HoldoutBacktest {
  const daysPerUnit = DAYS_PER_UNIT[options.unit];
  if (daysPerUnit === undefined) throw new RangeError(`unknown time unit: ${String(options.unit)}`);
  const endDay = utcDayNumber(options.observationEnd);
  const minRepeatCustomers = options.minRepeatCustomers ?? DEFAULT_MIN_REPEAT_CUSTOMERS;

  let holdoutDays: number;
  if (options.holdoutLength !== undefined) {
    if (!(options.holdoutLength > 0) || !Number.isFinite(options.holdoutLength)) throw new RangeError(`holdoutLength must be positive, got ${options.holdoutLength}`);
    holdoutDays = Math.round(options.holdoutLength * daysPerUnit);
  } else {
    const fraction = options.holdoutFraction ?? DEFAULT_HOLDOUT_FRACTION;
    if (!(fraction > 0 && fraction < 1)) throw new RangeError(`holdoutFraction must be within (0, 1), got ${fraction}`);
    let firstDay = endDay;
    for (let i = 0; i < transactions.days.length; i++) firstDay = Math.min(firstDay, transactions.days[i] as number);
    holdoutDays = Math.round((endDay - firstDay) * fraction);
  }
  // Data too short for a holdout is a result to show, like too few repeat customers, not a failure.
  const tooShort = holdoutDays < 1;
  if (tooShort) holdoutDays = Math.max(holdoutDays, 0);
  const calibrationEndDay = endDay - holdoutDays;

  const calibration = buildCustomerHistory(transactions, calibrationEndDay);
  const summary = modelSummary(calibration, options.unit);
  const customers = calibration.customerIds.length;
  let repeatCustomers = 0;
  for (let i = 0; i < customers; i++) if ((summary.x[i] as number) > 0) repeatCustomers++;
  const periods: HoldoutPeriods = {
    unit: options.unit,
    calibrationEnd: isoDay(calibrationEndDay),
    observationEnd: isoDay(endDay),
    holdoutDays,
    holdoutLength: holdoutDays / daysPerUnit,
    customers,
    repeatCustomers,
  };
  if (tooShort) return { ...periods, insufficient: true, reason: "the observation window is too short to hold out a period" };
  if (repeatCustomers < minRepeatCustomers) {
    return { ...periods, insufficient: true, reason: `${repeatCustomers} customers with a repeat purchase in the calibration period; the model needs at least ${minRepeatCustomers}` };
  }
  const groups = groupIdenticalCustomers(summary.x, summary.tx, summary.T);
  const fit = fitBgNbdForShop(groups);
  if (!fit.converged) return { ...periods, insufficient: true, reason: `the BG/NBD fit did not converge (${fit.message})` };

  const actual = holdoutPurchaseDays(transactions, calibration.customerIds, calibrationEndDay, endDay);
  const rowPredicted = new Float64Array(groups.x.length);
  for (let row = 0; row < groups.x.length; row++) {
    rowPredicted[row] = expectedPurchases(fit.params, groups.x[row] as number, groups.tx[row] as number, groups.T[row] as number, periods.holdoutLength);
  }

  const byGroup = HOLDOUT_GROUPS.map(() => ({ customers: 0, predicted: 0, actual: 0 }));
  let absoluteError = 0;
  for (let i = 0; i < customers; i++) {
    const predicted = rowPredicted[groups.rowOf[i] as number] as number;
    const happened = actual[i] as number;
    const group = byGroup[Math.min(summary.x[i] as number, HOLDOUT_GROUPS.length - 1)] as { customers: number; predicted: number; actual: number };
    group.customers++;
    group.predicted += predicted;
    group.actual += happened;
    absoluteError += Math.abs(predicted - happened);
  }
  const predictedTotal = byGroup.reduce((sum, group) => sum + group.predicted, 0);
  const actualTotal = byGroup.reduce((sum, group) => sum + group.actual, 0);
  return {
    ...periods,
    insufficient: false,
    bgnbd: fit.params,
    logLikelihood: fit.logLikelihood,
    byPastPurchases: byGroup.map((group, k) => ({
      pastPurchases: HOLDOUT_GROUPS[k] as (typeof HOLDOUT_GROUPS)[number],
      ...group,
      predictedMean: group.customers > 0 ? group.predicted / group.customers : null,
      actualMean: group.customers > 0 ? group.actual / group.customers : null,
    })),
    predictedTotal,
    actualTotal,
    meanAbsoluteError: absoluteError / customers,
    totalErrorPct: actualTotal > 0 ? ((predictedTotal - actualTotal) / actualTotal) * 100 : null,
  };
}

/** Distinct purchase days in (calibrationEndDay, endDay] of each calibration customer. */
function holdoutPurchaseDays(transactions: DailyTransactions, customerIds: readonly string[], calibrationEndDay: number, endDay: number): Float64Array {
  const index = new Map<string, number>(customerIds.map((id, i) => [id, i]));
  const keys: number[] = [];
  for (let i = 0; i < transactions.customerIds.length; i++) {
    const day = transactions.days[i] as number;
    if (day <= calibrationEndDay || day > endDay) continue;
    const customer = index.get(transactions.customerIds[i] as string);
    if (customer === undefined) continue;
    keys.push(customer * (endDay - calibrationEndDay + 1) + (day - calibrationEndDay));
  }
  const sorted = Float64Array.from(keys).sort();
  const counts = new Float64Array(customerIds.length);
  const span = endDay - calibrationEndDay + 1;
  for (let k = 0; k < sorted.length; k++) {
    if (k > 0 && sorted[k] === sorted[k - 1]) continue;
    const customer = Math.floor((sorted[k] as number) / span);
    counts[customer] = (counts[customer] as number) + 1;
  }
  return counts;
}
