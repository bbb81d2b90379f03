// The order store: applies order and refund events idempotently and recomputes the customers they
// touch from stored facts, all in one transaction. Any delivery order, duplicate or replay converges
// to the same state: the newest order version wins (isNewerVersion), refunds are keyed by id, and a
// customer's figures are recomputed from scratch under a per-customer lock. Order versions and
// refunds — nearly all the traffic — are applied in batches by apply-order-events.server.ts under the
// same rules and locks; deletions and profiles are here.
import { createHash } from "node:crypto";
import { type Db, inTransaction, pool, sql } from "~/pg.server";
import type { CustomerProfile } from "~/ltv/order-facts";
import { lockShopsShared, recomputeCustomers as recomputeCustomerFigures, saveProfiles } from "./apply-order-events.server";

type Tx = Db;

/**
 * Serialises work on one resource across every worker process: a transaction-scoped advisory lock.
 * Orders are always locked before customers, so two jobs can never wait on each other in a cycle.
 */
async function lock(tx: Tx, key: string): Promise<void> {
  await tx.query(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/** A verified webhook from a shop with no record creates the record: Shopify only sends to installed shops. */
export async function ensureShop(tx: Tx, shop: string, currency?: string | null): Promise<void> {
  // DO NOTHING takes no lock on an existing row (DO UPDATE would lock the shop's row and serialise
  // every concurrent job of the shop behind it). The UPDATE, in the same round trip, locks the row
  // only in the rare case that it still lacks a currency.
  await tx.query(sql`
    WITH inserted AS (
      INSERT INTO "Shop" ("domain", "currency", "createdAt", "updatedAt")
      VALUES (${shop}, ${currency ?? null}, now(), now())
      ON CONFLICT ("domain") DO NOTHING
      RETURNING 1)
    UPDATE "Shop" SET "currency" = ${currency ?? null}, "updatedAt" = now()
    WHERE "domain" = ${shop} AND "currency" IS NULL AND ${currency ?? null}::text IS NOT NULL`);
}

/** ensureShop outside a transaction, for the rare paths (privacy, lifecycle, failure records). */
export async function ensureShopExists(shop: string): Promise<void> {
  await pool.query(sql`INSERT INTO "Shop" ("domain", "createdAt", "updatedAt") VALUES (${shop}, now(), now()) ON CONFLICT ("domain") DO NOTHING`);
}

export function versionHashOf(rawBody: string): string {
  return createHash("sha256").update(rawBody).digest("hex");
}

async function saveProfile(tx: Tx, shop: string, profile: CustomerProfile): Promise<void> {
  await saveProfiles(tx, [{ shop, profile }]);
}

/** Takes the customers' locks in id order (after the order's), so no two jobs wait on each other. */
async function lockCustomers(tx: Tx, shop: string, customerIds: Iterable<bigint | null | undefined>): Promise<bigint[]> {
  const unique = [...new Set([...customerIds].filter((id): id is bigint => id != null))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  // Advisory locks are re-entrant within a transaction: taking one again costs a round trip, no wait.
  for (const customerId of unique) await lock(tx, `customer:${shop}:${customerId}`);
  return unique;
}

async function recomputeCustomers(tx: Tx, shop: string, customerIds: Iterable<bigint | null | undefined>): Promise<void> {
  const locked = await lockCustomers(tx, shop, customerIds);
  await recomputeCustomerFigures(tx, locked.map((id) => ({ shop, id })));
}

type StoredOrderVersion = { shopifyUpdatedAt: Date; versionHash: string; customerId: bigint | null };

async function readStoredOrder(
  tx: Tx,
  shop: string,
  orderId: bigint,
): Promise<{ stored: StoredOrderVersion | null; deleted: boolean }> {
  const rows = await tx.query<{ shopifyUpdatedAt: Date | null; versionHash: string | null; customerId: string | null; deleted: boolean }>(sql`
    SELECT o."shopifyUpdatedAt" AT TIME ZONE 'UTC' AS "shopifyUpdatedAt", o."versionHash", o."customerId"::text AS "customerId",
           EXISTS (SELECT 1 FROM "DeletedOrder" d WHERE d."shopDomain" = ${shop} AND d."id" = ${orderId}) AS "deleted"
    FROM (SELECT 1) AS one
    LEFT JOIN "Order" o ON o."shopDomain" = ${shop} AND o."id" = ${orderId}`);
  const row = rows.rows[0];
  if (!row) return { stored: null, deleted: false };
  return {
    stored:
      row.shopifyUpdatedAt && row.versionHash
        ? {
            shopifyUpdatedAt: row.shopifyUpdatedAt,
            versionHash: row.versionHash,
            customerId: row.customerId === null ? null : BigInt(row.customerId),
          }
        : null,
    deleted: row.deleted,
  };
}

/** orders/delete: the order never counts again, whatever version arrives later. */
export async function applyOrderDeletion(options: { shop: string; orderId: bigint }): Promise<void> {
  const { shop, orderId } = options;
  await inTransaction(async (tx) => {
    await lockShopsShared(tx, [shop]);
    await ensureShop(tx, shop);
    await lock(tx, `order:${shop}:${orderId}`);
    await tx.query(sql`
      INSERT INTO "DeletedOrder" ("shopDomain", "id", "deletedAt") VALUES (${shop}, ${orderId}, now())
      ON CONFLICT DO NOTHING`);
    const { stored } = await readStoredOrder(tx, shop, orderId);
    await tx.query(sql`
      UPDATE "Order" SET "deletedAt" = now() WHERE "shopDomain" = ${shop} AND "id" = ${orderId} AND "deletedAt" IS NULL`);
    await recomputeCustomers(tx, shop, [stored?.customerId]);
  });
}

/** customers/create and customers/update: personal data only, figures untouched. */
export async function applyCustomerProfile(options: { shop: string; profile: CustomerProfile }): Promise<void> {
  await inTransaction(async (tx) => {
    await lockShopsShared(tx, [options.shop]);
    await ensureShop(tx, options.shop);
    await saveProfile(tx, options.shop, options.profile);
  });
}
