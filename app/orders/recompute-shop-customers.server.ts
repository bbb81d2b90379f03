// Writes every customer of a shop from stored facts, set-based and in chunks: the end of every
// backfill run (docs/decisions/0010, 0013). Import batches write orders and refunds, and append
// profiles to "ImportProfile"; here each customer is written once, profile and figures together.
//
// Exactness: SQL only sums and takes extremes over the counted orders (exact numeric sums, timestamps
// to the millisecond); the figures are then finished by figuresFromTotals, the second half of
// computeCustomerFigures itself. A randomized test compares this with recomputeCustomers.
//
// Profiles: a customer's appended profiles are folded into one (winners, below) and written with
// saveProfiles's rule (never over an erasure, never over a newer profile), checked against the row as
// it is when written; then the chunk's appended profiles are deleted.
//
// Locking: each chunk is one transaction under one slot of the shop's EXCLUSIVE import lock, so no
// webhook-path write of the shop (which takes every slot SHARED first) runs meanwhile; chunks cover
// disjoint customers, so two of them (two slots) run side by side. A webhook after a chunk recomputes
// its own customers from stored facts, as always.
import { type CustomerFigures, figuresFromTotals } from "~/ltv/customer-figures";
import { money } from "~/ltv/money";
import { type Db, SqlText, inTransaction, pool, sql } from "~/pg.server";
import { IMPORT_LOCK_SLOTS, lockShopExclusive } from "./apply-order-events.server";
import { copyRows } from "./copy-rows.server";

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Customers per transaction (an order counts as a quarter of a customer, so large buyers make smaller chunks). */
export const RECOMPUTE_CHUNK_CUSTOMERS = 5_000;

/** A staged profile replaces the stored one (compared with the row as it is when written). */
const PROFILE_APPLIES = new SqlText(`("Customer"."redactedAt" IS NULL AND "Customer"."deletedAt" IS NULL
    AND ("Customer"."profileUpdatedAt" IS NULL OR EXCLUDED."profileUpdatedAt" IS NULL OR EXCLUDED."profileUpdatedAt" >= "Customer"."profileUpdatedAt")
    AND ("Customer"."email", "Customer"."firstName", "Customer"."lastName") IS DISTINCT FROM (EXCLUDED."email", EXCLUDED."firstName", EXCLUDED."lastName"))`);

/** A customer of a chunk: totals of their counted orders, whether they have a row, their folded appended profile. */
type ChunkRow = {
  id: string;
  count: number;
  gross: string | null;
  refunds: string | null;
  first: Date | null;
  last: Date | null;
  hasRow: boolean;
  staged: boolean;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  profileUpdatedAt: Date | null;
};

/** Writes the customers with ids in (after, upTo] (null: unbounded). Returns rows written. */
async function recomputeRange(tx: Db, shop: string, after: bigint | null, upTo: bigint | null): Promise<number> {
  // Bounds are bigints read from the database, so they are written into the text as digits: the
  // planner sees the range.
  const inRange = (column: string) =>
    new SqlText(`${after === null ? "true" : `${column} > ${after.toString()}`} AND ${upTo === null ? "true" : `${column} <= ${upTo.toString()}`}`);
  // Every customer in the range: those with a row (their orders may all have moved away), with orders, or with a staged profile.
  const { rows } = await tx.query<ChunkRow>(sql`
    WITH staged AS (
      SELECT p.*, max(p."seq") FILTER (WHERE p."profileUpdatedAt" IS NULL) OVER (PARTITION BY p."id") AS last_untimed
      FROM "ImportProfile" p WHERE p."shopDomain" = ${shop} AND ${inRange(`p."id"`)}),
    -- One profile per customer, as applying them in file order with saveProfiles's rule would give: a
    -- profile replaces the one before unless it is older, one without a time always replaces. So the
    -- winner comes after the last one without a time, and among those is the newest (latest on a tie).
    winners AS (
      SELECT DISTINCT ON (s."id") s."id", s."email", s."firstName", s."lastName", s."profileUpdatedAt"
      FROM staged s WHERE s.last_untimed IS NULL OR s."seq" >= s.last_untimed
      ORDER BY s."id", s."profileUpdatedAt" DESC NULLS LAST, s."seq" DESC),
    totals AS (
      SELECT o."customerId" AS id, count(*)::int AS count, sum(o."totalPrice")::text AS gross, sum(o."refunded")::text AS refunds,
             min(o."processedAt") AT TIME ZONE 'UTC' AS first, max(o."processedAt") AT TIME ZONE 'UTC' AS last
      FROM "Order" o
      WHERE o."shopDomain" = ${shop} AND o."customerId" IS NOT NULL AND ${inRange(`o."customerId"`)}
        AND NOT o."test" AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL
      GROUP BY o."customerId"),
    ids AS (
      SELECT id, bool_or(has_row) AS has_row FROM (
        SELECT c."id", true AS has_row FROM "Customer" c WHERE c."shopDomain" = ${shop} AND ${inRange(`c."id"`)}
        UNION ALL
        SELECT w."id", false FROM winners w
        UNION ALL
        SELECT DISTINCT o."customerId", false FROM "Order" o
        WHERE o."shopDomain" = ${shop} AND o."customerId" IS NOT NULL AND ${inRange(`o."customerId"`)}) AS any_id
      GROUP BY id)
    SELECT ids."id"::text AS id, COALESCE(t.count, 0) AS count, t.gross, t.refunds, t.first, t.last, ids.has_row AS "hasRow",
           p."id" IS NOT NULL AS staged, p."email", p."firstName", p."lastName", p."profileUpdatedAt" AT TIME ZONE 'UTC' AS "profileUpdatedAt"
    FROM ids LEFT JOIN totals t ON t.id = ids."id"
    LEFT JOIN winners p ON p."id" = ids."id"
    ORDER BY ids."id"`);
  if (rows.length === 0) return 0;
  const figuresOf = (row: (typeof rows)[number]) =>
    figuresFromTotals({ ordersCount: row.count, grossSales: money(row.gross ?? 0), refunds: money(row.refunds ?? 0), firstOrderAt: row.first, lastOrderAt: row.last });

  // Customers without a row (most, in a first import) go straight in with COPY: nothing to compare.
  // Under the import lock only an erasure can add a row meanwhile; its key violation fails the chunk,
  // and the retried import finds the row.
  const fresh = rows.filter((row) => !row.hasRow);
  await copyRows(
    tx,
    `"Customer" ("shopDomain", "id", "email", "firstName", "lastName", "profileUpdatedAt", "ordersCount", "grossSales", "refunds",
      "netRevenue", "averageOrderValue", "firstOrderAt", "lastOrderAt", "tenureDays", "purchaseFrequency", "figuresUpdatedAt")`,
    fresh.map((row) => {
      const f = figuresOf(row);
      return [
        shop, row.id, row.email, row.firstName, row.lastName, iso(row.profileUpdatedAt), f.ordersCount, f.grossSales.toString(),
        f.refunds.toString(), f.netRevenue.toString(), f.averageOrderValue?.toString() ?? null, iso(f.firstOrderAt), iso(f.lastOrderAt),
        f.tenureDays, f.purchaseFrequency, new Date().toISOString(),
      ];
    }),
  );
  const existing = rows.filter((row) => row.hasRow);
  const updated = await upsertExisting(tx, shop, existing.map((row) => ({ row, figures: figuresOf(row) })));
  await tx.query(sql`DELETE FROM "ImportProfile" p WHERE p."shopDomain" = ${shop} AND ${inRange(`p."id"`)}`);
  return fresh.length + updated;
}

/**
 * Customers that have a row: figures, and the folded profile when there is one, in one upsert. Only
 * rows whose figures or profile differ are written: a re-import that changes nothing leaves every row
 * as it was. Returns the rows written.
 */
async function upsertExisting(tx: Db, shop: string, customers: readonly { row: ChunkRow; figures: CustomerFigures }[]): Promise<number> {
  if (customers.length === 0) return 0;
  const existing = customers.map((c) => c.row);
  const figures = customers.map((c) => c.figures);
  // The profile offered is the folded one, else the stored one (which then changes nothing).
  const result = await tx.query(sql`
    INSERT INTO "Customer" ("shopDomain", "id", "email", "firstName", "lastName", "profileUpdatedAt", "ordersCount", "grossSales", "refunds", "netRevenue",
                            "averageOrderValue", "firstOrderAt", "lastOrderAt", "tenureDays", "purchaseFrequency", "figuresUpdatedAt")
    SELECT ${shop}, f.id,
           CASE WHEN f.staged THEN f.email ELSE c."email" END, CASE WHEN f.staged THEN f.first_name ELSE c."firstName" END,
           CASE WHEN f.staged THEN f.last_name ELSE c."lastName" END,
           CASE WHEN f.staged THEN f.profile_updated_at ELSE c."profileUpdatedAt" END,
           f.orders_count, f.gross_sales, f.refunds, f.net_revenue, f.average_order_value, f.first_order_at, f.last_order_at,
           f.tenure_days, f.purchase_frequency, now()
    FROM unnest(${existing.map((r) => r.id)}::bigint[], ${figures.map((f) => f.ordersCount)}::int[],
                ${figures.map((f) => f.grossSales.toString())}::numeric[], ${figures.map((f) => f.refunds.toString())}::numeric[],
                ${figures.map((f) => f.netRevenue.toString())}::numeric[], ${figures.map((f) => f.averageOrderValue?.toString() ?? null)}::numeric[],
                ${figures.map((f) => iso(f.firstOrderAt))}::timestamp(3)[], ${figures.map((f) => iso(f.lastOrderAt))}::timestamp(3)[],
                ${figures.map((f) => f.tenureDays)}::float8[], ${figures.map((f) => f.purchaseFrequency)}::float8[],
                ${existing.map((r) => String(r.staged))}::boolean[], ${existing.map((r) => r.email)}::text[],
                ${existing.map((r) => r.firstName)}::text[], ${existing.map((r) => r.lastName)}::text[],
                ${existing.map((r) => iso(r.profileUpdatedAt))}::timestamp(3)[])
      AS f(id, orders_count, gross_sales, refunds, net_revenue, average_order_value, first_order_at, last_order_at, tenure_days,
           purchase_frequency, staged, email, first_name, last_name, profile_updated_at)
    LEFT JOIN "Customer" c ON c."shopDomain" = ${shop} AND c."id" = f.id
    ON CONFLICT ("shopDomain", "id") DO UPDATE SET
      "ordersCount" = EXCLUDED."ordersCount", "grossSales" = EXCLUDED."grossSales", "refunds" = EXCLUDED."refunds",
      "netRevenue" = EXCLUDED."netRevenue", "averageOrderValue" = EXCLUDED."averageOrderValue",
      "firstOrderAt" = EXCLUDED."firstOrderAt", "lastOrderAt" = EXCLUDED."lastOrderAt",
      "tenureDays" = EXCLUDED."tenureDays", "purchaseFrequency" = EXCLUDED."purchaseFrequency", "figuresUpdatedAt" = now(),
      "email" = CASE WHEN ${PROFILE_APPLIES} THEN EXCLUDED."email" ELSE "Customer"."email" END,
      "firstName" = CASE WHEN ${PROFILE_APPLIES} THEN EXCLUDED."firstName" ELSE "Customer"."firstName" END,
      "lastName" = CASE WHEN ${PROFILE_APPLIES} THEN EXCLUDED."lastName" ELSE "Customer"."lastName" END,
      "profileUpdatedAt" = CASE WHEN ${PROFILE_APPLIES} THEN EXCLUDED."profileUpdatedAt" ELSE "Customer"."profileUpdatedAt" END
    WHERE ("Customer"."ordersCount", "Customer"."grossSales", "Customer"."refunds", "Customer"."netRevenue", "Customer"."averageOrderValue",
           "Customer"."firstOrderAt", "Customer"."lastOrderAt", "Customer"."tenureDays", "Customer"."purchaseFrequency")
      IS DISTINCT FROM (EXCLUDED."ordersCount", EXCLUDED."grossSales", EXCLUDED."refunds", EXCLUDED."netRevenue", EXCLUDED."averageOrderValue",
           EXCLUDED."firstOrderAt", EXCLUDED."lastOrderAt", EXCLUDED."tenureDays", EXCLUDED."purchaseFrequency")
      OR ${PROFILE_APPLIES}`);
  return result.rowCount ?? 0;
}

/**
 * Chunk bounds over every customer id of the shop (rows, orders, staged profiles): ascending upper
 * bounds, the last one null (unbounded). Any partition is correct — each chunk recomputes everything
 * in its range under the lock — so they are computed once, up front, without it.
 */
async function chunkBounds(shop: string, chunk: number): Promise<(bigint | null)[]> {
  const { rows } = await pool.query<{ upTo: string }>(sql`
    WITH per AS (
      SELECT id, sum(orders) AS orders FROM (
        SELECT o."customerId" AS id, count(*) AS orders FROM "Order" o WHERE o."shopDomain" = ${shop} AND o."customerId" IS NOT NULL GROUP BY 1
        UNION ALL SELECT c."id", 0 FROM "Customer" c WHERE c."shopDomain" = ${shop}
        UNION ALL SELECT p."id", 0 FROM "ImportProfile" p WHERE p."shopDomain" = ${shop}) AS x
      GROUP BY id),
    weighted AS (SELECT id, floor(sum(1 + orders / 4.0) OVER (ORDER BY id) / ${chunk}) AS bucket FROM per)
    SELECT max(id)::text AS "upTo" FROM weighted GROUP BY bucket ORDER BY max(id)`);
  const bounds: (bigint | null)[] = rows.map((row) => BigInt(row.upTo));
  bounds[bounds.length - 1] = null;
  return bounds.length > 0 ? bounds : [null];
}

/**
 * Writes every customer of the shop (every Customer row, staged profile and customer with an order),
 * in chunks of about `chunk` customers, each one short transaction under one slot of the shop's
 * exclusive import lock, IMPORT_LOCK_SLOTS at a time. Returns the rows written.
 */
export async function recomputeShopCustomers(shop: string, chunk = RECOMPUTE_CHUNK_CUSTOMERS): Promise<number> {
  // The tables this pass reads grew by a whole import: plans need their new sizes.
  await pool.query(`ANALYZE "ImportProfile", "Customer", "Order"`);
  const bounds = await chunkBounds(shop, chunk);
  let next = 0;
  let written = 0;
  const lane = async (slot: number) => {
    while (next < bounds.length) {
      const index = next++;
      const after = index === 0 ? null : bounds[index - 1]!;
      written += await inTransaction(async (tx) => {
        // Safe asynchronous commit: the job's next synchronous commit (the run's status) flushes it.
        await tx.query("SET LOCAL synchronous_commit = off");
        await tx.query("SET LOCAL plan_cache_mode = auto");
        await lockShopExclusive(tx, shop, slot);
        return recomputeRange(tx, shop, after, bounds[index]!);
      });
    }
  };
  await Promise.all(Array.from({ length: IMPORT_LOCK_SLOTS }, (_, slot) => lane(slot)));
  return written;
}
