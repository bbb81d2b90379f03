// Every threshold of the suggestions, with its default and the reason for it. A shop may override
// any of them (`SuggestionInput.options`); the fixed audiences (RFM groups, tiers, risks) are below.
import type { ChurnRisk } from "../churn-risk";
import type { RfmGroup } from "../rfm";
import type { ValueTier } from "../value-tiers";
import type { SuggestionOptions } from "./types";

export const SUGGESTION_DEFAULTS: Readonly<SuggestionOptions> = {
  // A welcome series runs in the first two weeks; after that the second-purchase timing takes over.
  welcomeWindowDays: 14,
  // A median of fewer than 20 gaps moves by days with each new customer.
  secondPurchaseMinRepeatCustomers: 20,
  // Past three median gaps most customers who will return already have: a reminder is then win-back.
  secondPurchaseWindowMultiple: 3,
  // Below 10 intervals the quartiles (the regularity test) are two or three observations each.
  replenishmentMinPairs: 10,
  replenishmentMinCustomers: 5,
  // Regularity by IQR ÷ median rather than the coefficient of variation: one customer who paused for
  // a year inflates the standard deviation, not the quartiles. At 1 the middle half of the intervals
  // spans at most one median interval (a 30-day product: e.g. 20–50 days).
  replenishmentMaxRelativeIqr: 1,
  // Two weeks of notice covers shipping; a week overdue is still a reminder, later it is win-back.
  replenishmentDaysAhead: 14,
  replenishmentDaysOverdue: 7,
  // 500 products make at most 124,750 pairs (one 500 × 500 count table, 1 MB); the long tail rarely
  // reaches the support threshold anyway.
  crossSellMaxProducts: 500,
  crossSellMinSupport: 10,
  crossSellMinLift: 1.5,
  // A basket of k products makes k(k − 1)/2 pairs: capping k keeps the count linear in the orders.
  crossSellMaxBasketProducts: 30,
  // Fewer than 5 customers are not a campaign.
  categoryMinCustomers: 5,
  // Delivered (about a week) but recent enough to remember the product.
  reviewFromDays: 7,
  reviewToDays: 21,
  // Without the previous P(alive): an even chance or worse of still being a customer.
  winBackProbabilityAliveBelow: 0.5,
  // A planning assumption, not a measurement: a typical response to a targeted retention email. The
  // UI shows it next to every expected uplift, and a shop may set its own.
  assumedConversionRate: 0.05,
  maxGroups: 20,
};

/**
 * RFM groups of customers who used to buy and stopped: the four groups with R 1–2 (no recent
 * purchase). Shopify's older names: at risk, can't lose (previously loyal), about to sleep (almost
 * lost) and hibernating (dormant). The predicted-value filter of win_back keeps the valuable ones.
 */
export const WIN_BACK_RFM_GROUPS: readonly RfmGroup[] = ["at_risk", "previously_loyal", "almost_lost", "dormant"];

/** The top value tier: top 1 % and top 5 %. */
export const VIP_VALUE_TIERS: readonly ValueTier[] = ["top1", "top5"];

/** High value for save_high_value: the top 20 % and above. */
export const HIGH_VALUE_TIERS: readonly ValueTier[] = ["top1", "top5", "top20"];

export const SAVE_CHURN_RISKS: readonly ChurnRisk[] = ["high", "medium"];

const WHOLE_DAYS = ["welcomeWindowDays", "reviewFromDays", "reviewToDays", "replenishmentDaysAhead", "replenishmentDaysOverdue"] as const;
const COUNTS = [
  "secondPurchaseMinRepeatCustomers",
  "replenishmentMinPairs",
  "replenishmentMinCustomers",
  "crossSellMaxProducts",
  "crossSellMinSupport",
  "crossSellMaxBasketProducts",
  "categoryMinCustomers",
  "maxGroups",
] as const;

export function resolveOptions(overrides: Partial<SuggestionOptions> | undefined): SuggestionOptions {
  const options: SuggestionOptions = { ...SUGGESTION_DEFAULTS, ...overrides };
  for (const name of WHOLE_DAYS) {
    if (!Number.isInteger(options[name]) || options[name] < 0) throw new RangeError(`suggestions: ${name} must be a whole number ≥ 0, got ${options[name]}`);
  }
  for (const name of COUNTS) {
    if (!Number.isInteger(options[name]) || options[name] < 1) throw new RangeError(`suggestions: ${name} must be a whole number ≥ 1, got ${options[name]}`);
  }
  // Two products make a pair.
  if (options.crossSellMaxBasketProducts < 2) throw new RangeError("suggestions: crossSellMaxBasketProducts must be ≥ 2");
  if (options.welcomeWindowDays < 1) throw new RangeError("suggestions: welcomeWindowDays must be ≥ 1");
  if (options.reviewFromDays > options.reviewToDays) throw new RangeError("suggestions: reviewFromDays must not exceed reviewToDays");
  if (!(options.secondPurchaseWindowMultiple >= 1) || !Number.isFinite(options.secondPurchaseWindowMultiple)) {
    throw new RangeError(`suggestions: secondPurchaseWindowMultiple must be finite and ≥ 1, got ${options.secondPurchaseWindowMultiple}`);
  }
  if (!(options.replenishmentMaxRelativeIqr >= 0) || !Number.isFinite(options.replenishmentMaxRelativeIqr)) {
    throw new RangeError(`suggestions: replenishmentMaxRelativeIqr must be finite and ≥ 0, got ${options.replenishmentMaxRelativeIqr}`);
  }
  if (!(options.crossSellMinLift > 0) || !Number.isFinite(options.crossSellMinLift)) {
    throw new RangeError(`suggestions: crossSellMinLift must be finite and > 0, got ${options.crossSellMinLift}`);
  }
  for (const name of ["winBackProbabilityAliveBelow", "assumedConversionRate"] as const) {
    if (!(options[name] >= 0 && options[name] <= 1)) throw new RangeError(`suggestions: ${name} must be within [0, 1], got ${options[name]}`);
  }
  return options;
}
