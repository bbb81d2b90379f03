// Per-shop recurring jobs (nightly refits, reconciliation) live as BullMQ job schedulers on one queue,
// each with an id prefixed by the shop's domain, so a shop's schedules can be found and stopped.
import { Queue } from "bullmq";
import { env } from "~/env.server";
import { workerConnection } from "./queue.server";

export const SHOP_TASKS_QUEUE = "shop-tasks";

export function shopSchedulerId(shop: string, task: string): string {
  return `${shop}--${task}`;
}

/** Stops every recurring job of a shop. Idempotent: removing what is already gone is fine. */
export async function removeShopSchedules(shop: string): Promise<number> {
  const queue = new Queue(SHOP_TASKS_QUEUE, { connection: workerConnection(), prefix: env().QUEUE_PREFIX });
  try {
    const schedulers = await queue.getJobSchedulers(0, -1);
    const ours = schedulers.filter((scheduler) => scheduler.key.startsWith(`${shop}--`));
    for (const scheduler of ours) await queue.removeJobScheduler(scheduler.key);
    return ours.length;
  } finally {
    await queue.close();
  }
}
