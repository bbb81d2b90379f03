// The Dashboard's data: the latest precomputed report (one indexed row, whatever the shop's size) and
// the shop's latest import. Before the first report exists the page shows the live overview; while
// an import runs it counts the orders stored so far (only then: that count grows with the shop).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requestBackfillOnDemand } from "~/backfill/order-import.server";
import { prisma } from "~/db.server";
import { importTasks } from "~/jobs/import-tasks.server";
import { importPercent } from "~/ltv/dashboard/import-progress";
import { DASHBOARD_REPORT_VERSION, type DashboardReport } from "~/ltv/dashboard/report";
import { formatAmount } from "~/ltv/money";
import { pool, sql } from "~/pg.server";
import { getShopOverview } from "~/shops/overview.server";
import { requireShop } from "~/shops/request-shop.server";

export type ImportProgress =
  | { status: "preparing"; startedAt: string }
  | { status: "importing"; storedOrders: number; expectedOrders: number | null; percent: number | null; startedAt: string }
  | { status: "scoring"; startedAt: string }
  | { status: "failed"; error: string | null; finishedAt: string | null };

async function importProgress(shop: string): Promise<ImportProgress | null> {
  // The daily reconciliation runs quietly; the merchant sees the demo replay and history backfills.
  const run = await prisma.importRun.findFirst({
    where: { shopDomain: shop, source: { in: ["demo", "bulk_operation"] } },
    orderBy: { startedAt: "desc" },
    select: { source: true, status: true, expectedOrders: true, importedOrders: true, startedAt: true, finishedAt: true, error: true },
  });
  if (!run) return null;
  if (run.status === "starting" || run.status === "running") return { status: "preparing", startedAt: run.startedAt.toISOString() };
  if (run.status === "importing") {
    // A backfill counts the orders it has written; the demo replay goes through webhooks, so its
    // progress is every stored order of the shop.
    let storedOrders = run.importedOrders;
    if (run.source === "demo") {
      const { rows } = await pool.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM "Order" WHERE "shopDomain" = ${shop}`);
      storedOrders = rows[0]?.n ?? 0;
    }
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
  const { shop, mode } = await requireShop(request);
  // Only a shop connected to Shopify can import its history; the demo store is replayed from a file.
  const canImportHistory = mode === "embedded";
  const [latest, progress] = await Promise.all([
    prisma.shopReport.findFirst({ where: { shopDomain: shop }, orderBy: { computedAt: "desc" }, select: { computedAt: true, dashboard: true } }),
    importProgress(shop),
  ]);
  const report = asDashboardReport(latest?.dashboard);
  if (report && latest && (report.kpis.customers > 0 || report.kpis.guestOrders > 0)) {
    return { state: "report" as const, report, computedAt: latest.computedAt.toISOString(), importProgress: progress, canImportHistory };
  }
  // No report yet (or one from before any order): the live figures, from the order table.
  const overview = await getShopOverview(shop);
  if (overview.countedOrders === 0) return { state: "empty" as const, importProgress: progress, canImportHistory };
  return {
    state: "scoring" as const,
    importProgress: progress,
    canImportHistory,
    overview: {
      customers: overview.customers,
      countedOrders: overview.countedOrders,
      netRevenue: formatAmount(overview.netRevenue),
    },
  };
}

export type DashboardData = Awaited<ReturnType<typeof dashboardLoader>>;

/** "Import order history": a fresh backfill of the whole history, unless one is under way. */
export async function dashboardAction({ request }: ActionFunctionArgs) {
  const { shop, mode } = await requireShop(request);
  const form = await request.formData();
  if (form.get("intent") !== "import-history") throw new Response("Unknown action", { status: 400 });
  if (mode !== "embedded") return { ok: false as const, reason: "demo" as const };
  const runId = await requestBackfillOnDemand(shop, importTasks);
  return runId === null ? { ok: false as const, reason: "running" as const } : { ok: true as const };
}
