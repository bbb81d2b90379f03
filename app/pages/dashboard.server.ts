// The Dashboard's data: the latest precomputed report (one indexed row, whatever the shop's size) and
// the shop's latest import. Before the first report exists the page shows the live overview; while
// an import runs it counts the orders stored so far (only then: that count grows with the shop).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { importPercent } from "~/ltv/dashboard/import-progress";
import { DASHBOARD_REPORT_VERSION, type DashboardReport } from "~/ltv/dashboard/report";
import { formatAmount } from "~/ltv/money";
import { pool, sql } from "~/pg.server";
import { getShopOverview } from "~/shops/overview.server";
import { requireShop } from "~/shops/request-shop.server";

export type ImportProgress =
  | { status: "importing"; storedOrders: number; expectedOrders: number | null; percent: number | null; startedAt: string }
  | { status: "scoring"; startedAt: string }
  | { status: "failed"; error: string | null; finishedAt: string | null };

async function importProgress(shop: string): Promise<ImportProgress | null> {
  const run = await prisma.importRun.findFirst({
    where: { shopDomain: shop },
    orderBy: { startedAt: "desc" },
    select: { status: true, expectedOrders: true, startedAt: true, finishedAt: true, error: true },
  });
  if (!run) return null;
  if (run.status === "importing") {
    // Every stored order of the shop: an import brings the whole history, including orders that
    // webhooks delivered first, so this is what the expected count is measured against.
    const { rows } = await pool.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM "Order" WHERE "shopDomain" = ${shop}`);
    const storedOrders = rows[0]?.n ?? 0;
    return { status: "importing", storedOrders, expectedOrders: run.expectedOrders, percent: importPercent(storedOrders, run.expectedOrders), startedAt: run.startedAt.toISOString() };
  }
  if (run.status === "scoring") return { status: "scoring", startedAt: run.startedAt.toISOString() };
  if (run.status === "failed") return { status: "failed", error: run.error, finishedAt: run.finishedAt?.toISOString() ?? null };
  return null;
}

function asDashboardReport(value: unknown): DashboardReport | null {
  if (typeof value !== "object" || value === null) return null;
  return (value as { version?: unknown }).version === DASHBOARD_REPORT_VERSION ? (value as DashboardReport) : null;
}

export async function dashboardLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const [latest, progress] = await Promise.all([
    prisma.shopReport.findFirst({ where: { shopDomain: shop }, orderBy: { computedAt: "desc" }, select: { computedAt: true, dashboard: true } }),
    importProgress(shop),
  ]);
  const report = asDashboardReport(latest?.dashboard);
  if (report && latest && (report.kpis.customers > 0 || report.kpis.guestOrders > 0)) {
    return { state: "report" as const, report, computedAt: latest.computedAt.toISOString(), importProgress: progress };
  }
  // No report yet (or one from before any order): the live figures, from the order table.
  const overview = await getShopOverview(shop);
  if (overview.countedOrders === 0) return { state: "empty" as const, importProgress: progress };
  return {
    state: "scoring" as const,
    importProgress: progress,
    overview: {
      customers: overview.customers,
      countedOrders: overview.countedOrders,
      netRevenue: formatAmount(overview.netRevenue),
    },
  };
}

export type DashboardData = Awaited<ReturnType<typeof dashboardLoader>>;
