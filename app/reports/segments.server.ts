// The segments report, built by the worker right after each refit and stored in ShopReport.segments.
//
// Now: what the Customer table holds after the refit — each customer's rfmGroup, valueTier, churnRisk,
// netRevenue and predictedClv12m — added up by one GROUP BY in SQL (exact decimals), so the page
// agrees with the customers table and the segment pages to the cent.
// One month earlier: the segments rebuilt from the shop's counted orders with the same pure pipeline
// the refit runs (scoreShop, observation ending asOf − 1 month, the shop's settings), so the change is
// real even on a shop's first refit. The pipeline ignores orders after its observation end. Order
// amounts are net of the refunds known today, as the refit's are (see the report's notes).
import { prisma } from "~/db.server";
import { SHOP_MODEL_UNIT, loadShopTransactions } from "~/jobs/refit-shop.server";
import { CHURN_RISKS, type ChurnRisk } from "~/ltv/churn-risk";
import type { DailyTransactions } from "~/ltv/customer-history";
import { money } from "~/ltv/money";
import { utcDayNumber } from "~/ltv/models/summary";
import { RFM_GROUPS, type RfmGroup } from "~/ltv/rfm";
import { scoreShop } from "~/ltv/score-shop";
import { type SegmentCell, type SegmentSnapshot, type SegmentsReport, oneMonthEarlier, segmentCells, segmentSnapshot, segmentsReport } from "~/ltv/segment-summary";
import { VALUE_TIERS, type ValueTier } from "~/ltv/value-tiers";
import type { ReportContext } from "./context";

export type { SegmentsReport };

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null => (value !== null && (values as readonly string[]).includes(value) ? (value as T) : null);

/** Now: the Customer table's segments, one row per (group, tier, risk) combination. */
async function currentCells(shop: string): Promise<SegmentCell[]> {
  const rows = await prisma.$queryRaw<
    Array<{ rfm_group: string | null; value_tier: string | null; churn_risk: string | null; customers: number; net_revenue: string; predicted: number; predicted_clv: string }>
  >`
    SELECT "rfmGroup" AS rfm_group, "valueTier" AS value_tier, "churnRisk" AS churn_risk,
           COUNT(*)::int AS customers, COALESCE(SUM("netRevenue"), 0)::text AS net_revenue,
           COUNT("predictedClv12m")::int AS predicted, COALESCE(SUM("predictedClv12m"), 0)::text AS predicted_clv
    FROM "Customer"
    WHERE "shopDomain" = ${shop}
    GROUP BY 1, 2, 3`;
  return rows.map((row) => {
    const rfmGroup = oneOf<RfmGroup>(RFM_GROUPS, row.rfm_group);
    return {
      rfmGroup,
      valueTier: rfmGroup ? oneOf<ValueTier>(VALUE_TIERS, row.value_tier) : null,
      churnRisk: rfmGroup ? oneOf<ChurnRisk>(CHURN_RISKS, row.churn_risk) : null,
      customers: row.customers,
      netRevenue: money(row.net_revenue),
      predictedCustomers: row.predicted,
      predictedClv: money(row.predicted_clv),
    };
  });
}

/** Net revenue of counted guest orders (no customer): all of it, and up to the end of `earlierDay`. */
async function guestRevenue(shop: string, earlierDay: number): Promise<{ now: string; earlier: string }> {
  // Counted = orderCounts() in app/ltv/order-facts.ts; days as loadShopTransactions computes them.
  const [row] = await prisma.$queryRaw<Array<{ now: string; earlier: string }>>`
    SELECT COALESCE(SUM("totalPrice" - "refunded"), 0)::text AS now,
           COALESCE(SUM("totalPrice" - "refunded") FILTER (WHERE floor(extract(epoch FROM "processedAt") / 86400) <= ${earlierDay}), 0)::text AS earlier
    FROM "Order"
    WHERE "shopDomain" = ${shop} AND "customerId" IS NULL
      AND NOT "test" AND "cancelledAt" IS NULL AND "deletedAt" IS NULL`;
  return { now: row?.now ?? "0", earlier: row?.earlier ?? "0" };
}

/** One month earlier, from the orders: null when the shop had no counted order with a customer by then. */
function earlierSnapshot(transactions: DailyTransactions, ctx: ReportContext, earlierEnd: string, guestNetRevenue: string): SegmentSnapshot | null {
  const endDay = utcDayNumber(earlierEnd);
  let any = false;
  for (let i = 0; i < transactions.days.length && !any; i++) any = (transactions.days[i] as number) <= endDay;
  if (!any) return null;
  const scored = scoreShop(transactions, {
    unit: SHOP_MODEL_UNIT,
    observationEnd: earlierEnd,
    horizonMonths: ctx.settings.predictionHorizonMonths,
    monthlyDiscountRate: ctx.settings.monthlyDiscountRatePercent / 100,
    grossMarginPct: ctx.settings.grossMarginPercent,
  });
  const cells = segmentCells({
    rfmGroup: scored.rfm.group,
    // As the refit stores them: tiers by predicted CLV when there are predictions.
    valueTier: scored.valueTier.predicted ?? scored.valueTier.historical,
    churnRisk: scored.churnRisk,
    netRevenue: scored.netRevenue,
    predictedClv: scored.predictions?.predictedClv ?? null,
  });
  return segmentSnapshot(cells, { asOf: earlierEnd, guestNetRevenue: money(guestNetRevenue), prospectsKnown: false });
}

/**
 * Every RFM group, value tier and churn-risk level with its figures now and one month before
 * `ctx.asOf`. `options.transactions`: the refit's own transactions (loadShopTransactions), to save
 * loading them again; read from the database when absent.
 */
export async function buildSegmentsReport(ctx: ReportContext, options: { transactions?: DailyTransactions } = {}): Promise<SegmentsReport> {
  const asOf = isoDay(ctx.asOf);
  const earlierEnd = oneMonthEarlier(asOf);
  const [cells, guests, transactions] = await Promise.all([
    currentCells(ctx.shop),
    guestRevenue(ctx.shop, utcDayNumber(earlierEnd)),
    options.transactions ? Promise.resolve(options.transactions) : loadShopTransactions(ctx.shop),
  ]);
  const now = segmentSnapshot(cells, { asOf, guestNetRevenue: money(guests.now), prospectsKnown: true });
  return segmentsReport(now, earlierSnapshot(transactions, ctx, earlierEnd, guests.earlier), {
    previousAsOf: earlierEnd,
    predictionHorizonMonths: ctx.settings.predictionHorizonMonths,
  });
}
