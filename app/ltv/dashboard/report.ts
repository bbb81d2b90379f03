// What the dashboard shows, as the worker stores it in ShopReport.dashboard after each refit
// (app/reports/dashboard.server.ts builds it). Plain JSON: money as decimal strings in the shop's
// currency (two places), dates as ISO strings, ratios as numbers between 0 and 1, model figures as
// numbers. The page reads this one object; nothing in it depends on the merchant's language.
import type { RfmGroup } from "../rfm";
import type { ValueTier } from "../value-tiers";

/** Bumped when the shape changes; the page treats a report of another version as missing. */
export const DASHBOARD_REPORT_VERSION = 1;

export type DashboardReport = {
  version: typeof DASHBOARD_REPORT_VERSION;
  /** The refit's observation end (UTC midnight of its day), ISO. */
  asOf: string;
  /** When the report was computed, ISO. */
  generatedAt: string;
  currency: string | null;
  kpis: DashboardKpis;
  formula: FormulaLtvCard | null;
  model: ModelStatus;
  accuracy: ModelAccuracy;
  ltvDistribution: LtvDistribution;
  cohorts: CohortReport;
  segments: SegmentShares;
};

/** Every figure is over the shop's customers with at least one counted order (guest orders aside). */
export type DashboardKpis = {
  /** Customers with ≥ 1 counted order. */
  customers: number;
  /** Customers with ≥ 2 counted orders. */
  repeatCustomers: number;
  /** repeatCustomers ÷ customers; null without customers. */
  repeatPurchaseRate: number | null;
  /** Σ counted orders of those customers. */
  orders: number;
  /** Counted orders without a customer: in the shop's totals, in none of the figures here. */
  guestOrders: number;
  /** Customers without a counted order (Prospects). */
  prospects: number;
  /** Σ net revenue of those customers. */
  netRevenue: string;
  /** netRevenue ÷ orders. */
  averageOrderValue: string | null;
  /** orders ÷ customers: counted orders per customer over their whole history. */
  ordersPerCustomer: number | null;
  /** Mean days from the first to the last counted order, over repeat customers. */
  averageLifespanDays: number | null;
  /** netRevenue ÷ customers: mean historical LTV. */
  averageHistoricalLtv: string | null;
  /** Mean predicted CLV over the next `predictionHorizonMonths` of the customers with a prediction; null when the models are insufficient. */
  averagePredictedClv: string | null;
  predictedCustomers: number;
  predictionHorizonMonths: number;
  /** Null when no acquisition cost is set (or it is zero). */
  ltvToCac: LtvToCac | null;
};

export type LtvToCac = {
  acquisitionCost: string;
  /** Which average the ratio divides: predicted CLV when the models have predictions, else historical LTV. */
  basis: "predicted" | "historical";
  averageLtv: string;
  /** averageLtv ÷ acquisitionCost. */
  ratio: number;
};

/** The shop's formula LTV (ModelFit.formula.shop): AOV × purchases per year × lifespan in years. */
export type FormulaLtvCard = {
  averageOrderValue: string | null;
  purchaseFrequencyPerYear: number | null;
  lifespanYears: number | null;
  /** The lifespan hit the formula's cap (nobody or almost nobody churned). */
  lifespanCapped: boolean;
  lifespanCapYears: number;
  /** Yearly churn: share of customers older than a year with no order in the last 365 days. */
  churnRate: number | null;
  ltv: string | null;
  /** The factors that could not be measured (then `ltv` is null). */
  missing: Array<"averageOrderValue" | "purchaseFrequency" | "lifespan">;
};

export type ModelStatus =
  | { status: "none" }
  | {
      status: "fitted" | "insufficient";
      fittedAt: string;
      customers: number;
      repeatCustomers: number;
      /** Set when insufficient. */
      reason: InsufficientReason | null;
      requiredRepeatCustomers: number;
    };

/** Why there are no predictions (or no holdout test): no customers, a history too short to hold a period out, too few repeat customers, or a fit that failed (did not converge, or a degenerate result). */
export type InsufficientReason = "noCustomers" | "tooShort" | "tooFewRepeatCustomers" | "fitFailed";

/** How close the holdout prediction came: |error| ≤ 10 % close, ≤ 25 % fair, else far. */
export type AccuracyVerdict = "close" | "fair" | "far";

export type ModelAccuracy =
  | { status: "none" }
  | {
      status: "insufficient";
      reason: InsufficientReason;
      repeatCustomers: number;
      requiredRepeatCustomers: number;
      /** The holdout period that was tried (may be zero days). */
      holdoutDays: number;
    }
  | {
      status: "measured";
      /** First and last day of the holdout period ("YYYY-MM-DD", UTC). */
      holdoutStart: string;
      holdoutEnd: string;
      holdoutDays: number;
      /** Customers of the calibration period whose purchases were predicted. */
      customers: number;
      /** Expected purchases (days with an order) in the holdout, from the model fitted before it. */
      predicted: number;
      /** Days with an order those customers actually had in the holdout. */
      actual: number;
      /** (predicted − actual) ÷ actual × 100; null when nobody bought. */
      errorPct: number | null;
      /** Null when nobody bought in the holdout (no relative error). */
      verdict: AccuracyVerdict | null;
      direction: "over" | "under" | "exact";
      meanAbsoluteError: number;
      byPastPurchases: Array<{ pastPurchases: string; customers: number; predicted: number; actual: number }>;
    };

export type HistogramBin = {
  /** Inclusive lower edge; null = everything below `to` (zero and negative values too). */
  from: string | null;
  /** Exclusive upper edge; null = `from` and above. */
  to: string | null;
  customers: number;
  netRevenue: string;
};

export type LtvDistribution = {
  customers: number;
  bins: HistogramBin[];
  median: string | null;
  /** 90th percentile: one customer in ten is worth at least this. */
  p90: string | null;
};

export type CohortRow = {
  /** First-order month "YYYY-MM" (UTC). */
  cohort: string;
  customers: number;
  /**
   * By month since the first order (0 = the first order's month): share of the cohort with a counted
   * order in that month besides the first (in month 0, a second order); null for months not reached yet.
   */
  retention: Array<number | null>;
  returningCustomers: Array<number | null>;
  /** Cumulative net revenue per cohort customer up to the end of that month (first order included). */
  cumulativeLtv: Array<string | null>;
};

export type CohortReport = {
  /** The asOf month "YYYY-MM": the last, still running, month of every row. */
  asOfMonth: string;
  /** Columns: months since the first order, 0 … months − 1. */
  months: number;
  /** Oldest first; months without new customers are left out. */
  rows: CohortRow[];
  /** Across the cohorts that reached each month, weighted by cohort size. */
  average: { retention: Array<number | null>; cumulativeLtv: Array<string | null> };
};

export type SegmentShare = {
  /** An RFM group or value tier; "unscored" for customers the last refit has not placed yet. */
  key: string;
  customers: number;
  netRevenue: string;
  /** Of the customers with a counted order. */
  customerShare: number;
  /** Of their net revenue; null when that total is not positive. */
  revenueShare: number | null;
};

export type SegmentShares = {
  rfm: Array<SegmentShare & { key: Exclude<RfmGroup, "prospects"> | "unscored" }>;
  valueTiers: Array<SegmentShare & { key: ValueTier | "unscored" }>;
  /** What the value tiers rank by: predicted CLV when the models have predictions, else net revenue. */
  valueTierBasis: "predicted" | "historical";
};
