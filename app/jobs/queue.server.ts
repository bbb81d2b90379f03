// BullMQ queue definitions shared by the web process (producer) and the worker (consumer).
import { Queue, type ConnectionOptions } from "bullmq";
import { z } from "zod";
import { env } from "~/env.server";

export const WEBHOOK_QUEUE = "webhooks";

/** What the web process hands to the worker: the verified delivery, body untouched. */
export const ZWebhookJob = z.object({
  shop: z.string().min(1),
  /** Shopify's topic in storage form, e.g. ORDERS_CREATE. */
  topic: z.string().min(1),
  webhookId: z.string().min(1),
  apiVersion: z.string(),
  triggeredAt: z.string().nullable(),
  eventId: z.string().nullable(),
  receivedAt: z.string(),
  /** The raw body; parsed in the worker, losslessly (Shopify ids exceed 2^53). */
  rawBody: z.string(),
});
export type TWebhookJob = z.infer<typeof ZWebhookJob>;

export const WEBHOOK_JOB_ATTEMPTS = 8;

function redisConnection(extra: Record<string, unknown>): ConnectionOptions {
  const url = new URL(env().REDIS_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === "rediss:" ? {} : undefined,
    ...extra,
  } as ConnectionOptions;
}

/** Producers fail fast: a webhook that cannot be queued must get a 503 at once, not hang. */
export const producerConnection = () =>
  redisConnection({ enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
/** Workers wait for Redis forever (BullMQ's requirement for blocking connections). */
export const workerConnection = () => redisConnection({ maxRetriesPerRequest: null });

let webhookQueue: Queue | undefined;

export function getWebhookQueue(): Queue {
  webhookQueue ??= new Queue(WEBHOOK_QUEUE, {
    connection: producerConnection(),
    prefix: env().QUEUE_PREFIX,
    defaultJobOptions: {
      attempts: WEBHOOK_JOB_ATTEMPTS,
      backoff: { type: "exponential", delay: 1000 },
      // Completed jobs are kept a day so a re-delivered webhook id is recognised and not queued twice.
      removeOnComplete: { age: 24 * 3600, count: 200_000 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  });
  // Connection errors surface as rejected adds (→ 503); this only keeps them out of unhandled events.
  webhookQueue.on("error", () => undefined);
  return webhookQueue;
}

/** BullMQ job ids may not contain ':'; Shopify webhook ids are UUID-like. */
export function webhookJobId(webhookId: string): string {
  return `wh-${webhookId.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

export class QueueUnavailableError extends Error {
  override name = "QueueUnavailableError";
}

const ENQUEUE_TIMEOUT_MS = 3000;

/** Queues one webhook delivery; resolves only once Redis has accepted the job. */
export async function enqueueWebhook(job: TWebhookJob): Promise<void> {
  const queue = getWebhookQueue();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError("Redis did not accept the job in time")), ENQUEUE_TIMEOUT_MS);
  });
  try {
    await Promise.race([
      (async () => {
        await queue.waitUntilReady();
        await queue.add(job.topic, job, { jobId: webhookJobId(job.webhookId) });
      })(),
      timeout,
    ]);
  } catch (error) {
    if (error instanceof QueueUnavailableError) throw error;
    throw new QueueUnavailableError((error as Error).message);
  } finally {
    clearTimeout(timer);
  }
}
