// Recomputes every customer of a shop from stored facts, set-based and in chunks: the end of every
// backfill run (docs/decisions/0010). Import batches write orders, line items, refunds and profiles
// only; the customers they touch are brought up to date here, once each, instead of once per batch.
//
// Exactness: SQL only sums and takes extremes over the counted orders (exact numeric sums, timestamps
// to the millisecond); the figures are then finished by figuresFromTotals, the second half of
// computeCustomerFigures itself. A randomized test compares this with recomputeCustomers.
//
// Locking: each chunk is one transaction under the shop's EXCLUSIVE import lock, so no webhook-path
// write of the shop (which takes it SHARED first) runs meanwhile; a webhook after the chunk recomputes
// its own customers from stored facts, as always.
import { figuresFromTotals } from "~/ltv/customer-figures";
import { money } from "~/ltv/money";
import { type Db, inTransaction, sql } from "~/pg.server";
import { CUSTOMER_FIGURES_UPSERT, lockShopExclusive } from "./apply-order-events.server";

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Customers per transaction: one chunk reads their orders through the (shopDomain, customerId) index. */
export const RECOMPUTE_CHUNK_CUSTOMERS = 5_000;

/** Recomputes the customers with ids in (after, upTo] (upTo null: no upper bound). Returns rows changed. */
async function recomputeRange(tx: Db, shop: string, after: bigint | null, upTo: bigint | null): Promise<number> {
  const lower = after?.toString() ?? null;
  const upper = upTo?.toString() ?? null;
  // Every customer in the range: those with a row (their orders may all have moved away) and those with orders.
  const { rows } = await tx.query<{ id: string; count: number; gross: string | null; refunds: string | null; first: Date | null; last: Date | null }>(sql`
    WITH totals AS (
      SELECT o."customerId" AS id, count(*)::int AS count, sum(o."totalPrice")::text AS gross, sum(o."refunded")::text AS refunds,
             min(o."processedAt") AT TIME ZONE 'UTC' AS first, max(o."processedAt") AT TIME ZONE 'UTC' AS last
      FROM "Order" o
      WHERE o."shopDomain" = ${shop} AND o."customerId" IS NOT NULL
        AND (${lower}::bigint IS NULL OR o."customerId" > ${lower}::bigint) AND (${upper}::bigint IS NULL OR o."customerId" <= ${upper}::bigint)
        AND NOT o."test" AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL
      GROUP BY o."customerId"),
    ids AS (
      SELECT c."id" FROM "Customer" c
      WHERE c."shopDomain" = ${shop}
        AND (${lower}::bigint IS NULL OR c."id" > ${lower}::bigint) AND (${upper}::bigint IS NULL OR c."id" <= ${upper}::bigint)
      UNION
      SELECT DISTINCT o."customerId" FROM "Order" o
      WHERE o."shopDomain" = ${shop} AND o."customerId" IS NOT NULL
        AND (${lower}::bigint IS NULL OR o."customerId" > ${lower}::bigint) AND (${upper}::bigint IS NULL OR o."customerId" <= ${upper}::bigint))
    SELECT ids."id"::text AS id, COALESCE(t.count, 0) AS count, t.gross, t.refunds, t.first, t.last
    FROM ids LEFT JOIN totals t ON t.id = ids."id"
    ORDER BY ids."id"`);
  if (rows.length === 0) return 0;
  const figures = rows.map((row) =>
    figuresFromTotals({ ordersCount: row.count, grossSales: money(row.gross ?? 0), refunds: money(row.refunds ?? 0), firstOrderAt: row.first, lastOrderAt: row.last }),
  );
  // Only rows whose figures differ are written: a re-import that changes nothing leaves every row as it was.
  const result = await tx.query(sql`
    INSERT INTO "Customer" ("shopDomain", "id", "ordersCount", "grossSales", "refunds", "netRevenue", "averageOrderValue",
                            "firstOrderAt", "lastOrderAt", "tenureDays", "purchaseFrequency", "figuresUpdatedAt")
    SELECT ${shop}, f.*, now()
    FROM unnest(${rows.map((r) => r.id)}::bigint[], ${figures.map((f) => f.ordersCount)}::int[],
                ${figures.map((f) => f.grossSales.toString())}::numeric[], ${figures.map((f) => f.refunds.toString())}::numeric[],
                ${figures.map((f) => f.netRevenue.toString())}::numeric[], ${figures.map((f) => f.averageOrderValue?.toString() ?? null)}::numeric[],
                ${figures.map((f) => iso(f.firstOrderAt))}::timestamp(3)[], ${figures.map((f) => iso(f.lastOrderAt))}::timestamp(3)[],
                ${figures.map((f) => f.tenureDays)}::float8[], ${figures.map((f) => f.purchaseFrequency)}::float8[]) AS f
    ${CUSTOMER_FIGURES_UPSERT}
    WHERE ("Customer"."ordersCount", "Customer"."grossSales", "Customer"."refunds", "Customer"."netRevenue", "Customer"."averageOrderValue",
           "Customer"."firstOrderAt", "Customer"."lastOrderAt", "Customer"."tenureDays", "Customer"."purchaseFrequency")
      IS DISTINCT FROM (EXCLUDED."ordersCount", EXCLUDED."grossSales", EXCLUDED."refunds", EXCLUDED."netRevenue", EXCLUDED."averageOrderValue",
           EXCLUDED."firstOrderAt", EXCLUDED."lastOrderAt", EXCLUDED."tenureDays", EXCLUDED."purchaseFrequency")`);
  return result.rowCount ?? 0;
}

/**
 * Recomputes every customer of the shop (every Customer row and every customer with an order), in
 * chunks of RECOMPUTE_CHUNK_CUSTOMERS ids, each chunk one short transaction under the shop's
 * exclusive import lock. Returns the rows whose figures changed.
 */
export async function recomputeShopCustomers(shop: string, chunk = RECOMPUTE_CHUNK_CUSTOMERS): Promise<number> {
  let after: bigint | null = null;
  let changed = 0;
  for (;;) {
    const from = after;
    const done: { changed: number; upTo: bigint | null } = await inTransaction(async (tx) => {
      await tx.query("SET LOCAL plan_cache_mode = auto");
      await lockShopExclusive(tx, shop);
      // The chunk ends at the chunk-th customer row or the (4 × chunk)-th order after `from`, whichever
      // comes first: at most `chunk` rows and 4 × chunk orders per transaction. Neither: the last chunk.
      const lower = from?.toString() ?? null;
      const { rows } = await tx.query<{ byRows: string | null; byOrders: string | null }>(sql`
        SELECT (SELECT c."id" FROM "Customer" c WHERE c."shopDomain" = ${shop} AND (${lower}::bigint IS NULL OR c."id" > ${lower}::bigint)
                ORDER BY c."id" OFFSET ${chunk - 1} LIMIT 1)::text AS "byRows",
               (SELECT o."customerId" FROM "Order" o WHERE o."shopDomain" = ${shop} AND o."customerId" IS NOT NULL
                  AND (${lower}::bigint IS NULL OR o."customerId" > ${lower}::bigint)
                ORDER BY o."customerId" OFFSET ${4 * chunk - 1} LIMIT 1)::text AS "byOrders"`);
      const bounds = [rows[0]?.byRows, rows[0]?.byOrders].filter((id): id is string => id != null).map(BigInt);
      const upTo = bounds.length === 0 ? null : bounds.reduce((a, b) => (a < b ? a : b));
      return { changed: await recomputeRange(tx, shop, from, upTo), upTo };
    });
    changed += done.changed;
    if (done.upTo === null) return changed;
    after = done.upTo;
  }
}
