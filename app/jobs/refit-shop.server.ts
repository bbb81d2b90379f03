// Refits a shop's models and rescores every customer: load counted orders as typed arrays, run the
// pure pipeline (app/ltv/score-shop.ts), write all scores in bulk and record the fit.
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { log } from "~/lib/log.server";
import { holdoutBacktest } from "~/ltv/backtest";
import { CHURN_RISKS } from "~/ltv/churn-risk";
import { type DailyTransactions } from "~/ltv/customer-history";
import { formulaLtvReport } from "~/ltv/formula-ltv";
import type { TimeUnit } from "~/ltv/models/summary";
import { RFM_GROUPS } from "~/ltv/rfm";
import { type ScoredShop, scoreShop } from "~/ltv/score-shop";
import { VALUE_TIERS } from "~/ltv/value-tiers";
import { getShopSettings } from "~/settings/settings.server";
import { probabilityAliveEarlier } from "~/ltv/alive-trend";
import { modelSummary } from "~/ltv/customer-history";
import { recordShopReport } from "~/reports/shop-report.server";
import { syncShopCustomers } from "~/shopify/sync-customers.server";
import type { TRefitJob } from "./shop-tasks.server";

/** Weeks, as in the literature: fewer distinct (x, t_x, T) triples, and shops think in weeks. */
export const SHOP_MODEL_UNIT: TimeUnit = "week";
const LOAD_BATCH = 200_000;
const WRITE_BATCH = 5_000;

/** Counted orders with a customer, as the pipeline's transactions (amounts net of refunds). */
export async function loadShopTransactions(shop: string): Promise<DailyTransactions> {
  const customerIds: string[] = [];
  const days: number[] = [];
  const amounts: number[] = [];
  let after: { customerId: bigint; id: bigint } | null = null;
  for (;;) {
    // Counted = orderCounts() in app/ltv/order-facts.ts. Keyset pagination keeps memory to one batch.
    const rows: Array<{ customerId: bigint; id: bigint; day: number; amount: number }> = await prisma.$queryRaw`
      SELECT "customerId", "id", floor(extract(epoch FROM "processedAt") / 86400)::int AS day,
             ("totalPrice" - "refunded")::float8 AS amount
      FROM "Order"
      WHERE "shopDomain" = ${shop} AND "customerId" IS NOT NULL
        AND NOT "test" AND "cancelledAt" IS NULL AND "deletedAt" IS NULL
        ${after ? Prisma.sql`AND ("customerId", "id") > (${after.customerId}, ${after.id})` : Prisma.empty}
      ORDER BY "customerId", "id"
      LIMIT ${LOAD_BATCH}`;
    for (const row of rows) {
      customerIds.push(row.customerId.toString());
      days.push(row.day);
      amounts.push(row.amount);
    }
    if (rows.length < LOAD_BATCH) break;
    const last = rows[rows.length - 1]!;
    after = { customerId: last.customerId, id: last.id };
  }
  return { customerIds, days: Int32Array.from(days), amounts: Float64Array.from(amounts) };
}

const finiteOrNull = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value : null);
const amountOrNull = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value.toFixed(4) : null);

/** Writes every customer's scores with one UPDATE per batch (never row by row), in one transaction. */
async function writeScores(shop: string, scored: ScoredShop): Promise<void> {
  const n = scored.customerIds.length;
  const predictions = scored.predictions;
  const tiers = scored.valueTier.predicted ?? scored.valueTier.historical;
  await prisma.$transaction(
    async (tx) => {
      // One refit of a shop at a time, whichever worker runs it.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`refit:${shop}`}, 0))`;
      for (let start = 0; start < n; start += WRITE_BATCH) {
        const end = Math.min(n, start + WRITE_BATCH);
        const ids: string[] = [];
        const alive: (number | null)[] = [];
        const purchases: (number | null)[] = [];
        const orderValue: (string | null)[] = [];
        const clv: (string | null)[] = [];
        const recency: number[] = [];
        const frequency: number[] = [];
        const monetary: number[] = [];
        const group: string[] = [];
        const tier: string[] = [];
        const churn: string[] = [];
        for (let i = start; i < end; i++) {
          ids.push(scored.customerIds[i]!);
          alive.push(finiteOrNull(predictions?.probabilityAlive[i]));
          purchases.push(finiteOrNull(predictions?.expectedPurchases[i]));
          orderValue.push(amountOrNull(predictions?.expectedOrderValue[i]));
          clv.push(amountOrNull(predictions?.predictedClv[i]));
          recency.push(scored.rfm.recency[i]!);
          frequency.push(scored.rfm.frequency[i]!);
          monetary.push(scored.rfm.monetary[i]!);
          group.push(RFM_GROUPS[scored.rfm.group[i]!]!);
          tier.push(VALUE_TIERS[tiers[i]!]!);
          churn.push(CHURN_RISKS[scored.churnRisk[i]!]!);
        }
        await tx.$executeRaw`
          UPDATE "Customer" AS c SET
            "probabilityAlive" = u.alive, "expectedPurchases12m" = u.purchases, "expectedOrderValue" = u.order_value,
            "predictedClv12m" = u.clv, "rfmRecency" = u.recency, "rfmFrequency" = u.frequency, "rfmMonetary" = u.monetary,
            "rfmGroup" = u.grp, "valueTier" = u.tier, "churnRisk" = u.churn, "scoredAt" = now()
          FROM unnest(${ids}::text[]::bigint[], ${alive}::float8[], ${purchases}::float8[], ${orderValue}::numeric[],
                      ${clv}::numeric[], ${recency}::int[], ${frequency}::int[], ${monetary}::int[], ${group}::text[],
                      ${tier}::text[], ${churn}::text[])
            AS u(id, alive, purchases, order_value, clv, recency, frequency, monetary, grp, tier, churn)
          WHERE c."shopDomain" = ${shop} AND c."id" = u.id`;
      }
      // Customers without a counted order are Prospects, with no predictions.
      await tx.$executeRaw`
        UPDATE "Customer" SET "probabilityAlive" = NULL, "expectedPurchases12m" = NULL, "expectedOrderValue" = NULL,
          "predictedClv12m" = NULL, "rfmRecency" = NULL, "rfmFrequency" = NULL, "rfmMonetary" = NULL,
          "rfmGroup" = 'prospects', "valueTier" = NULL, "churnRisk" = NULL, "scoredAt" = now()
        WHERE "shopDomain" = ${shop} AND "ordersCount" = 0`;
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}

export type RefitOutcome = { fitId: number; customers: number; insufficient: boolean };

export async function refitShop(options: TRefitJob & { now?: Date }): Promise<RefitOutcome> {
  const { shop, trigger } = options;
  const started = performance.now();
  const observationEnd = (options.now ?? new Date()).toISOString().slice(0, 10);
  const transactions = await loadShopTransactions(shop);
  const shopRecord = await prisma.shop.findUnique({ where: { domain: shop }, select: { domain: true, currency: true } });
  if (!shopRecord) throw new Error(`refit: shop ${shop} has no record`);
  const settings = await getShopSettings(shop);
  const run = {
    shopDomain: shop,
    trigger,
    unit: SHOP_MODEL_UNIT,
    observationEnd: new Date(observationEnd),
    horizonMonths: settings.predictionHorizonMonths,
  };

  if (transactions.customerIds.length === 0) {
    const fit = await prisma.modelFit.create({
      data: {
        ...run,
        customers: 0,
        repeatCustomers: 0,
        converged: false,
        insufficient: true,
        reason: "no counted orders with a customer yet",
        durationMs: Math.round(performance.now() - started),
      },
    });
    return { fitId: fit.id, customers: 0, insufficient: true };
  }

  const scored = scoreShop(transactions, {
    unit: SHOP_MODEL_UNIT,
    observationEnd,
    horizonMonths: settings.predictionHorizonMonths,
    monthlyDiscountRate: settings.monthlyDiscountRatePercent / 100,
    grossMarginPct: settings.grossMarginPercent,
  });
  const holdout = holdoutBacktest(transactions, { unit: SHOP_MODEL_UNIT, observationEnd });
  const formula = formulaLtvReport(scored.history, scored.rfm.group);
  await writeScores(shop, scored);
  const { fit } = scored;
  const record = await prisma.modelFit.create({
    data: {
      ...run,
      customers: fit.customers,
      repeatCustomers: fit.repeatCustomers,
      converged: fit.converged,
      insufficient: fit.insufficient,
      reason: fit.reason ?? null,
      bgnbd: fit.bgnbd ? { ...fit.bgnbd } : Prisma.JsonNull,
      gammaGamma: fit.gammaGamma ? { ...fit.gammaGamma } : Prisma.JsonNull,
      logLikelihood: fit.logLikelihood,
      holdout: JSON.parse(JSON.stringify(holdout)) as Prisma.InputJsonValue,
      formula: JSON.parse(JSON.stringify(formula)) as Prisma.InputJsonValue,
      durationMs: Math.round(performance.now() - started),
    },
  });
  const bgnbd = fit.bgnbd;
  const previousProbabilityAlive = new Map<string, number>();
  if (bgnbd && !fit.insufficient) {
    const earlier = probabilityAliveEarlier(bgnbd, modelSummary(scored.history, SHOP_MODEL_UNIT), { unit: SHOP_MODEL_UNIT, daysEarlier: 30 });
    scored.history.customerIds.forEach((id, index) => previousProbabilityAlive.set(id, earlier[index] as number));
  }
  const reportId = await recordShopReport(
    { shop, asOf: new Date(observationEnd), currency: shopRecord.currency, modelFitId: record.id, settings },
    { transactions, previousProbabilityAlive },
  );
  // Tags, metafields and Flow in Shopify follow the new scores: only what changed is queued.
  await syncShopCustomers({ shop });
  log.info("refit.done", {
    shop,
    trigger,
    customers: fit.customers,
    repeatCustomers: fit.repeatCustomers,
    insufficient: fit.insufficient,
    durationMs: record.durationMs,
    reportId,
  });
  return { fitId: record.id, customers: fit.customers, insufficient: fit.insufficient };
}
