// Processor for the shop-tasks queue: model refits (after orders, nightly, after a backfill, on demand).
import { type Job, UnrecoverableError } from "bullmq";
import { log } from "~/lib/log.server";
import { refitShop } from "./refit-shop.server";
import { ZRefitJob, scheduleNightlyRefit } from "./shop-tasks.server";

export async function processShopTask(job: Job): Promise<string> {
  if (job.name !== "refit") throw new UnrecoverableError(`unknown shop task: ${job.name}`);
  const parsed = ZRefitJob.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`refit job data is malformed: ${parsed.error.issues[0]?.message}`);
  const outcome = await refitShop(parsed.data);
  // Every shop that has been fitted once is refitted nightly from then on (idempotent upsert).
  await scheduleNightlyRefit(parsed.data.shop);
  log.info("shop_task.done", { shop: parsed.data.shop, task: job.name, jobId: job.id, fitId: outcome.fitId });
  return `fit:${outcome.fitId}`;
}
