// Replays the UCI Online Retail data into a running Tenure as Shopify would send it: signed
// orders/create and refunds/create webhooks, POSTed to the real webhook routes, a bounded number in
// flight, retried on 5xx and connection errors. The file is streamed (gunzip → csv-parse), twice: a
// first pass finds the last invoice date (the date shift) and counts what will be sent.
import { createHmac } from "node:crypto";
import { DEMO_SHOP_DOMAIN } from "../../app/shops/demo-shop";
import { setMaxListeners } from "node:events";
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import {
  type ConversionCounts,
  type DemoWebhook,
  OnlineRetailConverter,
  RETAIL_COLUMNS,
  type RetailRow,
  dateShiftMs,
  parseInvoiceDate,
  webhookBody,
} from "./online-retail";

export const DEMO_SHOP = DEMO_SHOP_DOMAIN;
export const DEMO_SHOP_NAME = "Tenure demo — UK gift retailer";
export const DEMO_CSV_PATH = fileURLToPath(new URL("./online_retail.csv.gz", import.meta.url));
export const WEBHOOK_API_VERSION = "2026-10";

const ROUTES = { "orders/create": "/webhooks/orders", "refunds/create": "/webhooks/refunds" } as const;

/** Streams the rows of the gzipped CSV; never holds the file in memory. */
export async function* readOnlineRetail(csvPath: string = DEMO_CSV_PATH, signal?: AbortSignal): AsyncGenerator<RetailRow> {
  const source = createReadStream(csvPath);
  const parser = source.pipe(createGunzip()).pipe(parse({ columns: true, skip_empty_lines: true }));
  source.on("error", (error) => parser.destroy(error));
  let checked = false;
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      signal?.throwIfAborted();
      if (!checked) {
        const missing = RETAIL_COLUMNS.filter((column) => !(column in record));
        if (missing.length > 0) throw new Error(`${csvPath}: missing column(s) ${missing.join(", ")}`);
        checked = true;
      }
      yield record as RetailRow;
    }
  } finally {
    source.destroy();
    parser.destroy();
  }
}

export type ImportPlan = {
  /** The file's last InvoiceDate (epoch ms) and the shift that puts it on today. */
  lastInvoiceAt: number;
  shiftMs: number;
  /** What the import will send (with maxOrders applied). */
  counts: ConversionCounts;
};

/** First pass: the last invoice date of the whole file, and what converting it will give. */
export async function planImport(options: { csvPath?: string; maxOrders?: number; now?: Date; signal?: AbortSignal } = {}): Promise<ImportPlan> {
  const now = options.now ?? new Date();
  // Counting does not depend on the shift: convert unshifted, and keep reading for the last date.
  const converter = new OnlineRetailConverter({ shiftMs: 0, now: new Date(8.64e15), maxOrders: options.maxOrders });
  let last = Number.NEGATIVE_INFINITY;
  for await (const row of readOnlineRetail(options.csvPath, options.signal)) {
    last = Math.max(last, parseInvoiceDate(row.InvoiceDate));
    if (!converter.done) converter.push(row);
  }
  converter.finish();
  if (!Number.isFinite(last)) throw new Error(`${options.csvPath ?? DEMO_CSV_PATH} has no rows`);
  return { lastInvoiceAt: last, shiftMs: dateShiftMs(last, now), counts: converter.counts() };
}

/** Second pass: the webhooks, in date order, as the rows stream in. */
export async function* demoWebhooks(options: { csvPath?: string; maxOrders?: number; now: Date; shiftMs: number; signal?: AbortSignal }): AsyncGenerator<DemoWebhook> {
  const converter = new OnlineRetailConverter({ shiftMs: options.shiftMs, now: options.now, maxOrders: options.maxOrders });
  for await (const row of readOnlineRetail(options.csvPath, options.signal)) {
    yield* converter.push(row);
    if (converter.done) break;
  }
  yield* converter.finish();
}

export function signWebhookBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/** A webhook not answered within this is retried (Shopify itself gives up after 5 s). */
const REQUEST_TIMEOUT_MS = 30_000;

export class DeliveryError extends Error {
  override name = "DeliveryError";
}

/** Resolves after `ms`, or rejects when the signal aborts first (leaving no listener behind). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * POSTs one webhook signed exactly as Shopify signs it (tests/support/webhooks.ts). A 5xx, 429 or a
 * connection error is retried with backoff under the same X-Shopify-Webhook-Id, as Shopify retries;
 * any other non-2xx answer is a bug and fails at once.
 */
export async function deliverWebhook(options: {
  appUrl: string;
  secret: string;
  shop: string;
  topic: keyof typeof ROUTES;
  body: string;
  webhookId: string;
  attempts?: number;
  signal?: AbortSignal;
}): Promise<number> {
  const attempts = options.attempts ?? 10;
  const headers = {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": signWebhookBody(options.body, options.secret),
    "X-Shopify-Topic": options.topic,
    "X-Shopify-Shop-Domain": options.shop,
    "X-Shopify-API-Version": WEBHOOK_API_VERSION,
    "X-Shopify-Webhook-Id": options.webhookId,
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Event-Id": options.webhookId,
  };
  let problem = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    options.signal?.throwIfAborted();
    let retryAfterMs: number | null = null;
    // One controller per attempt, unhooked afterwards: fetch never releases the listener it adds to a
    // long-lived signal, and an import makes tens of thousands of requests.
    const request = new AbortController();
    const abort = () => request.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", abort, { once: true });
    const timeout = setTimeout(() => request.abort(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(`${options.appUrl}${ROUTES[options.topic]}`, { method: "POST", headers, body: options.body, signal: request.signal });
      const text = await response.text();
      if (response.ok) return attempt;
      problem = `HTTP ${response.status} ${text.slice(0, 200)}`.trim();
      if (response.status < 500 && response.status !== 429) {
        throw new DeliveryError(`${options.topic} ${options.webhookId} was refused: ${problem}`);
      }
      const retryAfter = Number(response.headers.get("retry-after"));
      if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = Math.min(retryAfter * 1000, 10_000);
    } catch (error) {
      if (error instanceof DeliveryError || options.signal?.aborted) throw error;
      problem = request.signal.aborted ? String((request.signal.reason as Error).message) : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    } finally {
      clearTimeout(timeout);
      options.signal?.removeEventListener("abort", abort);
    }
    if (attempt < attempts) await sleep(retryAfterMs ?? Math.min(200 * 2 ** (attempt - 1), 5_000), options.signal);
  }
  throw new DeliveryError(`${options.topic} ${options.webhookId} failed after ${attempts} attempts: ${problem}`);
}

export type ImportProgress = {
  phase: "planning" | "sending" | "sent";
  /** From the first pass; null while planning. */
  expected: { orders: number; refunds: number } | null;
  sent: { orders: number; refunds: number };
  /** Deliveries that needed more than one attempt. */
  retried: number;
  /** Since the import started, and since sending started (0 before). */
  elapsedMs: number;
  sendingMs: number;
};

export type ImportResult = {
  counts: ConversionCounts;
  sent: { orders: number; refunds: number };
  retried: number;
  lastInvoiceAt: Date;
  shiftDays: number;
  planMs: number;
  sendMs: number;
};

export type ImportOptions = {
  /** The running web process, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  /** The app's client secret (SHOPIFY_API_SECRET) the web process verifies webhooks with. */
  secret: string;
  shop?: string;
  /** Only the first N orders in date order (and the returns among them). */
  maxOrders?: number;
  csvPath?: string;
  /** Webhooks in flight at once. */
  concurrency?: number;
  now?: Date;
  signal?: AbortSignal;
  /** Called after planning, then at most every `progressEveryMs` and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
  progressEveryMs?: number;
  /** Called once the first pass knows what will be sent (to record it before sending). */
  onPlan?: (plan: ImportPlan) => void | Promise<void>;
  /** Makes X-Shopify-Webhook-Id unique to this import (BullMQ keeps ids a day and drops repeats). */
  runId?: string;
};

/** Replays the data set into a running app as signed webhooks. Resolves when every one was acknowledged. */
export async function importOnlineRetail(options: ImportOptions): Promise<ImportResult> {
  const shop = options.shop ?? DEMO_SHOP;
  const now = options.now ?? new Date();
  const concurrency = options.concurrency ?? 16;
  const runId = options.runId ?? Date.now().toString(36);
  new URL(options.appUrl); // a malformed URL fails here, not as ten failed deliveries
  const started = performance.now();
  let sendingFrom: number | null = null;
  const report = (phase: ImportProgress["phase"], expected: ImportProgress["expected"]) => {
    const now = performance.now();
    options.onProgress?.({ phase, expected, sent: { ...sent }, retried, elapsedMs: now - started, sendingMs: sendingFrom === null ? 0 : now - sendingFrom });
  };
  const sent = { orders: 0, refunds: 0 };
  let retried = 0;

  report("planning", null);
  const plan = await planImport({ csvPath: options.csvPath, maxOrders: options.maxOrders, now, signal: options.signal });
  await options.onPlan?.(plan);
  const planMs = performance.now() - started;
  sendingFrom = performance.now();
  const expected = { orders: plan.counts.orders, refunds: plan.counts.refunds };
  report("sending", expected);

  const failure = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failure.signal]) : failure.signal;
  // Each webhook in flight listens for an abort (and lets go when answered): `concurrency` at once.
  setMaxListeners(concurrency + 10, signal);
  const webhooks = demoWebhooks({ csvPath: options.csvPath, maxOrders: options.maxOrders, now, shiftMs: plan.shiftMs, signal });
  let lastReport = performance.now();
  let firstError: unknown = null;

  // Several senders pull from one generator; an async generator serves its next() calls in turn.
  const sender = async () => {
    for (;;) {
      if (signal.aborted) return;
      const next = await webhooks.next();
      if (next.done) return;
      const webhook = next.value;
      const kind = webhook.topic === "orders/create" ? "order" : "refund";
      const attempts = await deliverWebhook({
        appUrl: options.appUrl,
        secret: options.secret,
        shop,
        topic: webhook.topic,
        body: webhookBody(webhook),
        webhookId: `tenure-demo-${runId}-${kind}-${webhook.id}`,
        signal,
      });
      if (attempts > 1) retried += 1;
      if (kind === "order") sent.orders += 1;
      else sent.refunds += 1;
      if (options.onProgress && performance.now() - lastReport >= (options.progressEveryMs ?? 5_000)) {
        lastReport = performance.now();
        report("sending", expected);
      }
    }
  };
  const senders = Array.from({ length: concurrency }, () =>
    sender().catch((error: unknown) => {
      firstError ??= error;
      failure.abort(error);
    }),
  );
  await Promise.all(senders);
  await webhooks.return(undefined);
  if (firstError !== null) throw firstError;
  options.signal?.throwIfAborted();
  if (sent.orders !== expected.orders || sent.refunds !== expected.refunds) {
    throw new Error(`sent ${sent.orders} orders and ${sent.refunds} refunds, planned ${expected.orders} and ${expected.refunds}`);
  }
  report("sent", expected);
  return {
    counts: plan.counts,
    sent,
    retried,
    lastInvoiceAt: new Date(plan.lastInvoiceAt),
    shiftDays: Math.round(plan.shiftMs / 86_400_000),
    planMs,
    sendMs: performance.now() - started - planMs,
  };
}
