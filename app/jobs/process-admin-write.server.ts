// Processor for the admin-writes queue: validate the job, get the shop's Admin client, send its writes.
// Retryable failures are retried by BullMQ with exponential backoff; when the last attempt fails, the
// writes still pending are recorded in AdminWriteFailure with their variables, so none is lost.
import { type Job, UnrecoverableError } from "bullmq";
import { log } from "~/lib/log.server";
import { type AdminClient, AdminApiError, adminClientFor } from "~/shopify/admin-client.server";
import { AdminWritesInterrupted, planAdminWrite, recordAdminWriteFailures, sendWrites } from "~/shopify/apply-admin-write.server";
import { type TAdminWriteJob, ZAdminWriteJob } from "./admin-writes.server";

const isLastAttempt = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

export async function processAdminWrite(job: Job, clientFor: (shop: string) => Promise<AdminClient> = adminClientFor): Promise<string> {
  const parsed = ZAdminWriteJob.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`admin write job is malformed: ${parsed.error.issues[0]?.message}`);
  const data: TAdminWriteJob = parsed.data;
  try {
    const client = await clientFor(data.shop);
    const writes = await planAdminWrite(data, client);
    const { confirmed, refused } = await sendWrites(data.shop, client, writes);
    log.info("admin_write.done", { shop: data.shop, kind: data.kind, jobId: job.id, planned: writes.length, confirmed, refused });
    return `confirmed:${confirmed} refused:${refused}`;
  } catch (error) {
    const message = (error as Error).message;
    // A refused token or a refused definition will not change by retrying.
    const final = error instanceof AdminApiError && !error.retryable;
    if (final || isLastAttempt(job)) {
      if (error instanceof AdminWritesInterrupted) {
        await recordAdminWriteFailures(data.shop, error.pending.map((write) => ({ operation: write.operation, variables: write.variables, error: message })));
      } else {
        // Failed before any write was sent (no session, a definition refused): the job is the record.
        await recordAdminWriteFailures(data.shop, [{ operation: data.kind, variables: data, error: message }]);
      }
      log.error("admin_write.failed", { shop: data.shop, kind: data.kind, jobId: job.id, attempts: job.attemptsMade + 1, error: message });
      throw new UnrecoverableError(message);
    }
    log.warn("admin_write.retry", { shop: data.shop, kind: data.kind, jobId: job.id, attempt: job.attemptsMade + 1, error: message });
    throw error;
  }
}
