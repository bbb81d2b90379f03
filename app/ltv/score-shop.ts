// The scoring pipeline: from a shop's transactions to every customer's predictions and segments.
//   1. per-customer history and model summary (x, t_x, T, mean repeat value);
//   2. BG/NBD and Gamma-Gamma fitted by maximum likelihood;
//   3. per customer: P(alive), expected purchases and discounted CLV over the horizon, expected
//      order value; RFM group, value tiers, churn risk.
// Customers sharing (x, t_x, T) share one likelihood term and one P(alive); the expected purchases
// if alive depend on (x, T) only. So the fit costs grow with the distinct triples and the series
// behind the predictions with the distinct pairs, not with the customers; large shops are fitted
// from a sample's optimum (./fit-models.ts). Everything per customer lives in typed arrays.
//
// With too few repeat customers, or when a fit does not converge, there are no predictions
// (`predictions: null`, `fit.insufficient` with the reason): numbers are never invented, and the
// segments fall back to historical values (value tier by net revenue, churn risk by recency).
import { type ChurnRiskBasis, churnRiskCode, churnRiskFromProbabilityAlive, churnRiskFromRecency } from "./churn-risk";
import { DAYS_PER_UNIT, type CustomerHistory, type DailyTransactions, buildCustomerHistory, modelSummary } from "./customer-history";
import { fitBgNbdForShop, fitGammaGammaForShop } from "./fit-models";
import { groupIdenticalCustomers, groupIdenticalRows } from "./group-identical";
import { type BgNbdParams, expectedPurchases, probabilityAlive, validateRfmSummary } from "./models/bgnbd";
import { DEFAULT_HORIZON_MONTHS, UNITS_PER_MONTH } from "./models/clv";
import { type GammaGammaParams, expectedOrderValue } from "./models/gamma-gamma";
import { type DateInput, type TimeUnit, utcDayNumber } from "./models/summary";
import { type RfmSegments, rfmSegments } from "./rfm";
import { valueTiers } from "./value-tiers";

export const DEFAULT_MONTHLY_DISCOUNT_RATE = 0.01;
export const DEFAULT_MIN_REPEAT_CUSTOMERS = 50;

export type ScoreOptions = {
  unit: TimeUnit;
  /** Months ahead for expected purchases and CLV; default 12. A fraction makes a last, partial month. */
  horizonMonths?: number;
  /** Default 0.01 (1 % a month); month m's value is divided by (1 + rate)^m. */
  monthlyDiscountRate?: number;
  /** 0–100, applied to order value; default 100 (CLV as revenue). */
  grossMarginPct?: number;
  /** Below this many customers with a repeat purchase the models are not fitted; default 50. */
  minRepeatCustomers?: number;
};

export type ScoreShopOptions = ScoreOptions & {
  /** Last day of observation (inclusive, UTC); later transactions are ignored. */
  observationEnd: DateInput;
};

/** The pipeline's input per customer; every customer has at least one counted order. */
export type ShopCustomers = {
  customerIds: readonly string[];
  /** Model summary in `unit` (see ./models/summary.ts). */
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  meanValue: Float64Array;
  /** Historical figures for the segments. */
  ordersCount: Float64Array;
  netRevenue: Float64Array;
  daysSinceLastOrder: Float64Array;
};

export type ModelFitRecord = {
  unit: TimeUnit;
  bgnbd: BgNbdParams | null;
  logLikelihood: number | null;
  gammaGamma: GammaGammaParams | null;
  /** Both fits converged. */
  converged: boolean;
  customers: number;
  repeatCustomers: number;
  /** Time spent fitting both models. */
  durationMs: number;
  /** True when there are no predictions; `reason` says why. */
  insufficient: boolean;
  reason?: string;
};

export type CustomerPredictions = {
  probabilityAlive: Float64Array;
  /** Expected purchases in the horizon. */
  expectedPurchases: Float64Array;
  /** Gamma-Gamma expected value of the customer's future orders (revenue, before margin). */
  expectedOrderValue: Float64Array;
  /** Discounted CLV over the horizon, after margin. */
  predictedClv: Float64Array;
};

export type ShopScores = ShopCustomers & {
  unit: TimeUnit;
  horizonMonths: number;
  /** The horizon in `unit`. */
  horizon: number;
  predictions: CustomerPredictions | null;
  rfm: RfmSegments;
  /** Tier codes (VALUE_TIERS) by net revenue, and by predicted CLV when there are predictions. */
  valueTier: { historical: Uint8Array; predicted: Uint8Array | null };
  /** Codes into CHURN_RISKS. */
  churnRisk: Uint8Array;
  churnRiskBasis: ChurnRiskBasis;
  fit: ModelFitRecord;
};

export type ScoredShop = ShopScores & { history: CustomerHistory };

/** The pipeline's input from a shop's transactions (one row per order, amounts net of refunds). */
export function summarizeShop(transactions: DailyTransactions, options: { unit: TimeUnit; observationEnd: DateInput }): { customers: ShopCustomers; history: CustomerHistory } {
  const endDay = utcDayNumber(options.observationEnd);
  const history = buildCustomerHistory(transactions, endDay);
  const summary = modelSummary(history, options.unit);
  const daysSinceLastOrder = new Float64Array(history.lastDay.length);
  for (let i = 0; i < daysSinceLastOrder.length; i++) daysSinceLastOrder[i] = endDay - (history.lastDay[i] as number);
  return {
    customers: { customerIds: history.customerIds, ...summary, ordersCount: history.ordersCount, netRevenue: history.netRevenue, daysSinceLastOrder },
    history,
  };
}

/** Scores a shop from its transactions (one row per order, amounts net of refunds). */
export function scoreShop(transactions: DailyTransactions, options: ScoreShopOptions): ScoredShop {
  const { customers, history } = summarizeShop(transactions, options);
  return { ...scoreCustomers(customers, options), history };
}

/** Fits both models without scoring (the CLI's `fit`); the record says whether predictions would exist. */
export function fitShopModels(customers: Pick<ShopCustomers, "x" | "tx" | "T" | "meanValue">, options: ScoreOptions): ModelFitRecord {
  validateRfmSummary(customers);
  return fitModels(customers, checkedOptions(options)).fit;
}

/** Scores customers already summarised (from stored aggregates, or synthetic ones in the benchmark). */
export function scoreCustomers(customers: ShopCustomers, options: ScoreOptions): ShopScores {
  const settings = checkedOptions(options);
  const { x, tx, T, meanValue, ordersCount, netRevenue, daysSinceLastOrder } = customers;
  const n = x.length;
  for (const [name, column] of Object.entries({ meanValue, ordersCount, netRevenue, daysSinceLastOrder })) {
    if (column.length !== n) throw new RangeError(`scoreCustomers: ${name} must have one value per customer`);
  }
  if (customers.customerIds.length !== n) throw new RangeError("scoreCustomers: one customer id per customer needed");
  validateRfmSummary({ x, tx, T });
  for (let i = 0; i < n; i++) {
    if (!((ordersCount[i] as number) >= 1)) throw new RangeError(`scoreCustomers: customer ${i} has no counted order`);
  }

  const rfm = rfmSegments({ ordersCount, netRevenue, timeSinceLastOrder: daysSinceLastOrder });
  const historicalTier = valueTiers(netRevenue);
  const horizon = settings.horizonMonths * settings.unitsPerMonth;
  const { fit, models } = fitModels(customers, settings);

  if (!models) {
    const churnRisk = new Uint8Array(n);
    for (let i = 0; i < n; i++) churnRisk[i] = churnRiskCode(churnRiskFromRecency(daysSinceLastOrder[i] as number));
    return {
      ...customers,
      unit: settings.unit,
      horizonMonths: settings.horizonMonths,
      horizon,
      predictions: null,
      rfm,
      valueTier: { historical: historicalTier, predicted: null },
      churnRisk,
      churnRiskBasis: "recency",
      fit,
    };
  }

  const predictions = predict(customers, models, settings);
  const churnRisk = new Uint8Array(n);
  for (let i = 0; i < n; i++) churnRisk[i] = churnRiskCode(churnRiskFromProbabilityAlive(predictions.probabilityAlive[i] as number));
  return {
    ...customers,
    unit: settings.unit,
    horizonMonths: settings.horizonMonths,
    horizon,
    predictions,
    rfm,
    valueTier: { historical: historicalTier, predicted: valueTiers(predictions.predictedClv) },
    churnRisk,
    churnRiskBasis: "probabilityAlive",
    fit,
  };
}

type Settings = {
  unit: TimeUnit;
  unitsPerMonth: number;
  horizonMonths: number;
  monthlyDiscountRate: number;
  margin: number;
  minRepeatCustomers: number;
};

function checkedOptions(options: ScoreOptions): Settings {
  const unitsPerMonth = UNITS_PER_MONTH[options.unit];
  if (unitsPerMonth === undefined || DAYS_PER_UNIT[options.unit] === undefined) throw new RangeError(`unknown time unit: ${String(options.unit)}`);
  const horizonMonths = options.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  const monthlyDiscountRate = options.monthlyDiscountRate ?? DEFAULT_MONTHLY_DISCOUNT_RATE;
  const grossMarginPct = options.grossMarginPct ?? 100;
  const minRepeatCustomers = options.minRepeatCustomers ?? DEFAULT_MIN_REPEAT_CUSTOMERS;
  if (!(horizonMonths > 0) || !Number.isFinite(horizonMonths)) throw new RangeError(`horizonMonths must be positive and finite, got ${horizonMonths}`);
  if (!(monthlyDiscountRate > -1) || !Number.isFinite(monthlyDiscountRate)) throw new RangeError(`monthlyDiscountRate must be finite and > −1, got ${monthlyDiscountRate}`);
  if (!(grossMarginPct >= 0 && grossMarginPct <= 100)) throw new RangeError(`grossMarginPct must be within 0–100, got ${grossMarginPct}`);
  if (!Number.isInteger(minRepeatCustomers) || minRepeatCustomers < 1) throw new RangeError(`minRepeatCustomers must be a whole number ≥ 1, got ${minRepeatCustomers}`);
  return { unit: options.unit, unitsPerMonth, horizonMonths, monthlyDiscountRate, margin: grossMarginPct / 100, minRepeatCustomers };
}

type FittedModels = { bgnbd: BgNbdParams; gammaGamma: GammaGammaParams; groups: ReturnType<typeof groupIdenticalCustomers> };

function fitModels(customers: Pick<ShopCustomers, "x" | "tx" | "T" | "meanValue">, settings: Settings): { fit: ModelFitRecord; models: FittedModels | null } {
  const started = performance.now();
  const { x, tx, T, meanValue } = customers;
  const n = x.length;
  let repeatCustomers = 0;
  for (let i = 0; i < n; i++) if ((x[i] as number) > 0) repeatCustomers++;
  const record = (fields: Pick<ModelFitRecord, "bgnbd" | "logLikelihood" | "gammaGamma" | "converged">, reason?: string): ModelFitRecord => ({
    unit: settings.unit,
    ...fields,
    customers: n,
    repeatCustomers,
    durationMs: performance.now() - started,
    insufficient: reason !== undefined,
    ...(reason !== undefined ? { reason } : {}),
  });
  const unfitted = { bgnbd: null, logLikelihood: null, gammaGamma: null, converged: false };

  if (repeatCustomers < settings.minRepeatCustomers) {
    return {
      fit: record(unfitted, `${repeatCustomers} customers with a repeat purchase; the models need at least ${settings.minRepeatCustomers}`),
      models: null,
    };
  }

  const groups = groupIdenticalCustomers(x, tx, T);
  const bgnbdFit = fitBgNbdForShop(groups);

  // Gamma-Gamma sees only repeat customers with a positive mean; handed over sorted by x (a counting
  // sort), which the model's own stable sort then passes through in linear time.
  let maxX = 0;
  for (let i = 0; i < n; i++) maxX = Math.max(maxX, x[i] as number);
  const perX = new Uint32Array(maxX + 2);
  let spenders = 0;
  for (let i = 0; i < n; i++) {
    if ((x[i] as number) > 0 && (meanValue[i] as number) > 0) {
      perX[(x[i] as number) + 1] = (perX[(x[i] as number) + 1] as number) + 1;
      spenders++;
    }
  }
  for (let k = 1; k < perX.length; k++) perX[k] = (perX[k] as number) + (perX[k - 1] as number);
  const spendX = new Float64Array(spenders);
  const spendMean = new Float64Array(spenders);
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    if (xi > 0 && (meanValue[i] as number) > 0) {
      const at = perX[xi] as number;
      perX[xi] = at + 1;
      spendX[at] = xi;
      spendMean[at] = meanValue[i] as number;
    }
  }
  if (spenders === 0) {
    return { fit: record({ ...unfitted, bgnbd: bgnbdFit.params, logLikelihood: bgnbdFit.logLikelihood }, "no repeat customer with a positive order value"), models: null };
  }
  const gammaGammaFit = fitGammaGammaForShop({ x: spendX, meanValue: spendMean });

  const fields = {
    bgnbd: bgnbdFit.params,
    logLikelihood: bgnbdFit.logLikelihood,
    gammaGamma: gammaGammaFit.params,
    converged: bgnbdFit.converged && gammaGammaFit.converged,
  };
  if (!bgnbdFit.converged) return { fit: record(fields, `the BG/NBD fit did not converge (${bgnbdFit.message})`), models: null };
  if (!gammaGammaFit.converged) return { fit: record(fields, `the Gamma-Gamma fit did not converge (${gammaGammaFit.message})`), models: null };
  if (!(gammaGammaFit.params.q > 1)) {
    return { fit: record(fields, "Gamma-Gamma q ≤ 1: the mean order value of customers without a repeat purchase is undefined"), models: null };
  }
  return { fit: record(fields), models: { bgnbd: bgnbdFit.params, gammaGamma: gammaGammaFit.params, groups } };
}

/**
 * E[purchases by t] = P(alive | x, t_x, T) × E[purchases by t | alive, x, T], and the second factor
 * does not depend on t_x. So the series behind it run once per distinct (x, T), for the end of each
 * month of the horizon, giving D = Σ_m ΔE_m / (1 + rate)^m if alive; each distinct (x, t_x, T) then
 * needs only its P(alive). A customer's CLV is E[order value] × margin × P(alive) × D: the same sum
 * as `predictedClv` in ./models/clv.ts.
 */
function predict(customers: ShopCustomers, models: FittedModels, settings: Settings): CustomerPredictions {
  const { bgnbd, gammaGamma, groups } = models;
  const pairs = groupIdenticalRows([groups.x, groups.T]);
  const [pairX, pairT] = pairs.columns as [Float64Array, Float64Array];
  // Whole months, then a partial last one when the horizon is not a whole number of months.
  const months = Math.ceil(settings.horizonMonths - 1e-9);
  const monthEnds = Float64Array.from({ length: months }, (_, m) => Math.min(m + 1, settings.horizonMonths) * settings.unitsPerMonth);
  const discounts = Float64Array.from({ length: months }, (_, m) => Math.pow(1 + settings.monthlyDiscountRate, -(m + 1)));
  const pairPurchasesIfAlive = new Float64Array(pairX.length);
  const pairDiscountedIfAlive = new Float64Array(pairX.length);
  for (let pair = 0; pair < pairX.length; pair++) {
    const x = pairX[pair] as number;
    const T = pairT[pair] as number;
    // At t_x = T, P(alive) ≥ (b + x − 1)/(a + b + x − 1): dividing by it loses nothing.
    const aliveAtT = probabilityAlive(bgnbd, x, T, T);
    let purchasesSoFar = 0;
    let discounted = 0;
    for (let m = 0; m < months; m++) {
      const purchasesByMonthEnd = expectedPurchases(bgnbd, x, T, T, monthEnds[m] as number) / aliveAtT;
      discounted += (purchasesByMonthEnd - purchasesSoFar) * (discounts[m] as number);
      purchasesSoFar = purchasesByMonthEnd;
    }
    pairPurchasesIfAlive[pair] = purchasesSoFar;
    pairDiscountedIfAlive[pair] = discounted;
  }
  const rows = groups.x.length;
  const rowAlive = new Float64Array(rows);
  for (let row = 0; row < rows; row++) rowAlive[row] = probabilityAlive(bgnbd, groups.x[row] as number, groups.tx[row] as number, groups.T[row] as number);

  const n = customers.x.length;
  const probability = new Float64Array(n);
  const purchases = new Float64Array(n);
  const orderValue = new Float64Array(n);
  const clv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = groups.rowOf[i] as number;
    const pair = pairs.rowOf[row] as number;
    const alive = rowAlive[row] as number;
    const x = customers.x[i] as number;
    // A negative mean (refunds beyond the orders, possible in a generic CSV) counts as worth nothing.
    const value = expectedOrderValue(gammaGamma, x, x === 0 ? 0 : Math.max(0, customers.meanValue[i] as number));
    probability[i] = alive;
    purchases[i] = alive * (pairPurchasesIfAlive[pair] as number);
    orderValue[i] = value;
    clv[i] = value * settings.margin * alive * (pairDiscountedIfAlive[pair] as number);
  }
  return { probabilityAlive: probability, expectedPurchases: purchases, expectedOrderValue: orderValue, predictedClv: clv };
}
