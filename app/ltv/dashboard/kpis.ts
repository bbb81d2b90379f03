// The dashboard's headline figures and segment shares, from totals the database adds up exactly.
// Divisions are decimal and rounded to cents at the end (half away from zero); ratios are numbers.
import { Decimal, formatAmount } from "../money";
import { RFM_GROUPS } from "../rfm";
import { VALUE_TIERS } from "../value-tiers";
import type { DashboardKpis, LtvToCac, SegmentShare, SegmentShares } from "./report";

/** Sums over the shop's customers with at least one counted order (money as decimal strings). */
export type CustomerTotals = {
  customers: number;
  repeatCustomers: number;
  orders: number;
  guestOrders: number;
  prospects: number;
  netRevenue: string;
  /** Mean tenure (first → last counted order) in days over customers with ≥ 2 orders; null without any. */
  averageLifespanDays: number | null;
  /** Customers with a predicted CLV, and the sum of those predictions. */
  predictedCustomers: number;
  predictedClvSum: string;
};

export type KpiOptions = {
  /** The latest fit predicts (not insufficient): without it predictions are not shown, even if some remain. */
  modelsSufficient: boolean;
  predictionHorizonMonths: number;
  /** Settings' customer acquisition cost (decimal string), null when not set. */
  acquisitionCost: string | null;
};

const perUnit = (total: Decimal.Value, count: number): string | null => (count > 0 ? formatAmount(new Decimal(total).div(count)) : null);

export function dashboardKpis(totals: CustomerTotals, options: KpiOptions): DashboardKpis {
  const { customers, repeatCustomers, orders } = totals;
  const averageHistoricalLtv = perUnit(totals.netRevenue, customers);
  const averagePredictedClv = options.modelsSufficient ? perUnit(totals.predictedClvSum, totals.predictedCustomers) : null;
  return {
    customers,
    repeatCustomers,
    repeatPurchaseRate: customers > 0 ? repeatCustomers / customers : null,
    orders,
    guestOrders: totals.guestOrders,
    prospects: totals.prospects,
    netRevenue: formatAmount(new Decimal(totals.netRevenue)),
    averageOrderValue: perUnit(totals.netRevenue, orders),
    ordersPerCustomer: customers > 0 ? orders / customers : null,
    averageLifespanDays: repeatCustomers > 0 ? totals.averageLifespanDays : null,
    averageHistoricalLtv,
    averagePredictedClv,
    predictedCustomers: options.modelsSufficient ? totals.predictedCustomers : 0,
    predictionHorizonMonths: options.predictionHorizonMonths,
    ltvToCac: ltvToCac(averagePredictedClv, averageHistoricalLtv, options.acquisitionCost),
  };
}

/** Average predicted CLV (or, without predictions, average historical LTV) ÷ acquisition cost. */
export function ltvToCac(averagePredictedClv: string | null, averageHistoricalLtv: string | null, acquisitionCost: string | null): LtvToCac | null {
  if (acquisitionCost === null) return null;
  const cost = new Decimal(acquisitionCost);
  if (!cost.isFinite() || cost.lte(0)) return null;
  const basis = averagePredictedClv !== null ? "predicted" : "historical";
  const averageLtv = averagePredictedClv ?? averageHistoricalLtv;
  if (averageLtv === null) return null;
  return { acquisitionCost: formatAmount(cost), basis, averageLtv, ratio: new Decimal(averageLtv).div(cost).toNumber() };
}

/** Customers and net revenue of one segment, as the database groups them (key null = not scored yet). */
export type SegmentTotals = { key: string | null; customers: number; netRevenue: string };

function shares<K extends string>(order: readonly K[], rows: readonly SegmentTotals[]): Array<SegmentShare & { key: K | "unscored" }> {
  const totals = new Map<string, { customers: number; netRevenue: Decimal }>();
  let customers = 0;
  let revenue = new Decimal(0);
  for (const row of rows) {
    if (row.customers <= 0) continue;
    const key = row.key !== null && (order as readonly string[]).includes(row.key) ? row.key : "unscored";
    const total = totals.get(key) ?? { customers: 0, netRevenue: new Decimal(0) };
    total.customers += row.customers;
    total.netRevenue = total.netRevenue.plus(row.netRevenue);
    totals.set(key, total);
    customers += row.customers;
    revenue = revenue.plus(row.netRevenue);
  }
  return [...order, "unscored" as const]
    .filter((key) => totals.has(key))
    .map((key) => {
      const total = totals.get(key) as { customers: number; netRevenue: Decimal };
      return {
        key,
        customers: total.customers,
        netRevenue: formatAmount(total.netRevenue),
        customerShare: total.customers / customers,
        revenueShare: revenue.gt(0) ? total.netRevenue.div(revenue).toNumber() : null,
      };
    });
}

/**
 * Shares of customers (with a counted order) and of their net revenue per RFM group and value tier,
 * best segment first. Prospects have no order and no revenue, so they are not a share of either; a
 * customer whose first order came after the last refit (still a Prospect, or not scored) is "unscored".
 */
export function segmentShares(rfm: readonly SegmentTotals[], tiers: readonly SegmentTotals[], valueTierBasis: "predicted" | "historical"): SegmentShares {
  const scoredGroups = RFM_GROUPS.filter((group) => group !== "prospects");
  return {
    rfm: shares(scoredGroups, rfm),
    valueTiers: shares(VALUE_TIERS, tiers),
    valueTierBasis,
  };
}
