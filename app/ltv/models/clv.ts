// Predicted customer lifetime value: BG/NBD purchases × Gamma-Gamma order value × margin, discounted
// month by month (the approach of lifetimes' customer_lifetime_value).
import { type BgNbdParams, expectedPurchases } from "./bgnbd";
import { type GammaGammaParams, expectedOrderValue } from "./gamma-gamma";

/** Average month length in each time unit (365.25 / 12 days). */
export const UNITS_PER_MONTH = { day: 365.25 / 12, week: 365.25 / 12 / 7 } as const;

export const DEFAULT_HORIZON_MONTHS = 12;

export type ClvSettings = {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** Whole months ahead; default 12. */
  horizonMonths?: number;
  /** Length of a month in the time unit the models were fitted in (see UNITS_PER_MONTH). */
  unitsPerMonth: number;
  /** e.g. 0.01 for 1 % a month; month m's value is divided by (1 + rate)^m. */
  monthlyDiscountRate: number;
  /** Gross margin in percent (0–100) applied to order value; default 100, i.e. revenue. */
  grossMarginPct?: number;
};

export type ClvInput = ClvSettings & {
  /** Repeat purchases, time of last purchase and age, in the models' time unit. */
  x: number;
  tx: number;
  T: number;
  /** Mean value of the repeat purchases (ignored when x = 0). */
  meanValue: number;
};

/**
 * Σ_{m=1..H} (E[purchases by end of month m] − E[purchases by end of month m−1])
 *            × E[order value] × margin / (1 + monthlyDiscountRate)^m
 * Throws RangeError on invalid settings or customer figures (see the model functions).
 */
export function predictedClv(input: ClvInput): number {
  const settings = checkedSettings(input);
  return clvForCustomer(input, settings, input.x, input.tx, input.T, input.meanValue);
}

export type ClvBatchInput = ClvSettings & {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  meanValue: Float64Array;
};

/** `predictedClv` for every row of a customer summary. */
export function predictedClvBatch(input: ClvBatchInput): Float64Array {
  const settings = checkedSettings(input);
  const n = input.x.length;
  if (input.tx.length !== n || input.T.length !== n || input.meanValue.length !== n) {
    throw new RangeError("predictedClvBatch: x, tx, T and meanValue must have the same length");
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = clvForCustomer(
      input,
      settings,
      input.x[i] as number,
      input.tx[i] as number,
      input.T[i] as number,
      input.meanValue[i] as number,
    );
  }
  return values;
}

type CheckedSettings = { horizonMonths: number; margin: number };

function checkedSettings(input: ClvSettings): CheckedSettings {
  const horizonMonths = input.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  const grossMarginPct = input.grossMarginPct ?? 100;
  if (!Number.isInteger(horizonMonths) || horizonMonths < 0) throw new RangeError(`horizonMonths must be a whole number ≥ 0, got ${horizonMonths}`);
  if (!(input.unitsPerMonth > 0) || !Number.isFinite(input.unitsPerMonth)) {
    throw new RangeError(`unitsPerMonth must be positive and finite, got ${input.unitsPerMonth}`);
  }
  if (!(input.monthlyDiscountRate > -1) || !Number.isFinite(input.monthlyDiscountRate)) {
    throw new RangeError(`monthlyDiscountRate must be finite and > −1, got ${input.monthlyDiscountRate}`);
  }
  if (!(grossMarginPct >= 0 && grossMarginPct <= 100)) throw new RangeError(`grossMarginPct must be within 0–100, got ${grossMarginPct}`);
  return { horizonMonths, margin: grossMarginPct / 100 };
}

function clvForCustomer(input: ClvSettings, settings: CheckedSettings, x: number, tx: number, T: number, meanValue: number): number {
  const orderValue = expectedOrderValue(input.gammaGamma, x, x === 0 ? 0 : meanValue) * settings.margin;
  let value = 0;
  let purchasesSoFar = 0;
  let discount = 1;
  for (let month = 1; month <= settings.horizonMonths; month++) {
    const purchasesByMonthEnd = expectedPurchases(input.bgnbd, x, tx, T, month * input.unitsPerMonth);
    discount /= 1 + input.monthlyDiscountRate;
    value += (purchasesByMonthEnd - purchasesSoFar) * orderValue * discount;
    purchasesSoFar = purchasesByMonthEnd;
  }
  return value;
}
