// Value tiers (top 1 %, top 5 %, top 20 %, rest) and the per-shop "high-value customer" rule, by
// historical LTV (net revenue so far) or by predicted CLV. Values are floats: ranking statistics,
// not amounts to be added up.
//
// A customer is in the top k % when fewer than k % of the shop's customers are worth strictly more
// and the customer is worth more than zero. Ties share a tier (so a tier can hold a few more than
// k % of the customers), the order of the input does not matter, and the most valuable customer of a
// shop with any value is always in the top 1 %, however small the shop.
import { orderStatistics } from "./ranking";

export type ValueTier = "top1" | "top5" | "top20" | "rest";

/** Every tier, best first; a tier's index here is its code in `valueTiers`' result. */
export const VALUE_TIERS = ["top1", "top5", "top20", "rest"] as const satisfies readonly ValueTier[];

export const VALUE_TIER_PERCENT = { top1: 1, top5: 5, top20: 20 } as const;

export const VALUE_TIER_LABELS: Record<ValueTier, string> = { top1: "Top 1 %", top5: "Top 5 %", top20: "Top 20 %", rest: "Rest" };

export type ValueBasis = "historical" | "predicted";

/**
 * Fewer than k % of n customers worth strictly more ⟺ fewer than m = ⌈k·n/100⌉ ⟺ the value is at
 * least the m-th largest. The m-th largest value, the lowest value within the top k %.
 */
function topPercentThreshold(values: Float64Array, percent: number): number {
  const n = values.length;
  const places = Math.ceil((percent * n) / 100);
  return (orderStatistics(values, [n - places]))[0] as number;
}

/** Tier code (index into VALUE_TIERS) of every customer. */
export function valueTiers(values: Float64Array): Uint8Array {
  const n = values.length;
  const tiers = new Uint8Array(n).fill(3);
  if (n === 0) return tiers;
  // m = ⌈k·n/100⌉ in whole numbers for k = 1, 5, 20
  const [top1, top5, top20] = Array.from(orderStatistics(values, [1, 5, 20].map((k) => n - Math.floor((k * n + 99) / 100)))) as [number, number, number];
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    if (!(value > 0)) continue;
    tiers[i] = value >= top1 ? 0 : value >= top5 ? 1 : value >= top20 ? 2 : 3;
  }
  return tiers;
}

export type HighValueRule =
  | { basis: ValueBasis; kind: "topPercent"; percent: number }
  | { basis: ValueBasis; kind: "atLeast"; amount: number };

/**
 * The smallest value that makes a customer high-value under `rule` among `values` (the shop's
 * customers on the rule's basis): for "atLeast" the amount itself, for "topPercent" the value of the
 * last customer within the top percent by the tie rule above. +Infinity when nobody qualifies.
 */
export function highValueThreshold(rule: HighValueRule, values: Float64Array): number {
  if (rule.kind === "atLeast") {
    if (!Number.isFinite(rule.amount)) throw new RangeError(`high-value amount must be finite, got ${rule.amount}`);
    return rule.amount;
  }
  if (!(rule.percent > 0 && rule.percent <= 100)) throw new RangeError(`high-value percent must be within (0, 100], got ${rule.percent}`);
  if (values.length === 0) return Number.POSITIVE_INFINITY;
  return topPercentThreshold(values, rule.percent);
}

/** Whether a customer worth `value` is high-value given the shop's threshold. Zero never qualifies. */
export function isHighValue(value: number, threshold: number): boolean {
  return value > 0 && value >= threshold;
}

export type HighValueMembership = {
  /** 1 for high-value customers. */
  members: Uint8Array;
  threshold: number;
  /** The basis actually used: "historical" when the rule asks for predictions the shop does not have. */
  basis: ValueBasis;
};

/**
 * Applies a shop's rule to its customers. A "predicted" rule falls back to historical values when
 * predictions are unavailable (too little data for the models), and says so in `basis`.
 */
export function highValueMembership(rule: HighValueRule, values: { historical: Float64Array; predicted: Float64Array | null }): HighValueMembership {
  const basis: ValueBasis = rule.basis === "predicted" && values.predicted ? "predicted" : "historical";
  const basisValues = basis === "predicted" ? (values.predicted as Float64Array) : values.historical;
  const threshold = highValueThreshold(rule, basisValues);
  const members = new Uint8Array(basisValues.length);
  for (let i = 0; i < basisValues.length; i++) members[i] = isHighValue(basisValues[i] as number, threshold) ? 1 : 0;
  return { members, threshold, basis };
}
