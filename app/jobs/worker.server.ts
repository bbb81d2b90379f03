// The worker process (`npm run worker`): drains the webhook queue into the order store.
import { Worker } from "bullmq";
import { prisma } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/lib/log.server";
import { ADMIN_WRITES_QUEUE } from "./admin-writes.server";
import { processAdminWrite } from "./process-admin-write.server";
import { processShopTask } from "./process-shop-task.server";
import { processWebhookJob } from "./process-webhook.server";
import { WEBHOOK_QUEUE, workerConnection } from "./queue.server";
import { SHOP_TASKS_QUEUE } from "./schedules.server";

export function startWebhookWorker(): Worker {
  const config = env();
  const worker = new Worker(WEBHOOK_QUEUE, processWebhookJob, {
    connection: workerConnection(),
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    // A worker that dies mid-job loses its lock; after lockDuration another worker takes the job over.
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    stalledInterval: config.WORKER_LOCK_DURATION_MS,
    maxStalledCount: 2,
  });
  worker.on("error", (error) => log.error("worker.error", { error: error.message }));
  return worker;
}

/** Refits and imports are heavy: one at a time per process, with a long lock (a 1M-customer refit takes minutes). */
export function startShopTaskWorker(): Worker {
  const config = env();
  const worker = new Worker(SHOP_TASKS_QUEUE, processShopTask, {
    connection: workerConnection(),
    prefix: config.QUEUE_PREFIX,
    concurrency: 1,
    lockDuration: config.SHOP_TASK_LOCK_DURATION_MS,
    stalledInterval: config.SHOP_TASK_LOCK_DURATION_MS,
  });
  worker.on("error", (error) => log.error("worker.error", { queue: SHOP_TASKS_QUEUE, error: error.message }));
  worker.on("failed", (job, error) => log.error("shop_task.failed", { shop: (job?.data as { shop?: string })?.shop, jobId: job?.id, error: error.message }));
  return worker;
}

/**
 * Admin writes mostly wait: on Shopify, and on the shop's cost bucket (shared through Redis by every
 * process). Several jobs at once keep other shops' writes moving while one shop's bucket refills.
 */
export const ADMIN_WRITES_CONCURRENCY = 8;

export function startAdminWritesWorker(): Worker {
  const config = env();
  const worker = new Worker(ADMIN_WRITES_QUEUE, (job) => processAdminWrite(job), {
    connection: workerConnection(),
    prefix: config.QUEUE_PREFIX,
    concurrency: ADMIN_WRITES_CONCURRENCY,
    // A job of 25 tag writes may wait minutes on a drained bucket.
    lockDuration: Math.max(config.WORKER_LOCK_DURATION_MS, 120_000),
  });
  worker.on("error", (error) => log.error("worker.error", { queue: ADMIN_WRITES_QUEUE, error: error.message }));
  return worker;
}

async function main(): Promise<void> {
  const config = env();
  const workers = [startWebhookWorker(), startShopTaskWorker(), startAdminWritesWorker()];
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  log.info("worker.started", { queue: WEBHOOK_QUEUE, concurrency: config.WORKER_CONCURRENCY, pid: process.pid });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("worker.stopping", { signal });
    // close() waits for in-flight jobs to finish before resolving.
    await Promise.all(workers.map((worker) => worker.close()));
    await prisma.$disconnect();
    log.info("worker.stopped", { signal });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

if (process.argv[1]?.endsWith("worker.server.ts") || process.argv[1]?.endsWith("worker.server.js")) {
  main().catch((error: unknown) => {
    log.error("worker.crashed", { error: (error as Error).message });
    process.exit(1);
  });
}
