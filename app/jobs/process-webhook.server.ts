// One processor for every webhook job: parse the body, then hand it to one domain function.
import { type Job, UnrecoverableError } from "bullmq";
import { onBulkOperationFinished } from "~/backfill/order-import.server";
import { prisma } from "~/db.server";
import { log } from "~/lib/log.server";
import { applyOrderEvents } from "~/orders/apply-order-events.server";
import { applyCustomerProfile, applyOrderDeletion, ensureShopExists, versionHashOf } from "~/orders/store.server";
import { exportCustomerData, forgetDeletedCustomer, redactCustomer } from "~/privacy/customer-data.server";
import {
  PayloadError,
  ZBulkOperationFinishWebhook,
  ZCustomerDeleteWebhook,
  ZCustomerWebhook,
  ZCustomersDataRequestWebhook,
  ZCustomersRedactWebhook,
  ZOrderDeleteWebhook,
  ZOrderWebhook,
  ZRefundWebhook,
  ZScopesUpdateWebhook,
  parsePayload,
  parseWebhookBody,
  toCustomer,
  toOrderFacts,
  toRefund,
} from "~/shopify/webhook-payloads";
import { recordBulkOperation, redactShop, uninstallShop, updateShopScopes } from "~/shops/lifecycle.server";
import { importTasks } from "./import-tasks.server";
import { OrderEventBatcher } from "./order-event-batcher.server";
import { type TWebhookJob, ZWebhookJob } from "./queue.server";
import { requestRefit } from "./shop-tasks.server";

/** Topics whose processing can change a customer's figures, and so the shop's models. */
const REFIT_TOPICS = new Set(["ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_PAID", "ORDERS_CANCELLED", "ORDERS_DELETE", "REFUNDS_CREATE"]);
const REFIT_REQUEST_INTERVAL_MS = 60_000;
const lastRefitRequest = new Map<string, number>();

/**
 * Asks for a (debounced, at most hourly) refit after order changes. The queue de-duplicates across
 * processes; this in-process throttle only spares Redis a call per order during bursts.
 */
async function noteOrderChange(shop: string): Promise<void> {
  const now = Date.now();
  if (now - (lastRefitRequest.get(shop) ?? 0) < REFIT_REQUEST_INTERVAL_MS) return;
  lastRefitRequest.set(shop, now);
  await requestRefit({ shop, trigger: "orders" });
}

/**
 * Order versions and refunds of concurrent jobs share transactions. Batches of up to 100 events keep
 * a transaction short (tens of ms) while cutting statements per event tenfold; 4 at once keep both
 * cores busy while the next batch gathers (measured: docs/decisions/0007).
 */
const orderEvents = new OrderEventBatcher({ maxBatch: 100, maxInFlight: 4, apply: applyOrderEvents });

export async function handleWebhook(job: TWebhookJob): Promise<string> {
  const { shop, topic } = job;
  const payload = parseWebhookBody(job.rawBody);
  switch (topic) {
    case "ORDERS_CREATE":
    case "ORDERS_UPDATED":
    case "ORDERS_PAID":
    case "ORDERS_CANCELLED":
    case "ORDERS_FULFILLED":
    case "ORDERS_PARTIALLY_FULFILLED":
    case "ORDERS_EDITED": {
      const order = toOrderFacts(parsePayload(ZOrderWebhook, payload));
      return orderEvents.apply({ kind: "order", shop, order, versionHash: versionHashOf(job.rawBody) });
    }
    case "ORDERS_DELETE": {
      const { id } = parsePayload(ZOrderDeleteWebhook, payload);
      await applyOrderDeletion({ shop, orderId: id });
      return "deleted";
    }
    case "REFUNDS_CREATE":
      return orderEvents.apply({ kind: "refund", shop, refund: toRefund(parsePayload(ZRefundWebhook, payload)) });
    case "CUSTOMERS_CREATE":
    case "CUSTOMERS_UPDATE":
      await applyCustomerProfile({ shop, profile: toCustomer(parsePayload(ZCustomerWebhook, payload)) });
      return "stored";
    case "CUSTOMERS_DELETE":
      await forgetDeletedCustomer({ shop, customerId: parsePayload(ZCustomerDeleteWebhook, payload).id });
      return "forgotten";
    case "CUSTOMERS_REDACT":
      await redactCustomer({ shop, customerId: parsePayload(ZCustomersRedactWebhook, payload).customer.id });
      return "redacted";
    case "CUSTOMERS_DATA_REQUEST": {
      const request = parsePayload(ZCustomersDataRequestWebhook, payload);
      const exportId = await exportCustomerData({
        shop,
        customerId: request.customer.id,
        dataRequestId: request.data_request?.id ?? null,
      });
      return `exported:${exportId}`;
    }
    case "SHOP_REDACT":
      await redactShop({ shop });
      return "redacted";
    case "APP_UNINSTALLED":
      await uninstallShop({ shop });
      return "uninstalled";
    case "APP_SCOPES_UPDATE":
      await updateShopScopes({ shop, scopes: parsePayload(ZScopesUpdateWebhook, payload).current });
      return "updated";
    case "BULK_OPERATIONS_FINISH": {
      const operation = parsePayload(ZBulkOperationFinishWebhook, payload);
      await recordBulkOperation({
        shop,
        id: operation.admin_graphql_api_id,
        status: operation.status,
        errorCode: operation.error_code,
        completedAt: operation.completed_at ?? null,
      });
      await onBulkOperationFinished({ shop, bulkOperationId: operation.admin_graphql_api_id, status: operation.status }, importTasks);
      return "recorded";
    }
    default:
      throw new PayloadError(`no handler for topic ${topic}`);
  }
}

/** Records a job that will not be retried, with its reason, where support can query it. */
export async function recordFailedJob(job: Job, data: Partial<TWebhookJob>, reason: string): Promise<void> {
  const shop = data.shop || "unknown";
  await ensureShopExists(shop);
  await prisma.$transaction(async (tx) => {
    await tx.failedJob.create({
      data: {
        shopDomain: shop,
        topic: data.topic ?? job.name,
        webhookId: data.webhookId ?? null,
        jobId: job.id ?? null,
        reason: reason.slice(0, 2000),
        attempts: job.attemptsMade + 1,
        rawBody: data.rawBody ?? null,
      },
    });
  });
}

export async function processWebhookJob(job: Job): Promise<string> {
  const parsed = ZWebhookJob.safeParse(job.data);
  const data: Partial<TWebhookJob> = parsed.success ? parsed.data : (job.data as Partial<TWebhookJob>);
  const fields = { shop: data.shop, topic: data.topic, webhookId: data.webhookId, jobId: job.id };
  try {
    if (!parsed.success) throw new PayloadError(`job data is malformed: ${parsed.error.issues[0]?.message}`);
    const outcome = await handleWebhook(parsed.data);
    if (REFIT_TOPICS.has(parsed.data.topic) && outcome !== "stale") await noteOrderChange(parsed.data.shop);
    log.info("webhook.processed", { ...fields, outcome });
    return outcome;
  } catch (error) {
    const reason = (error as Error).message;
    if (error instanceof PayloadError) {
      // Input that can never succeed: recorded and skipped, never retried.
      await recordFailedJob(job, data, reason);
      log.warn("webhook.rejected", { ...fields, reason });
      throw new UnrecoverableError(reason);
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (lastAttempt) await recordFailedJob(job, data, `gave up after ${job.attemptsMade + 1} attempts: ${reason}`);
    log.error("webhook.failed", { ...fields, attempt: job.attemptsMade + 1, lastAttempt, reason });
    throw error;
  }
}
