// Playbooks from the customers' value and risk, as scored by the shop's latest fit: win_back,
// vip and save_high_value. Predicted values are floats; only the totals are rounded to minor units.
// Net revenue is exact (whole minor units), so its sums are too.
import { orderStatistics } from "../ranking";
import type { RfmGroup } from "../rfm";
import type { ChurnRisk } from "../churn-risk";
import type { ValueTier } from "../value-tiers";
import { HIGH_VALUE_TIERS, SAVE_CHURN_RISKS, VIP_VALUE_TIERS, WIN_BACK_RFM_GROUPS } from "./options";
import { type ShopFacts, audienceOf } from "./shop-facts";
import { share, toMinor } from "./stats";
import type { SaveHighValuePlaybook, SuggestionCustomer, SuggestionOptions, ValueAtStake, VipPlaybook, WinBackPlaybook } from "./types";

/** Whether the shop's latest fit produced predictions (the models need enough repeat customers). */
export function hasPredictions(customers: readonly SuggestionCustomer[]): boolean {
  return customers.some((customer) => customer.predictedClvMinor !== null);
}

/**
 * Customers who stopped buying (WIN_BACK_RFM_GROUPS) and are worth winning back: predicted CLV
 * strictly above the shop's median predicted CLV, and P(alive) falling — below its value 30 days
 * earlier, or, without that, below winBackProbabilityAliveBelow.
 *
 * Value at stake = Σ predicted CLV × (1 − P(alive)). Predicted CLV already counts the chance the
 * customer is gone, so what a won-back customer adds is CLV ÷ P(alive) − CLV = CLV × (1 − P)/P;
 * the formula used is that times P, a lower bound that stays finite as P(alive) → 0, where the
 * model says least about a customer. Not shown without predictions: "high value but fading" is a
 * model statement.
 */
export function winBackPlaybook(facts: ShopFacts, options: SuggestionOptions): WinBackPlaybook | null {
  const { customers } = facts;
  const median = medianPredictedClv(customers);
  if (median === null) return null;
  const groups = new Set<RfmGroup>(WIN_BACK_RFM_GROUPS);
  const ids: string[] = [];
  const byRfmGroup: Partial<Record<RfmGroup, number>> = {};
  let predictedClv = 0;
  let atRisk = 0;
  let aliveSum = 0;
  let previousCount = 0;
  let previousSum = 0;
  for (const customer of customers) {
    const { rfmGroup, predictedClvMinor: clv, probabilityAlive: alive, probabilityAlivePrevious: previous } = customer;
    if (rfmGroup === null || !groups.has(rfmGroup) || clv === null || alive === null || !(clv > median)) continue;
    const falling = previous !== null ? alive < previous : alive < options.winBackProbabilityAliveBelow;
    if (!falling) continue;
    ids.push(customer.id);
    byRfmGroup[rfmGroup] = (byRfmGroup[rfmGroup] ?? 0) + 1;
    predictedClv += clv;
    atRisk += clv * (1 - alive);
    aliveSum += alive;
    if (previous !== null) {
      previousCount++;
      previousSum += previous;
    }
  }
  if (ids.length === 0) return null;
  return {
    kind: "win_back",
    ...audienceOf(ids),
    timing: { kind: "now" },
    valueAtStake: { basis: "predicted_clv_at_risk", amountMinor: toMinor(atRisk) },
    evidence: {
      customers: ids.length,
      shopMedianPredictedClvMinor: toMinor(median),
      predictedClvMinor: toMinor(predictedClv),
      averageProbabilityAlive: aliveSum / ids.length,
      customersWithPreviousProbabilityAlive: previousCount,
      averageProbabilityAlivePrevious: previousCount > 0 ? previousSum / previousCount : null,
      byRfmGroup,
    },
  };
}

/** The median predicted CLV over the customers with one (mean of the middle two for an even count). */
function medianPredictedClv(customers: readonly SuggestionCustomer[]): number | null {
  const values: number[] = [];
  for (const customer of customers) if (customer.predictedClvMinor !== null) values.push(customer.predictedClvMinor);
  if (values.length === 0) return null;
  const n = values.length;
  const middle = orderStatistics(Float64Array.from(values), [Math.floor((n - 1) / 2), Math.ceil((n - 1) / 2)]);
  return ((middle[0] as number) + (middle[1] as number)) / 2;
}

type Totals = { ids: string[]; revenueMinor: number; predictedClv: number };

function totalsOf(customers: readonly SuggestionCustomer[], include: (customer: SuggestionCustomer) => boolean): Totals {
  const totals: Totals = { ids: [], revenueMinor: 0, predictedClv: 0 };
  for (const customer of customers) {
    if (!include(customer)) continue;
    totals.ids.push(customer.id);
    totals.revenueMinor += customer.netRevenueMinor;
    totals.predictedClv += customer.predictedClvMinor ?? 0;
  }
  return totals;
}

/** Σ predicted CLV with predictions; Σ net revenue (what they have been worth) without. */
function valueOf(totals: Totals, predicted: boolean): ValueAtStake {
  return predicted ? { basis: "predicted_clv", amountMinor: toMinor(totals.predictedClv) } : { basis: "historical_net_revenue", amountMinor: totals.revenueMinor };
}

/** The top value tier (VIP_VALUE_TIERS): who they are and their share of the shop's revenue. */
export function vipPlaybook(facts: ShopFacts): VipPlaybook | null {
  const tiers = new Set<ValueTier>(VIP_VALUE_TIERS);
  const vip = totalsOf(facts.customers, (customer) => customer.valueTier !== null && tiers.has(customer.valueTier));
  if (vip.ids.length === 0) return null;
  const predicted = hasPredictions(facts.customers);
  let shopRevenueMinor = 0;
  for (const customer of facts.customers) shopRevenueMinor += customer.netRevenueMinor;
  return {
    kind: "vip",
    ...audienceOf(vip.ids),
    timing: { kind: "now" },
    valueAtStake: valueOf(vip, predicted),
    evidence: {
      customers: vip.ids.length,
      customersWithOrders: facts.customersWithOrders,
      shareOfCustomers: share(vip.ids.length, facts.customersWithOrders),
      revenueMinor: vip.revenueMinor,
      shopRevenueMinor,
      shareOfRevenue: shopRevenueMinor > 0 ? vip.revenueMinor / shopRevenueMinor : 0,
      predictedClvMinor: predicted ? toMinor(vip.predictedClv) : null,
    },
  };
}

/** High-value customers (HIGH_VALUE_TIERS) whose churn risk is high or medium; value at stake = their predicted CLV. */
export function saveHighValuePlaybook(facts: ShopFacts): SaveHighValuePlaybook | null {
  const tiers = new Set<ValueTier>(HIGH_VALUE_TIERS);
  const risks = new Set<ChurnRisk>(SAVE_CHURN_RISKS);
  let highRisk = 0;
  let mediumRisk = 0;
  const atRisk = totalsOf(facts.customers, (customer) => {
    if (customer.valueTier === null || !tiers.has(customer.valueTier) || customer.churnRisk === null || !risks.has(customer.churnRisk)) return false;
    if (customer.churnRisk === "high") highRisk++;
    else if (customer.churnRisk === "medium") mediumRisk++;
    return true;
  });
  if (atRisk.ids.length === 0) return null;
  const predicted = hasPredictions(facts.customers);
  return {
    kind: "save_high_value",
    ...audienceOf(atRisk.ids),
    timing: { kind: "now" },
    valueAtStake: valueOf(atRisk, predicted),
    evidence: {
      customers: atRisk.ids.length,
      highRisk,
      mediumRisk,
      revenueMinor: atRisk.revenueMinor,
      predictedClvMinor: predicted ? toMinor(atRisk.predictedClv) : null,
    },
  };
}
