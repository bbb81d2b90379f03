// The dashboard report: what the Dashboard page shows, computed by the worker right after a refit and
// stored in ShopReport.dashboard, so the page reads one row whatever the shop's size.
//
// Customer figures are added up by PostgreSQL (exact NUMERIC sums, no customer rows in memory) in
// one read-only snapshot: two passes over the shop's customers, one with a sort for the percentiles.
// The cohorts come from the refit's transactions, already in memory (integer sums, exact); without
// them, from one SQL join of the last 24 months' orders with their customers, several times slower
// on a large shop. Everything is then shaped by the pure helpers in app/ltv/dashboard. Measured at
// 1,000,000 customers and 5,700,000 orders on two busy cores: about 3 s with the transactions, 8 s
// without. "Counted" is orderCounts() in app/ltv/order-facts.ts: not a test, not cancelled, not
// deleted.
import type { HoldoutBacktest } from "~/ltv/backtest";
import type { DailyTransactions } from "~/ltv/customer-history";
import {
  type CohortActivity,
  type CohortSize,
  DEFAULT_COHORT_MONTHS,
  cohortActivityFromTransactions,
  cohortMatrix,
  firstCohortStart,
  monthFromIndex,
  monthOf,
} from "~/ltv/dashboard/cohorts";
import { histogramBins, histogramEdges } from "~/ltv/dashboard/histogram";
import { dashboardKpis, segmentShares } from "~/ltv/dashboard/kpis";
import { formulaLtvCard, modelAccuracy, modelStatus } from "~/ltv/dashboard/model";
import { DASHBOARD_REPORT_VERSION, type DashboardReport } from "~/ltv/dashboard/report";
import type { FormulaLtvReport } from "~/ltv/formula-ltv";
import { utcDayNumber } from "~/ltv/models/summary";
import { Decimal, formatAmount } from "~/ltv/money";
import { log } from "~/lib/log.server";
import { type Db, pool, sql } from "~/pg.server";
import type { ReportContext } from "./context";

export type { DashboardReport } from "~/ltv/dashboard/report";

const DAY_MS = 86_400_000;
/** Sorting and hashing a large shop's rows in memory rather than on disk. */
const REPORT_WORK_MEM = "128MB";

type ModelFitRow = {
  fittedAt: Date;
  customers: number;
  repeatCustomers: number;
  insufficient: boolean;
  horizonMonths: number;
  holdout: HoldoutBacktest | null;
  formula: FormulaLtvReport | null;
};

async function readModelFit(db: Db, shop: string, id: number | null): Promise<ModelFitRow | null> {
  if (id === null) return null;
  const { rows } = await db.query<ModelFitRow>(sql`
    SELECT "fittedAt", "customers", "repeatCustomers", "insufficient", "horizonMonths", "holdout", "formula"
    FROM "ModelFit" WHERE "id" = ${id} AND "shopDomain" = ${shop}`);
  return rows[0] ?? null;
}

type TotalsRow = {
  customers: number;
  repeat_customers: number;
  orders: string;
  net_revenue: string;
  lifespan_days: number | null;
  predicted_customers: number;
  predicted_sum: string;
  min: number | null;
  max: number | null;
  /** Net revenue percentiles 1, 5, 10, 50, 90, 99 (interpolated). */
  q: number[] | null;
};

async function customerTotals(db: Db, shop: string): Promise<TotalsRow> {
  const { rows } = await db.query<TotalsRow>(sql`
    SELECT count(*)::int AS customers,
           count(*) FILTER (WHERE "ordersCount" >= 2)::int AS repeat_customers,
           coalesce(sum("ordersCount"), 0)::text AS orders,
           coalesce(sum("netRevenue"), 0)::text AS net_revenue,
           avg("tenureDays") FILTER (WHERE "ordersCount" >= 2) AS lifespan_days,
           count("predictedClv12m")::int AS predicted_customers,
           coalesce(sum("predictedClv12m"), 0)::text AS predicted_sum,
           min("netRevenue")::float8 AS min, max("netRevenue")::float8 AS max,
           percentile_cont(ARRAY[0.01, 0.05, 0.1, 0.5, 0.9, 0.99]::float8[]) WITHIN GROUP (ORDER BY "netRevenue"::float8) AS q
    FROM "Customer" WHERE "shopDomain" = ${shop} AND "ordersCount" > 0`);
  return rows[0] as TotalsRow;
}

async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await db.query<{ n: number }>(query);
  return rows[0]?.n ?? 0;
}

/** Per RFM group, per value tier and per histogram bin, in one pass over the shop's customers. */
async function customerGroups(db: Db, shop: string, edges: string[]) {
  type Row = { grouping: number; rfm_group: string | null; value_tier: string | null; bucket: number | null; customers: number; net_revenue: string };
  // GROUPING(...) is a bit mask of the columns a row is NOT grouped by (rfm_group = 4, value_tier = 2, bucket = 1).
  const { rows } = await db.query<Row>(sql`
    SELECT GROUPING(rfm_group, value_tier, bucket) AS grouping, rfm_group, value_tier, bucket,
           count(*)::int AS customers, coalesce(sum(net), 0)::text AS net_revenue
    FROM (
      SELECT "rfmGroup" AS rfm_group, "valueTier" AS value_tier, width_bucket("netRevenue", ${edges}::numeric[]) AS bucket, "netRevenue" AS net
      FROM "Customer" WHERE "shopDomain" = ${shop} AND "ordersCount" > 0
    ) AS c
    GROUP BY GROUPING SETS ((rfm_group), (value_tier), (bucket))`);
  const totals = (row: Row, key: string | null) => ({ key, customers: row.customers, netRevenue: row.net_revenue });
  return {
    rfm: rows.filter((row) => row.grouping === 0b011).map((row) => totals(row, row.rfm_group)),
    tiers: rows.filter((row) => row.grouping === 0b101).map((row) => totals(row, row.value_tier)),
    buckets: rows.filter((row) => row.grouping === 0b110).map((row) => ({ bucket: row.bucket as number, customers: row.customers, netRevenue: row.net_revenue })),
  };
}

/** Months since year 0 of a timestamp column, in SQL (UTC: the columns hold UTC without time zone). */
const monthOfColumn = (column: string) => `(date_part('year', ${column}) * 12 + date_part('month', ${column}) - 1)::int`;

/**
 * Per first-order month and months since: cohort customers with a counted order in that month
 * besides their first (in month 0: two or more orders), and the net revenue of the month's orders.
 * Cohort sizes are the customers active in month 0, which every cohort customer is.
 */
async function cohortActivity(db: Db, shop: string, start: Date, end: Date): Promise<{ sizes: CohortSize[]; activity: CohortActivity[] }> {
  // One row per customer and month first (only a flag and an integer sum: compact to sort), then per
  // cohort and month. Net revenue is summed in ten-thousandths as int8, exact for NUMERIC(20, 4).
  const { rows } = await db.query<{ month: number; offset: number; customers: number; returning: number; net_revenue: string }>({
    text: `
      WITH cohort AS (
        SELECT "id", ${monthOfColumn(`"firstOrderAt"`)} AS month
        FROM "Customer"
        WHERE "shopDomain" = $1 AND "ordersCount" > 0 AND "firstOrderAt" >= $2 AND "firstOrderAt" < $3
      ), monthly AS (
        SELECT o."customerId", cohort.month, ${monthOfColumn(`o."processedAt"`)} - cohort.month AS month_offset,
               count(*) AS orders, sum(((o."totalPrice" - o."refunded") * 10000)::int8) AS net
        FROM "Order" o JOIN cohort ON cohort."id" = o."customerId"
        WHERE o."shopDomain" = $1 AND NOT o."test" AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL
          AND o."processedAt" >= $2 AND o."processedAt" < $3
        GROUP BY 1, 2, 3
      )
      SELECT month, month_offset AS "offset", count(*)::int AS customers,
             (count(*) FILTER (WHERE month_offset > 0 OR orders > 1))::int AS returning, (sum(net) / 10000)::text AS net_revenue
      FROM monthly
      GROUP BY month, month_offset`,
    values: [shop, start.toISOString(), end.toISOString()],
  });
  return {
    sizes: rows.filter((row) => row.offset === 0).map((row) => ({ cohort: monthFromIndex(row.month), customers: row.customers })),
    activity: rows.map((row) => ({ cohort: monthFromIndex(row.month), offset: row.offset, returningCustomers: row.returning, netRevenue: row.net_revenue })),
  };
}

const cents = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? null : formatAmount(new Decimal(value.toPrecision(15))));

export type DashboardReportInputs = {
  /**
   * The refit's transactions (counted orders with a customer). With them the cohorts are counted in
   * memory, in a fraction of the time the database needs to join a large shop's orders with its
   * customers; without them, by SQL. Both give the same figures (app/ltv/dashboard/cohorts.ts).
   */
  transactions?: DailyTransactions;
};

export async function buildDashboardReport(ctx: ReportContext, inputs: DashboardReportInputs = {}): Promise<DashboardReport> {
  const started = performance.now();
  const { shop } = ctx;
  const asOfMonth = monthOf(ctx.asOf);
  // Orders up to the end of the asOf day, as the refit counts them.
  const end = new Date(Date.UTC(ctx.asOf.getUTCFullYear(), ctx.asOf.getUTCMonth(), ctx.asOf.getUTCDate()) + DAY_MS);
  const cohortStart = firstCohortStart(asOfMonth, DEFAULT_COHORT_MONTHS);

  const steps: Record<string, number> = {};
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const stepStarted = performance.now();
    const result = await work();
    steps[step] = Math.round(performance.now() - stepStarted);
    return result;
  };

  const db = await pool.connect();
  try {
    // One consistent snapshot for every figure, read-only.
    await db.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await db.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
    const fit = await readModelFit(db, shop, ctx.modelFitId);
    const totals = await timed("totalsMs", () => customerTotals(db, shop));
    const guestOrders = await timed("guestOrdersMs", () =>
      count(db, sql`SELECT count(*)::int AS n FROM "Order" WHERE "shopDomain" = ${shop} AND "customerId" IS NULL AND NOT "test" AND "cancelledAt" IS NULL AND "deletedAt" IS NULL`),
    );
    const prospects = await count(db, sql`SELECT count(*)::int AS n FROM "Customer" WHERE "shopDomain" = ${shop} AND "ordersCount" = 0`);
    const [p01, p05, p10, p50, p90, p99] = totals.q ?? [];
    const edges = histogramEdges(
      totals.customers > 0 && totals.min !== null && totals.max !== null
        ? { min: totals.min, max: totals.max, p01: p01 ?? 0, p05: p05 ?? 0, p10: p10 ?? 0, p99: p99 ?? 0 }
        : null,
    );
    const groups = totals.customers > 0 ? await timed("groupsMs", () => customerGroups(db, shop, edges)) : { rfm: [], tiers: [], buckets: [] };
    const { transactions } = inputs;
    const sqlCohorts = transactions ? null : await timed("cohortsMs", () => cohortActivity(db, shop, cohortStart, end));
    await db.query("COMMIT");
    const cohorts =
      sqlCohorts ?? (await timed("cohortsMs", async () => cohortActivityFromTransactions(transactions as DailyTransactions, utcDayNumber(ctx.asOf.getTime()), DEFAULT_COHORT_MONTHS)));

    const modelsSufficient = fit !== null && !fit.insufficient;
    const report: DashboardReport = {
      version: DASHBOARD_REPORT_VERSION,
      asOf: ctx.asOf.toISOString(),
      generatedAt: new Date().toISOString(),
      currency: ctx.currency,
      kpis: dashboardKpis(
        {
          customers: totals.customers,
          repeatCustomers: totals.repeat_customers,
          orders: Number(totals.orders),
          guestOrders,
          prospects,
          netRevenue: totals.net_revenue,
          averageLifespanDays: totals.lifespan_days,
          predictedCustomers: totals.predicted_customers,
          predictedClvSum: totals.predicted_sum,
        },
        { modelsSufficient, predictionHorizonMonths: fit?.horizonMonths ?? ctx.settings.predictionHorizonMonths, acquisitionCost: ctx.settings.acquisitionCost },
      ),
      formula: formulaLtvCard(fit?.formula?.shop),
      model: modelStatus(fit),
      accuracy: modelAccuracy(fit?.holdout ?? null),
      ltvDistribution: {
        customers: totals.customers,
        bins: histogramBins(edges, groups.buckets),
        median: cents(p50),
        p90: cents(p90),
      },
      cohorts: cohortMatrix({ asOfMonth, sizes: cohorts.sizes, activity: cohorts.activity, cohorts: DEFAULT_COHORT_MONTHS }),
      segments: segmentShares(groups.rfm, groups.tiers, modelsSufficient ? "predicted" : "historical"),
    };
    log.info("report.dashboard", { shop, customers: totals.customers, durationMs: Math.round(performance.now() - started), ...steps });
    return report;
  } catch (error) {
    await db.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    db.release();
  }
}
