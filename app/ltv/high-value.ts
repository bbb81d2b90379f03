// Who is in a shop's high-value set after a refit, with hysteresis: a customer enters at the shop's
// rule (top X % or at least an amount, value-tiers.ts) but leaves only when clearly below it, so a
// customer whose value wobbles around the line is not tagged, untagged and re-tagged (and Flow is not
// fired again) at every refit.
//
// The band (HIGH_VALUE_EXIT_BAND):
// - "at least an amount": enter at ≥ amount, leave below amount × 90 %;
// - "top X %": enter within the top X %, leave when outside the top X × 1.25 % (capped at 100 %).
// So a top-5 % set holds the top 5 % plus those who were in it and are still within the top 6.25 %.
// Zero never qualifies, in or out of the band.
//
// Values are floats (rank statistics and predictions). For "at least an amount" on historical LTV the
// comparison is still exact: values are NUMERIC(20,4) and the lines are decimals with at most 5
// places, each rounded once to the nearest double, and rounding keeps their order (distinct such
// decimals below 10^11 never round to the same double).
import Decimal from "decimal.js";
import { type HighValueRule, type ValueBasis, highValueThreshold, isHighValue } from "./value-tiers";

export const HIGH_VALUE_EXIT_BAND = {
  /** A member of an amount rule stays while worth at least this share of the amount. */
  amountShare: "0.9",
  /** A member of a top-X % rule stays while within the top X × this. */
  percentFactor: 1.25,
} as const;

export type HighValueLines = {
  /** Non-members enter at this value or above. */
  entry: number;
  /** Members stay at this value or above (≤ entry). */
  exit: number;
  /** The basis actually used: "historical" when predictions are unavailable. */
  basis: ValueBasis;
};

/** The entry and exit lines of a rule among the shop's values on its basis. */
export function highValueLines(rule: HighValueRule, values: Float64Array): { entry: number; exit: number } {
  const entry = highValueThreshold(rule, values);
  if (rule.kind === "atLeast") {
    // Decimal so that e.g. 333.33 × 0.9 is 299.997, not 299.99699999999996.
    const exit = new Decimal(rule.amount).times(HIGH_VALUE_EXIT_BAND.amountShare).toNumber();
    return { entry, exit };
  }
  const wider = Math.min(100, rule.percent * HIGH_VALUE_EXIT_BAND.percentFactor);
  return { entry, exit: Math.min(entry, highValueThreshold({ ...rule, percent: wider }, values)) };
}

export type HighValueChange = {
  /** 1 for members after this refit. */
  members: Uint8Array;
  /** Indices of customers who enter the set now. */
  entered: number[];
  /** Indices of customers who leave it now. */
  left: number[];
  lines: HighValueLines;
};

/**
 * The shop's high-value set after a refit, from each customer's values (same order in every array)
 * and `current` (1 = in the set before). A "predicted" rule uses historical values when the shop
 * has no predictions.
 */
export function nextHighValueMembership(
  rule: HighValueRule,
  values: { historical: Float64Array; predicted: Float64Array | null },
  current: Uint8Array,
): HighValueChange {
  const basis: ValueBasis = rule.basis === "predicted" && values.predicted ? "predicted" : "historical";
  const basisValues = basis === "predicted" ? (values.predicted as Float64Array) : values.historical;
  if (current.length !== basisValues.length) throw new RangeError(`membership: ${current.length} flags for ${basisValues.length} customers`);
  const { entry, exit } = highValueLines(rule, basisValues);
  const members = new Uint8Array(basisValues.length);
  const entered: number[] = [];
  const left: number[] = [];
  for (let i = 0; i < basisValues.length; i++) {
    const value = basisValues[i] as number;
    const was = current[i] === 1;
    const is = isHighValue(value, was ? exit : entry);
    members[i] = is ? 1 : 0;
    if (is && !was) entered.push(i);
    else if (!is && was) left.push(i);
  }
  return { members, entered, left, lines: { entry, exit, basis } };
}
