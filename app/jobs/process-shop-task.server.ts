// Processor for the shop-tasks queue: model refits (after orders, nightly, after an import, on demand)
// and the steps of order imports (backfill and daily reconciliation).
import { type Job, UnrecoverableError } from "bullmq";
import type { z } from "zod";
import { finishScoredImports, importResult, pollImport, requestReconciliation, startImport } from "~/backfill/order-import.server";
import { log } from "~/lib/log.server";
import { ZImportRunJob, ZPollImportJob, ZReconcileJob, importTasks } from "./import-tasks.server";
import { refitShop } from "./refit-shop.server";
import { ZRefitJob, scheduleNightlyRefit } from "./shop-tasks.server";

function parse<Schema extends z.ZodType>(schema: Schema, job: Job): z.output<Schema> {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`${job.name} job data is malformed: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export async function processShopTask(job: Job): Promise<string> {
  switch (job.name) {
    case "refit": {
      const data = parse(ZRefitJob, job);
      const startedAt = new Date();
      const outcome = await refitShop(data);
      // Every shop that has been fitted once is refitted nightly from then on (idempotent upsert).
      await scheduleNightlyRefit(data.shop);
      await finishScoredImports(data.shop, startedAt);
      log.info("shop_task.done", { shop: data.shop, task: job.name, jobId: job.id, fitId: outcome.fitId });
      return `fit:${outcome.fitId}`;
    }
    case "start-import":
      await startImport(parse(ZImportRunJob, job), importTasks);
      return "started";
    case "poll-import":
      await pollImport(parse(ZPollImportJob, job), importTasks);
      return "polled";
    case "import-result": {
      const outcome = await importResult(parse(ZImportRunJob, job), importTasks);
      return outcome ? `imported:${outcome.ordersImported}` : "skipped";
    }
    case "reconcile": {
      const runId = await requestReconciliation(parse(ZReconcileJob, job).shop, importTasks);
      return runId === null ? "skipped" : `run:${runId}`;
    }
    default:
      throw new UnrecoverableError(`unknown shop task: ${job.name}`);
  }
}
