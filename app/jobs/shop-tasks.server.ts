// Per-shop background tasks (model refits) on their own queue, so heavy work never delays webhooks.
import { Queue } from "bullmq";
import { z } from "zod";
import { env } from "~/env.server";
import { SHOP_TASKS_QUEUE, shopSchedulerId } from "./schedules.server";
import { workerConnection } from "./queue.server";

export const ZRefitJob = z.object({
  shop: z.string().min(1),
  trigger: z.enum(["orders", "nightly", "backfill", "settings", "manual"]),
});
export type TRefitJob = z.infer<typeof ZRefitJob>;

/** New orders refit a shop at most once an hour, a few minutes after the first of them. */
export const REFIT_DEBOUNCE_MS = 60 * 60 * 1000;
export const REFIT_DELAY_AFTER_ORDERS_MS = 5 * 60 * 1000;
/** Every shop is refitted nightly at 03:00 UTC. */
export const NIGHTLY_REFIT_PATTERN = "0 3 * * *";

let queue: Queue | undefined;

export function getShopTasksQueue(): Queue {
  queue ??= new Queue(SHOP_TASKS_QUEUE, {
    connection: workerConnection(),
    prefix: env().QUEUE_PREFIX,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: "exponential", delay: 30_000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
  return queue;
}

/** Queues a refit of the shop's models. `orders` refits are debounced (at most hourly per shop). */
export async function requestRefit(job: TRefitJob): Promise<void> {
  const tasks = getShopTasksQueue();
  if (job.trigger === "orders") {
    await tasks.add("refit", job, {
      delay: REFIT_DELAY_AFTER_ORDERS_MS,
      deduplication: { id: `refit-orders-${job.shop}`, ttl: REFIT_DEBOUNCE_MS },
    });
  } else if (job.trigger === "settings") {
    // Never deduplicated: a refit already running read the previous settings. Refits of one shop run
    // one at a time (refit-shop.server.ts), so two saves cost two refits, both correct.
    await tasks.add("refit", job);
  } else {
    await tasks.add("refit", job, { deduplication: { id: `refit-${job.trigger}-${job.shop}`, ttl: 60_000 } });
  }
}

/** The shop's nightly refit; upserting is idempotent, uninstall removes it (removeShopSchedules). */
export async function scheduleNightlyRefit(shop: string): Promise<void> {
  await getShopTasksQueue().upsertJobScheduler(
    shopSchedulerId(shop, "nightly-refit"),
    { pattern: NIGHTLY_REFIT_PATTERN, tz: "UTC" },
    { name: "refit", data: { shop, trigger: "nightly" } satisfies TRefitJob },
  );
}
