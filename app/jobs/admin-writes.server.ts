// Writes to the shop's Shopify admin (tags, metafields, Flow triggers) run as small jobs on their own
// queue, so a refit or a merchant's click never waits on Shopify's rate limit, a failure is retried
// with backoff, and several worker processes share the work (and, through Redis, each shop's cost
// bucket: app/shopify/cost-limiter.server.ts). docs/decisions/0011.
import { createHash } from "node:crypto";
import { Queue } from "bullmq";
import { z } from "zod";
import { env } from "~/env.server";
import { workerConnection } from "./queue.server";

export const ADMIN_WRITES_QUEUE = "admin-writes";
export const ADMIN_WRITE_ATTEMPTS = 5;

/** Customers per job: one tagsAdd/tagsRemove or Flow call each. */
export const TAG_JOB_CUSTOMERS = 25;
/** Customers per metafields job: 5 metafields each, 5 customers per metafieldsSet call (≤ 25 metafields). */
export const METAFIELD_JOB_CUSTOMERS = 50;
export const METAFIELD_CALL_CUSTOMERS = 5;

const customerId = z.string().regex(/^\d+$/);
const tag = z.string().min(1).max(40);

export const ZAdminWriteJob = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("high_value_tags"),
    shop: z.string().min(1),
    /** Per customer: Tenure's tag to take off (the one it wrote before) and the one to put on. */
    changes: z.array(z.object({ customerId, remove: tag.nullable(), add: tag.nullable() })).min(1).max(TAG_JOB_CUSTOMERS),
  }),
  z.object({
    kind: z.literal("tag_customers"),
    shop: z.string().min(1),
    tag,
    customerIds: z.array(customerId).min(1).max(TAG_JOB_CUSTOMERS),
  }),
  z.object({
    kind: z.literal("metafields"),
    shop: z.string().min(1),
    customers: z
      .array(z.object({ customerId, values: z.record(z.string(), z.string()), digest: z.string() }))
      .min(1)
      .max(METAFIELD_JOB_CUSTOMERS),
  }),
  z.object({
    /** The merchant turned LTV metafields off: delete Tenure's definitions and every value under them. */
    kind: z.literal("remove_metafields"),
    shop: z.string().min(1),
  }),
  z.object({
    kind: z.literal("high_value_flow"),
    shop: z.string().min(1),
    customers: z
      .array(z.object({ customerId, historicalLtv: z.string(), predictedClv: z.string().nullable(), valueTier: z.string() }))
      .min(1)
      .max(TAG_JOB_CUSTOMERS),
  }),
]);
export type TAdminWriteJob = z.infer<typeof ZAdminWriteJob>;

let queue: Queue | undefined;

export function getAdminWritesQueue(): Queue {
  queue ??= new Queue(ADMIN_WRITES_QUEUE, {
    connection: workerConnection(),
    prefix: env().QUEUE_PREFIX,
    defaultJobOptions: {
      attempts: ADMIN_WRITE_ATTEMPTS,
      backoff: { type: "exponential", delay: 5_000 },
      // Finished jobs go at once: their ids are content hashes, and the same write may be wanted again
      // later (a tag removed, then added back). Failures are kept in AdminWriteFailure, not here.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  return queue;
}

/** BullMQ allows no ':' in ids; the content hash makes a job queued twice (two syncs racing) run once. */
export function adminWriteJobId(job: TAdminWriteJob): string {
  return `${job.kind}-${job.shop}-${createHash("sha1").update(JSON.stringify(job)).digest("hex")}`;
}

/** Lowest priority BullMQ accepts. */
const LOWEST_PRIORITY = 2_097_152;

/**
 * Queues a shop's writes. The k-th job of a batch gets priority k, so a shop with a long backlog does
 * not hold back another shop's first writes: jobs of many shops interleave.
 */
export async function enqueueAdminWrites(jobs: TAdminWriteJob[]): Promise<number> {
  const queue = getAdminWritesQueue();
  // A first sync of a large shop is tens of thousands of jobs: added a thousand per round trip.
  for (let start = 0; start < jobs.length; start += 1_000) {
    await queue.addBulk(
      jobs.slice(start, start + 1_000).map((job, offset) => ({
        name: job.kind,
        data: job,
        opts: { jobId: adminWriteJobId(job), priority: Math.min(LOWEST_PRIORITY, start + offset + 1) },
      })),
    );
  }
  return jobs.length;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
