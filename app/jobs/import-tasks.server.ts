// The order-import steps (app/backfill/order-import.server.ts) as jobs on the shop-tasks queue. Job
// ids are deterministic, so the finish webhook and the poll fallback queue one import, not two.
import { z } from "zod";
import type { ImportTasks } from "~/backfill/order-import.server";
import { pollDelayMs } from "~/backfill/order-import.server";
import { getShopTasksQueue } from "./shop-tasks.server";
import { shopSchedulerId } from "./schedules.server";

export const ZImportRunJob = z.object({ shop: z.string().min(1), runId: z.number().int().positive() });
export const ZPollImportJob = ZImportRunJob.extend({ attempt: z.number().int().positive() });
export const ZReconcileJob = z.object({ shop: z.string().min(1) });

/** Every shop's orders are reconciled daily at 02:00 UTC, an hour before the nightly refit. */
export const RECONCILIATION_PATTERN = "0 2 * * *";

export const importTasks: ImportTasks = {
  async startImport({ shop, runId }) {
    await getShopTasksQueue().add("start-import", { shop, runId }, { jobId: `start-import-${runId}` });
  },
  async pollImport({ shop, runId, attempt }) {
    await getShopTasksQueue().add("poll-import", { shop, runId, attempt }, { jobId: `poll-import-${runId}-${attempt}`, delay: pollDelayMs(attempt) });
  },
  async importResult({ shop, runId }) {
    // Imports are long: more attempts, each resuming from the last checkpoint.
    await getShopTasksQueue().add("import-result", { shop, runId }, { jobId: `import-result-${runId}`, attempts: 6 });
  },
  async refitAfterImport({ shop }) {
    // Never de-duplicated against a refit already running: that one started before these orders were in.
    await getShopTasksQueue().add("refit", { shop, trigger: "backfill" });
  },
};

/** The shop's daily reconciliation; idempotent, removed with the shop's other schedules on uninstall. */
export async function scheduleReconciliation(shop: string): Promise<void> {
  await getShopTasksQueue().upsertJobScheduler(
    shopSchedulerId(shop, "reconcile"),
    { pattern: RECONCILIATION_PATTERN, tz: "UTC" },
    { name: "reconcile", data: { shop } satisfies z.infer<typeof ZReconcileJob> },
  );
}
