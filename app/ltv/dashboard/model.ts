// What the dashboard says about the models: whether they predict, how the holdout test went, and the
// shop's formula LTV — from what a refit stores in ModelFit (app/jobs/refit-shop.server.ts). Reasons
// become codes the page words in the merchant's language; the stored English reasons stay in the
// ModelFit row for support.
import type { HoldoutBacktest } from "../backtest";
import { type FormulaLtv, LIFESPAN_CAP_YEARS } from "../formula-ltv";
import { formatAmount, money } from "../money";
import { DEFAULT_MIN_REPEAT_CUSTOMERS } from "../score-shop";
import type { AccuracyVerdict, FormulaLtvCard, InsufficientReason, ModelAccuracy, ModelStatus } from "./report";

/** |predicted − actual| ÷ actual at most this (in %) is "close", at most FAIR "fair", beyond "far". */
export const ACCURACY_THRESHOLDS_PCT = { close: 10, fair: 25 } as const;

export function accuracyVerdict(errorPct: number): AccuracyVerdict {
  if (!Number.isFinite(errorPct)) throw new RangeError(`accuracyVerdict: error must be finite, got ${errorPct}`);
  const size = Math.abs(errorPct);
  return size <= ACCURACY_THRESHOLDS_PCT.close ? "close" : size <= ACCURACY_THRESHOLDS_PCT.fair ? "fair" : "far";
}

type FitFigures = { customers: number; repeatCustomers: number };

function insufficientReason(figures: FitFigures & { holdoutDays?: number }, required: number): InsufficientReason {
  if (figures.customers === 0) return "noCustomers";
  if (figures.holdoutDays !== undefined && figures.holdoutDays < 1) return "tooShort";
  if (figures.repeatCustomers < required) return "tooFewRepeatCustomers";
  return "fitFailed";
}

const DAY_MS = 86_400_000;
const nextDay = (isoDay: string) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The holdout test in figures the page can put in words; "none" when the fit stored no test. */
export function modelAccuracy(holdout: HoldoutBacktest | null, requiredRepeatCustomers = DEFAULT_MIN_REPEAT_CUSTOMERS): ModelAccuracy {
  if (!holdout) return { status: "none" };
  if (holdout.insufficient) {
    return {
      status: "insufficient",
      reason: insufficientReason(holdout, requiredRepeatCustomers),
      repeatCustomers: holdout.repeatCustomers,
      requiredRepeatCustomers,
      holdoutDays: holdout.holdoutDays,
    };
  }
  const { predictedTotal: predicted, actualTotal: actual } = holdout;
  const errorPct = actual > 0 ? ((predicted - actual) / actual) * 100 : null;
  // Purchases are whole; a prediction that rounds to what happened is exact as far as anyone can say.
  const direction = Math.round(predicted) === Math.round(actual) ? "exact" : predicted > actual ? "over" : "under";
  return {
    status: "measured",
    holdoutStart: nextDay(holdout.calibrationEnd),
    holdoutEnd: holdout.observationEnd,
    holdoutDays: holdout.holdoutDays,
    customers: holdout.customers,
    predicted,
    actual,
    errorPct,
    verdict: errorPct === null ? null : accuracyVerdict(errorPct),
    direction,
    meanAbsoluteError: holdout.meanAbsoluteError,
    byPastPurchases: holdout.byPastPurchases.map(({ pastPurchases, customers, predicted, actual }) => ({ pastPurchases, customers, predicted, actual })),
  };
}

export type ModelFitFigures = FitFigures & { fittedAt: Date; insufficient: boolean };

export function modelStatus(fit: ModelFitFigures | null, requiredRepeatCustomers = DEFAULT_MIN_REPEAT_CUSTOMERS): ModelStatus {
  if (!fit) return { status: "none" };
  return {
    status: fit.insufficient ? "insufficient" : "fitted",
    fittedAt: fit.fittedAt.toISOString(),
    customers: fit.customers,
    repeatCustomers: fit.repeatCustomers,
    reason: fit.insufficient ? insufficientReason(fit, requiredRepeatCustomers) : null,
    requiredRepeatCustomers,
  };
}

const amountOrNull = (value: number | null) => (value === null || !Number.isFinite(value) ? null : formatAmount(money(value.toPrecision(15))));

/** The shop's formula LTV with its factors; which ones are missing instead of a guess. */
export function formulaLtvCard(shop: FormulaLtv | null | undefined): FormulaLtvCard | null {
  if (!shop) return null;
  const missing: FormulaLtvCard["missing"] = [];
  if (shop.averageOrderValue === null) missing.push("averageOrderValue");
  if (shop.purchaseFrequencyPerYear === null) missing.push("purchaseFrequency");
  if (shop.lifespanYears === null) missing.push("lifespan");
  return {
    averageOrderValue: amountOrNull(shop.averageOrderValue),
    purchaseFrequencyPerYear: shop.purchaseFrequencyPerYear,
    lifespanYears: shop.lifespanYears,
    lifespanCapped: shop.lifespanYears !== null && shop.lifespanYears >= LIFESPAN_CAP_YEARS,
    lifespanCapYears: LIFESPAN_CAP_YEARS,
    churnRate: shop.churnRate,
    ltv: missing.length === 0 ? amountOrNull(shop.ltv) : null,
    missing,
  };
}
