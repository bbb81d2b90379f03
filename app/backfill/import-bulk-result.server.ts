// Imports a bulk-operation result (JSONL, streamed) into the order store: lines → OrderFacts
// (bulk-orders.ts) → batches written set-based by importOrdersIn under the order store's rules, each
// in a short transaction holding the shop's exclusive import lock (docs/decisions/0010); then every
// customer of the shop is recomputed once (recomputeShopCustomers). Parsing the next batch overlaps
// the writing of the previous one; checkpoints are reported in file order.
import { createHash } from "node:crypto";
import { type Db, inTransaction, pool, sql } from "~/pg.server";
import { lockShopExclusive } from "~/orders/apply-order-events.server";
import { importOrdersIn } from "~/orders/import-orders.server";
import { recomputeShopCustomers } from "~/orders/recompute-shop-customers.server";
import { ensureShopExists } from "~/orders/store.server";
import { BulkOrderAssembler, type ImportedOrder, type LateLineItem, type MalformedLine } from "./bulk-orders";

export type BulkImportProgress = { linesCommitted: number; ordersImported: number };

/** The FailedJob topic of lines an import could not use. */
export const BULK_IMPORT_TOPIC = "BULK_IMPORT";

export const IMPORT_TUNING = {
  /**
   * Orders waiting for their line items (~5 KB each with their lines' text, promoted to V8's old
   * space: 5,000 of them cost ~100 MB of peak RSS, measured; 2,000 leave only rare far line items late).
   */
  windowOrders: 2_000,
  /** Orders handed on whose updated_at is remembered, to check late line items exactly; 20 B each (RecentVersions). */
  rememberedOrders: 100_000,
  /**
   * Orders per batch transaction (BULK_IMPORT_BATCH_ORDERS). A batch holds the shop's exclusive import
   * lock, so webhooks of the shop wait for it: ~0.3–0.6 s per 2,000 orders measured on the bench.
   */
  batchOrders: batchOrdersFromEnv(),
  /** Batches being written while the next is parsed; they take the shop's lock in turn. */
  batchesInFlight: 1,
};

function batchOrdersFromEnv(): number {
  const raw = process.env.BULK_IMPORT_BATCH_ORDERS;
  if (raw === undefined || raw.trim() === "") return 2_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`BULK_IMPORT_BATCH_ORDERS must be a positive integer, not ${JSON.stringify(raw)}`);
  return value;
}

type Batch = {
  orders: ImportedOrder[];
  late: LateLineItem[];
  malformed: MalformedLine[];
  /** Every line before this one is in this batch or an earlier one: resumable after commit. */
  safeLines: number;
  /** Orders of this import before safeLines. */
  ordersBefore: number;
};

const emptyBatch = (): Batch => ({ orders: [], late: [], malformed: [], safeLines: 0, ordersBefore: 0 });

/** A line an import could not use, recorded once per file position even if a resumed import meets it again. */
async function recordFailedLines(tx: Db, shop: string, failures: readonly MalformedLine[]): Promise<void> {
  if (failures.length === 0) return;
  const jobIds = failures.map((f) => `bulk-line-${f.line}-${createHash("sha256").update(f.text).digest("hex").slice(0, 16)}`);
  await tx.query(sql`
    INSERT INTO "FailedJob" ("shopDomain", "topic", "jobId", "reason", "attempts", "rawBody", "createdAt")
    SELECT ${shop}, ${BULK_IMPORT_TOPIC}, f.job_id, f.reason, 1, f.raw_body, now()
    FROM unnest(${jobIds}::text[], ${failures.map((f) => `line ${f.line + 1}: ${f.reason}`.slice(0, 2000))}::text[],
                ${failures.map((f) => f.text)}::text[]) AS f(job_id, reason, raw_body)
    WHERE NOT EXISTS (SELECT 1 FROM "FailedJob" j WHERE j."shopDomain" = ${shop} AND j."topic" = ${BULK_IMPORT_TOPIC} AND j."jobId" = f.job_id)`);
}

async function writeBatch(shop: string, batch: Batch): Promise<number> {
  return inTransaction(async (tx) => {
    await tx.query("SET LOCAL plan_cache_mode = auto");
    // Safe asynchronous commit: the checkpoint after the batch commits synchronously, which flushes
    // the batch too, so a crash can lose a batch only together with its checkpoint (it is re-read).
    await tx.query("SET LOCAL synchronous_commit = off");
    // Before any other lock: webhook-path writers of the shop take it SHARED first (lockShopsShared).
    await lockShopExclusive(tx, shop);
    const outcome = await importOrdersIn(tx, { shop, orders: batch.orders, lateLineItems: batch.late });
    const orphans = outcome.orphanLineItems.map((late) => ({
      line: late.line,
      text: late.text,
      reason: `line item of order ${late.orderId}, which is not in the result (its order line is missing or malformed)`,
    }));
    await recordFailedLines(tx, shop, [...batch.malformed, ...orphans]);
    return batch.malformed.length + orphans.length;
  });
}

export async function importBulkResult(options: {
  shop: string;
  /** The JSONL result, line by line or a chunk's lines at a time (linesOf), never whole in memory. */
  lines: AsyncIterable<string | readonly string[]>;
  /** Lines an earlier, interrupted attempt already committed: they are skipped, not re-parsed into writes. */
  skipLines: number;
  /** Called after each committed batch, in order; `linesCommitted` is safe to resume after (no pending order before it is lost). */
  onCheckpoint: (progress: BulkImportProgress) => Promise<void>;
}): Promise<{ linesRead: number; ordersImported: number; malformedLines: number; batchesSeconds: number; customersSeconds: number }> {
  const { shop, skipLines, onCheckpoint } = options;
  const started = performance.now();
  await ensureShopExists(shop);

  let batch = emptyBatch();
  const assembler = new BulkOrderAssembler(
    { windowOrders: IMPORT_TUNING.windowOrders, rememberedOrders: IMPORT_TUNING.rememberedOrders },
    {
      order: (order) => batch.orders.push(order),
      late: (item) => batch.late.push(item),
      malformed: (line) => batch.malformed.push(line),
    },
  );

  // Each batch's write, then its checkpoint once every earlier checkpoint is done: in file order.
  const inFlight: Promise<void>[] = [];
  let lastCheckpoint: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  let malformedLines = 0;
  let batchesWritten = 0;

  const dispatch = async (final: boolean) => {
    const cut = batch;
    batch = emptyBatch();
    cut.safeLines = assembler.safeLines;
    cut.ordersBefore = assembler.ordersEmitted;
    if (!final && cut.orders.length === 0 && cut.late.length === 0 && cut.malformed.length === 0) return;
    // A late line item may belong to an order in a batch still being written: let those commit first.
    const limit = cut.late.length > 0 ? 1 : IMPORT_TUNING.batchesInFlight;
    while (inFlight.length >= limit) await inFlight.shift();
    if (failure) return;
    if (batchesWritten === 1) {
      await Promise.all(inFlight);
      await pool.query(`ANALYZE "Order", "Refund", "DeletedOrder"`);
    }
    batchesWritten += 1;
    const written = writeBatch(shop, cut).then((failed) => {
      malformedLines += failed;
    });
    const checkpoint = Promise.all([lastCheckpoint, written]).then(() =>
      onCheckpoint({ linesCommitted: cut.safeLines, ordersImported: cut.ordersBefore }),
    );
    lastCheckpoint = checkpoint;
    // Failures surface when the batch is awaited; an unobserved rejection must not crash the process meanwhile.
    inFlight.push(
      checkpoint.catch((error: unknown) => {
        failure ??= error;
      }),
    );
  };

  let lineNumber = 0;
  reading: for await (const item of options.lines) {
    const texts = typeof item === "string" ? [item] : item;
    for (const text of texts) {
      if (lineNumber >= skipLines) assembler.push(lineNumber, text);
      lineNumber += 1;
      if (lineNumber === skipLines) assembler.skipTo(skipLines);
      if (batch.orders.length + batch.late.length >= IMPORT_TUNING.batchOrders || batch.malformed.length >= 1_000) {
        await dispatch(false);
        if (failure) break reading;
      }
    }
  }
  if (!failure) {
    assembler.skipTo(lineNumber);
    assembler.finish();
    await dispatch(true);
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  // Batches wrote facts only: every customer of the shop is recomputed from them, once. A run resumed
  // after a crash (even after its last checkpoint) ends here too, so no customer is left stale.
  const batchesDone = performance.now();
  await recomputeShopCustomers(shop);
  const seconds = (from: number, to: number) => Math.round((to - from) / 100) / 10;
  return {
    linesRead: lineNumber,
    ordersImported: assembler.ordersEmitted,
    malformedLines,
    batchesSeconds: seconds(started, batchesDone),
    customersSeconds: seconds(batchesDone, performance.now()),
  };
}

export { linesOf } from "./jsonl-lines";
