// The life of an order import (the backfill on install or on demand, and the daily reconciliation):
//
//   start    ImportRun "starting" → count the orders (the progress bar's total) → bulkOperationRunQuery → "running"
//   finish   the bulk_operations/finish webhook, or a poll when it does not come, queues the import job
//   import   stream the JSONL result into the order store, checkpointing the lines committed → "scoring"
//   score    a refit; when it ends the run is "done" (reconciliation: the shop's reconciledAt moves on)
//
// Every step is a job on the shop-tasks queue with a deterministic id, so the webhook and the poll
// never import twice, and a worker that dies mid-import leaves a stalled job another worker resumes
// from the last checkpoint (the import itself is idempotent: the store keeps the newest order version).
import { prisma } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/lib/log.server";
import { ensureShopExists } from "~/orders/store.server";
import {
  BULK_OPERATION_QUERY,
  BULK_OPERATION_RUN_QUERY,
  type BulkOperationNode,
  type BulkOperationQueryData,
  type BulkOperationRunQueryData,
  ORDERS_COUNT_QUERY,
  type OrdersCountData,
  ordersBulkQuery,
} from "~/shopify/admin-operations";
import { type AdminClient, adminClientFor, assertNoUserErrors } from "~/shopify/admin-client.server";
import { importBulkResult, linesOf } from "./import-bulk-result.server";

export type ImportSource = "bulk_operation" | "reconciliation";

/** Runs still in Shopify's hands or ours; a new backfill waits for them. */
export const ACTIVE_IMPORT_STATUSES = ["starting", "running", "importing", "scoring"] as const;

/** The orders search for a reconciliation: everything updated since (an hour's overlap covers clock skew). */
export function reconciliationSearch(updatedSince: Date): string {
  return `updated_at:>='${new Date(updatedSince.getTime() - 3600_000).toISOString()}'`;
}

export type ImportTasks = {
  startImport(run: { shop: string; runId: number }): Promise<void>;
  pollImport(run: { shop: string; runId: number; attempt: number }): Promise<void>;
  importResult(run: { shop: string; runId: number }): Promise<void>;
  refitAfterImport(run: { shop: string; source: ImportSource }): Promise<void>;
};

/** Records a new run and queues its start; returns the run's id. */
export async function requestOrderImport(
  options: { shop: string; source: ImportSource; updatedSince?: Date | null },
  tasks: ImportTasks,
): Promise<number> {
  await ensureShopExists(options.shop);
  const run = await prisma.importRun.create({
    data: { shopDomain: options.shop, source: options.source, status: "starting", updatedSince: options.updatedSince ?? null },
    select: { id: true },
  });
  await tasks.startImport({ shop: options.shop, runId: run.id });
  log.info("import.requested", { shop: options.shop, source: options.source, runId: run.id });
  return run.id;
}

async function failRun(runId: number, error: string): Promise<void> {
  await prisma.importRun.update({ where: { id: runId }, data: { status: "failed", error: error.slice(0, 2000), finishedAt: new Date() } });
}

/** Job: ask Shopify to prepare the file. */
export async function startImport(options: { shop: string; runId: number }, tasks: ImportTasks, client?: AdminClient): Promise<void> {
  const { shop, runId } = options;
  const run = await prisma.importRun.findUnique({ where: { id: runId } });
  if (!run || run.status !== "starting") return; // already started by an earlier attempt
  const admin = client ?? (await adminClientFor(shop));
  const search = run.source === "reconciliation" && run.updatedSince ? reconciliationSearch(run.updatedSince) : null;
  const count = await admin.request<OrdersCountData>(ORDERS_COUNT_QUERY, { query: search }, { estimatedCost: 1 });
  const started = await admin.request<BulkOperationRunQueryData>(BULK_OPERATION_RUN_QUERY, { query: ordersBulkQuery(search) });
  assertNoUserErrors("bulkOperationRunQuery", started.bulkOperationRunQuery.userErrors);
  const operation = started.bulkOperationRunQuery.bulkOperation;
  if (!operation) throw new Error("bulkOperationRunQuery returned no operation");
  await prisma.$transaction([
    prisma.importRun.update({
      where: { id: runId },
      data: { status: "running", bulkOperationId: operation.id, expectedOrders: count.ordersCount?.count ?? null },
    }),
    prisma.bulkOperation.upsert({
      where: { shopDomain_id: { shopDomain: shop, id: operation.id } },
      create: { shopDomain: shop, id: operation.id, status: operation.status },
      update: { status: operation.status },
    }),
  ]);
  // The finish webhook normally comes first; the poll is the fallback.
  await tasks.pollImport({ shop, runId, attempt: 1 });
  log.info("import.started", { shop, runId, bulkOperationId: operation.id, expectedOrders: count.ordersCount?.count ?? null });
}

/** bulk_operations/finish: the run waiting on this operation can import now. */
export async function onBulkOperationFinished(options: { shop: string; bulkOperationId: string; status: string }, tasks: ImportTasks): Promise<void> {
  const run = await prisma.importRun.findFirst({ where: { shopDomain: options.shop, bulkOperationId: options.bulkOperationId } });
  if (!run || run.status !== "running") return;
  if (options.status.toLowerCase() === "completed") await tasks.importResult({ shop: options.shop, runId: run.id });
  else await failRun(run.id, `Shopify's bulk operation ended ${options.status.toLowerCase()}`);
}

/** How long the fallback poll waits before its nth look: growing from the configured interval to 5 minutes. */
export function pollDelayMs(attempt: number): number {
  return Math.min(env().BULK_POLL_INTERVAL_MS * attempt, 5 * 60_000);
}

/** Job: the poll fallback. Re-queues itself until the operation ends or the run moved on. */
export async function pollImport(options: { shop: string; runId: number; attempt: number }, tasks: ImportTasks, client?: AdminClient): Promise<void> {
  const run = await prisma.importRun.findUnique({ where: { id: options.runId } });
  if (!run || run.status !== "running" || !run.bulkOperationId) return;
  const admin = client ?? (await adminClientFor(options.shop));
  const { node } = await admin.request<BulkOperationQueryData>(BULK_OPERATION_QUERY, { id: run.bulkOperationId }, { estimatedCost: 1 });
  if (!node) return failRun(run.id, "Shopify no longer knows the bulk operation");
  await prisma.bulkOperation.updateMany({
    where: { shopDomain: options.shop, id: node.id },
    data: { status: node.status.toLowerCase(), errorCode: node.errorCode, completedAt: node.completedAt ? new Date(node.completedAt) : null },
  });
  if (node.status === "COMPLETED") return tasks.importResult({ shop: options.shop, runId: run.id });
  if (node.status === "CREATED" || node.status === "RUNNING") return tasks.pollImport({ ...options, attempt: options.attempt + 1 });
  return failRun(run.id, `Shopify's bulk operation ended ${node.status.toLowerCase()}${node.errorCode ? ` (${node.errorCode})` : ""}`);
}

/** Where the result file is: a completed operation's `url` (null when the query matched nothing). */
async function resultFile(admin: AdminClient, bulkOperationId: string): Promise<BulkOperationNode> {
  const { node } = await admin.request<BulkOperationQueryData>(BULK_OPERATION_QUERY, { id: bulkOperationId }, { estimatedCost: 1 });
  if (!node) throw new Error("Shopify no longer knows the bulk operation");
  if (node.status !== "COMPLETED") throw new Error(`bulk operation is ${node.status}, not COMPLETED`);
  return node;
}

/**
 * Job: stream the result into the order store. Resumes after `linesCommitted` when an earlier attempt
 * died; the run's counters move with each committed batch, which is what the dashboard shows.
 */
export async function importResult(
  options: { shop: string; runId: number },
  tasks: ImportTasks,
  client?: AdminClient,
): Promise<{ ordersImported: number } | null> {
  const { shop, runId } = options;
  const run = await prisma.importRun.findUnique({ where: { id: runId } });
  if (!run || !run.bulkOperationId || (run.status !== "running" && run.status !== "importing")) return null;
  await prisma.importRun.update({ where: { id: runId }, data: { status: "importing" } });
  const admin = client ?? (await adminClientFor(shop));
  const node = await resultFile(admin, run.bulkOperationId);
  let ordersImported = run.importedOrders;
  if (node.url) {
    const response = await fetch(node.url, { signal: AbortSignal.timeout(6 * 3600_000) });
    if (!response.ok || !response.body) throw new Error(`downloading the bulk result failed: HTTP ${response.status}`);
    const outcome = await importBulkResult({
      shop,
      lines: linesOf(response.body),
      skipLines: run.linesCommitted,
      onCheckpoint: async (progress) => {
        ordersImported = run.importedOrders + progress.ordersImported;
        await prisma.importRun.update({
          where: { id: runId },
          data: { linesCommitted: progress.linesCommitted, importedOrders: ordersImported },
        });
      },
    });
    if (outcome.malformedLines > 0) log.warn("import.malformed_lines", { shop, runId, malformedLines: outcome.malformedLines });
  }
  // finishedAt marks the import's end until the refit that scores it marks the run done.
  await prisma.importRun.update({ where: { id: runId }, data: { status: "scoring", importedOrders: ordersImported, finishedAt: new Date() } });
  await tasks.refitAfterImport({ shop, source: run.source as ImportSource });
  log.info("import.imported", { shop, runId, source: run.source, ordersImported });
  return { ordersImported };
}

/**
 * After a refit that started at `refitStartedAt`: runs whose orders were all in before it started are
 * done. A reconciliation that finished moves the shop's `reconciledAt` to the instant it started, so
 * the next one re-reads from there.
 */
export async function finishScoredImports(shop: string, refitStartedAt: Date): Promise<void> {
  const scored = await prisma.importRun.findMany({ where: { shopDomain: shop, status: "scoring", finishedAt: { lte: refitStartedAt } } });
  if (scored.length === 0) return;
  const now = new Date();
  await prisma.importRun.updateMany({ where: { id: { in: scored.map((run) => run.id) } }, data: { status: "done", finishedAt: now } });
  const reconciledFrom = scored
    .filter((run) => run.source === "reconciliation")
    .reduce<Date | null>((latest, run) => (latest === null || run.startedAt > latest ? run.startedAt : latest), null);
  if (reconciledFrom) await prisma.shop.updateMany({ where: { domain: shop }, data: { reconciledAt: reconciledFrom } });
}

/**
 * The daily reconciliation: orders updated since the last one that finished (or since the latest
 * backfill started, or two days back) are read again through a bulk operation.
 */
export async function requestReconciliation(shop: string, tasks: ImportTasks): Promise<number | null> {
  const active = await prisma.importRun.findFirst({ where: { shopDomain: shop, status: { in: [...ACTIVE_IMPORT_STATUSES] } } });
  if (active) return null; // the running import covers it; tomorrow's reconciliation starts from there
  const [record, lastBackfill] = await Promise.all([
    prisma.shop.findUnique({ where: { domain: shop }, select: { reconciledAt: true, uninstalledAt: true } }),
    prisma.importRun.findFirst({ where: { shopDomain: shop, source: "bulk_operation", status: "done" }, orderBy: { startedAt: "desc" } }),
  ]);
  if (!record || record.uninstalledAt) return null;
  const updatedSince = record.reconciledAt ?? lastBackfill?.startedAt ?? new Date(Date.now() - 2 * 24 * 3600_000);
  return requestOrderImport({ shop, source: "reconciliation", updatedSince }, tasks);
}

/** On install: the whole history, unless an import already brought it or is bringing it. */
export async function requestBackfillOnInstall(shop: string, tasks: ImportTasks): Promise<number | null> {
  const existing = await prisma.importRun.findFirst({
    where: { shopDomain: shop, source: "bulk_operation", status: { in: [...ACTIVE_IMPORT_STATUSES, "done"] } },
  });
  if (existing) return null;
  return requestOrderImport({ shop, source: "bulk_operation" }, tasks);
}

/** From the dashboard: a fresh import of the whole history, unless one is under way. */
export async function requestBackfillOnDemand(shop: string, tasks: ImportTasks): Promise<number | null> {
  const active = await prisma.importRun.findFirst({ where: { shopDomain: shop, source: "bulk_operation", status: { in: [...ACTIVE_IMPORT_STATUSES] } } });
  if (active) return null;
  return requestOrderImport({ shop, source: "bulk_operation" }, tasks);
}
