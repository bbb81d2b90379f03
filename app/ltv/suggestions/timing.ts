// Playbooks timed on each customer's own purchase timeline: welcome (just bought for the first
// time), second_purchase (a one-time buyer at the shop's usual moment to come back) and
// review_request (a recent purchase). Days ago = asOfDay − the purchase day; purchases are days
// (see ./shop-facts.ts).
import { NO_DAY, type ShopFacts, audienceOf, expectedUplift, idsOfMarked } from "./shop-facts";
import { quantileOfSorted, share } from "./stats";
import type { ReviewRequestPlaybook, SecondPurchasePlaybook, SuggestionOptions, WelcomePlaybook } from "./types";

function repeatEvidence(facts: ShopFacts) {
  return {
    customersWithOrders: facts.customersWithOrders,
    repeatCustomers: facts.repeatCustomers,
    repeatRate: share(facts.repeatCustomers, facts.customersWithOrders),
  };
}

/** New customers: a single purchase day, 0 … welcomeWindowDays − 1 days ago. */
export function welcomePlaybook(facts: ShopFacts, options: SuggestionOptions): WelcomePlaybook | null {
  const marked = new Uint8Array(facts.customers.length);
  for (let c = 0; c < marked.length; c++) {
    if (facts.purchaseDays[c] !== 1) continue;
    const daysAgo = facts.asOfDay - (facts.firstDay[c] as number);
    if (daysAgo >= 0 && daysAgo < options.welcomeWindowDays) marked[c] = 1;
  }
  const ids = idsOfMarked(facts.customers, marked);
  if (ids.length === 0) return null;
  return {
    kind: "welcome",
    ...audienceOf(ids),
    timing: { kind: "days_after_first_order", days: 0 },
    valueAtStake: expectedUplift(ids.length * Math.max(0, facts.averageOrderValueMinor), options),
    evidence: { newCustomers: ids.length, windowDays: options.welcomeWindowDays, ...repeatEvidence(facts), averageOrderValueMinor: facts.averageOrderValueMinor },
  };
}

/**
 * One-time buyers at the shop's usual moment for a second purchase: G = the median days from the
 * first to the second purchase day of the customers who made one (rounded to whole days), and the
 * audience are the customers with a single purchase day G … G × secondPurchaseWindowMultiple days
 * ago. Not shown below secondPurchaseMinRepeatCustomers such customers.
 */
export function secondPurchasePlaybook(facts: ShopFacts, options: SuggestionOptions): SecondPurchasePlaybook | null {
  if (facts.repeatCustomers < options.secondPurchaseMinRepeatCustomers) return null;
  const gaps = new Int32Array(facts.repeatCustomers);
  let k = 0;
  for (let c = 0; c < facts.customers.length; c++) {
    if (facts.secondDay[c] !== NO_DAY) gaps[k++] = (facts.secondDay[c] as number) - (facts.firstDay[c] as number);
  }
  gaps.sort();
  const medianGapDays = Math.round(quantileOfSorted(gaps, 0, gaps.length, 0.5));
  const windowFromDays = medianGapDays;
  const windowToDays = Math.floor(medianGapDays * options.secondPurchaseWindowMultiple);
  const marked = new Uint8Array(facts.customers.length);
  for (let c = 0; c < marked.length; c++) {
    if (facts.purchaseDays[c] !== 1) continue;
    const daysAgo = facts.asOfDay - (facts.firstDay[c] as number);
    if (daysAgo >= windowFromDays && daysAgo <= windowToDays) marked[c] = 1;
  }
  const ids = idsOfMarked(facts.customers, marked);
  if (ids.length === 0) return null;
  return {
    kind: "second_purchase",
    ...audienceOf(ids),
    timing: { kind: "days_after_first_order", days: medianGapDays },
    valueAtStake: expectedUplift(ids.length * Math.max(0, facts.averageOrderValueMinor), options),
    evidence: {
      ...repeatEvidence(facts),
      medianGapDays,
      lowerQuartileGapDays: quantileOfSorted(gaps, 0, gaps.length, 0.25),
      upperQuartileGapDays: quantileOfSorted(gaps, 0, gaps.length, 0.75),
      windowFromDays,
      windowToDays,
      averageOrderValueMinor: facts.averageOrderValueMinor,
    },
  };
}

/**
 * Customers whose latest purchase was reviewFromDays … reviewToDays days ago (inclusive). No money
 * estimate: a review's worth shows in other customers' purchases.
 */
export function reviewRequestPlaybook(facts: ShopFacts, options: SuggestionOptions): ReviewRequestPlaybook | null {
  const marked = new Uint8Array(facts.customers.length);
  for (let c = 0; c < marked.length; c++) {
    if (facts.lastDay[c] === NO_DAY) continue;
    const daysAgo = facts.asOfDay - (facts.lastDay[c] as number);
    if (daysAgo >= options.reviewFromDays && daysAgo <= options.reviewToDays) marked[c] = 1;
  }
  const ids = idsOfMarked(facts.customers, marked);
  if (ids.length === 0) return null;
  return {
    kind: "review_request",
    ...audienceOf(ids),
    timing: { kind: "days_after_last_order", days: options.reviewFromDays },
    valueAtStake: { basis: "none", amountMinor: 0 },
    evidence: { customers: ids.length, windowFromDays: options.reviewFromDays, windowToDays: options.reviewToDays },
  };
}
