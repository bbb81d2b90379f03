// The order store: applies order and refund events idempotently and recomputes the customers they
// touch from stored facts, all in one transaction. Any delivery order, duplicate or replay converges
// to the same state: the newest order version wins (isNewerVersion), refunds are keyed by id, and a
// customer's figures are recomputed from scratch under a per-customer lock.
import { createHash } from "node:crypto";
import { type Db, inTransaction, pool, sql } from "~/pg.server";
import { type CustomerFigures, computeCustomerFigures } from "~/ltv/customer-figures";
import { type Money, money } from "~/ltv/money";
import { type CustomerProfile, type OrderFacts, type RefundFacts, isNewerVersion, moneyRefunded } from "~/ltv/order-facts";

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

async function upsertRefunds(tx: Tx, shop: string, refunds: readonly RefundFacts[]): Promise<void> {
  for (const refund of refunds) {
    // A refund is immutable once made; re-deliveries only refresh the same values.
    await tx.query(sql`
      INSERT INTO "Refund" ("shopDomain", "id", "orderId", "createdAt", "processedAt", "transactionsAmount", "adjustmentsAmount", "storedAt")
      VALUES (${shop}, ${refund.id}, ${refund.orderId}, ${refund.createdAt}, ${refund.processedAt},
              ${refund.transactionsAmount.toString()}::numeric, ${refund.adjustmentsAmount.toString()}::numeric, now())
      ON CONFLICT ("shopDomain", "id") DO UPDATE SET
        "transactionsAmount" = EXCLUDED."transactionsAmount", "adjustmentsAmount" = EXCLUDED."adjustmentsAmount",
        "processedAt" = EXCLUDED."processedAt"
      WHERE ("Refund"."transactionsAmount", "Refund"."adjustmentsAmount", "Refund"."processedAt")
        IS DISTINCT FROM (EXCLUDED."transactionsAmount", EXCLUDED."adjustmentsAmount", EXCLUDED."processedAt")`);
  }
}

async function saveProfile(tx: Tx, shop: string, profile: CustomerProfile): Promise<void> {
  // Personal data only as Shopify sends it, newest first, and never again after an erasure.
  await tx.query(sql`
    INSERT INTO "Customer" ("shopDomain", "id", "email", "firstName", "lastName", "profileUpdatedAt")
    VALUES (${shop}, ${profile.id}, ${profile.email}, ${profile.firstName}, ${profile.lastName}, ${profile.updatedAt})
    ON CONFLICT ("shopDomain", "id") DO UPDATE SET
      "email" = EXCLUDED."email", "firstName" = EXCLUDED."firstName", "lastName" = EXCLUDED."lastName",
      "profileUpdatedAt" = EXCLUDED."profileUpdatedAt"
    WHERE "Customer"."redactedAt" IS NULL AND "Customer"."deletedAt" IS NULL
      AND ("Customer"."profileUpdatedAt" IS NULL OR EXCLUDED."profileUpdatedAt" IS NULL
           OR EXCLUDED."profileUpdatedAt" >= "Customer"."profileUpdatedAt")
      AND ("Customer"."email", "Customer"."firstName", "Customer"."lastName")
          IS DISTINCT FROM (EXCLUDED."email", EXCLUDED."firstName", EXCLUDED."lastName")`);
}

type StoredCustomerOrder = {
  totalPrice: string;
  refunded: string;
  test: boolean;
  cancelledAt: Date | null;
  deletedAt: Date | null;
  processedAt: Date;
};

/** Recomputes one customer's figures from every stored order. Caller holds the customer lock. */
async function recomputeCustomer(tx: Tx, shop: string, customerId: bigint): Promise<CustomerFigures> {
  const rows = await tx.query<StoredCustomerOrder>(sql`
    SELECT "totalPrice"::text AS "totalPrice", "refunded"::text AS "refunded", "test",
           "cancelledAt" AT TIME ZONE 'UTC' AS "cancelledAt", "deletedAt" AT TIME ZONE 'UTC' AS "deletedAt",
           "processedAt" AT TIME ZONE 'UTC' AS "processedAt"
    FROM "Order" WHERE "shopDomain" = ${shop} AND "customerId" = ${customerId}`);
  const figures = computeCustomerFigures(
    rows.rows.map((row) => ({
      totalPrice: money(row.totalPrice),
      refunded: money(row.refunded),
      placedAt: row.processedAt,
      test: row.test,
      cancelledAt: row.cancelledAt,
      deletedAt: row.deletedAt,
    })),
  );
  await tx.query(sql`
    INSERT INTO "Customer" ("shopDomain", "id", "ordersCount", "grossSales", "refunds", "netRevenue", "averageOrderValue",
                            "firstOrderAt", "lastOrderAt", "tenureDays", "purchaseFrequency", "figuresUpdatedAt")
    VALUES (${shop}, ${customerId}, ${figures.ordersCount}, ${figures.grossSales.toString()}::numeric,
            ${figures.refunds.toString()}::numeric, ${figures.netRevenue.toString()}::numeric,
            ${figures.averageOrderValue?.toString() ?? null}::numeric, ${figures.firstOrderAt}, ${figures.lastOrderAt},
            ${figures.tenureDays}, ${figures.purchaseFrequency}, now())
    ON CONFLICT ("shopDomain", "id") DO UPDATE SET
      "ordersCount" = EXCLUDED."ordersCount", "grossSales" = EXCLUDED."grossSales", "refunds" = EXCLUDED."refunds",
      "netRevenue" = EXCLUDED."netRevenue", "averageOrderValue" = EXCLUDED."averageOrderValue",
      "firstOrderAt" = EXCLUDED."firstOrderAt", "lastOrderAt" = EXCLUDED."lastOrderAt",
      "tenureDays" = EXCLUDED."tenureDays", "purchaseFrequency" = EXCLUDED."purchaseFrequency",
      "figuresUpdatedAt" = now()`);
  return figures;
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
  for (const customerId of await lockCustomers(tx, shop, customerIds)) await recomputeCustomer(tx, shop, customerId);
}

async function refundsInPresentment(tx: Tx, shop: string, orderId: bigint): Promise<Money> {
  const rows = await tx.query<{ total: string }>(sql`
    SELECT COALESCE(SUM("transactionsAmount"), 0)::text AS total FROM "Refund"
    WHERE "shopDomain" = ${shop} AND "orderId" = ${orderId}`);
  return money(rows.rows[0]?.total ?? "0");
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

/** Brings a stored order's `refunded` in step with its refunds. Returns whether it changed. Caller holds the order lock. */
async function refreshOrderRefunded(tx: Tx, shop: string, orderId: bigint): Promise<boolean> {
  const rows = await tx.query<{ currency: string; presentmentCurrency: string; totalPrice: string; presentmentTotalPrice: string; refunded: string }>(sql`
    SELECT "currency", "presentmentCurrency", "totalPrice"::text AS "totalPrice",
           "presentmentTotalPrice"::text AS "presentmentTotalPrice", "refunded"::text AS "refunded"
    FROM "Order" WHERE "shopDomain" = ${shop} AND "id" = ${orderId}`);
  const order = rows.rows[0];
  if (!order) return false;
  const refunded = moneyRefunded(
    {
      currency: order.currency,
      presentmentCurrency: order.presentmentCurrency,
      totalPrice: money(order.totalPrice),
      presentmentTotalPrice: money(order.presentmentTotalPrice),
    },
    [{ transactionsAmount: await refundsInPresentment(tx, shop, orderId) }],
  );
  if (refunded.equals(money(order.refunded))) return false;
  await tx.query(sql`
    UPDATE "Order" SET "refunded" = ${refunded.toString()}::numeric, "storedAt" = now()
    WHERE "shopDomain" = ${shop} AND "id" = ${orderId}`);
  return true;
}

export type ApplyResult = "stored" | "stale";

/** orders/create, orders/updated, orders/paid, orders/cancelled: store the version if it is the newest. */
export async function applyOrderVersion(options: { shop: string; order: OrderFacts; versionHash: string }): Promise<ApplyResult> {
  const { shop, order, versionHash } = options;
  return inTransaction(async (tx) => {
    await ensureShop(tx, shop, order.currency);
    await lock(tx, `order:${shop}:${order.id}`);
    const { stored, deleted } = await readStoredOrder(tx, shop, order.id);
    // The customer rows are written below (profile, figures): their locks come first, in order.
    await lockCustomers(tx, shop, [stored?.customerId, order.customerId]);
    await upsertRefunds(tx, shop, order.refunds);
    if (order.customer) await saveProfile(tx, shop, order.customer);

    if (!isNewerVersion(stored && { updatedAt: stored.shopifyUpdatedAt, versionHash: stored.versionHash }, { updatedAt: order.updatedAt, versionHash })) {
      // An older or identical version: only refunds it carried may be new.
      if (order.refunds.length > 0 && (await refreshOrderRefunded(tx, shop, order.id))) {
        await recomputeCustomers(tx, shop, [stored?.customerId]);
      }
      return "stale";
    }

    const refunded = moneyRefunded(order, [{ transactionsAmount: await refundsInPresentment(tx, shop, order.id) }]);
    await tx.query(sql`
      INSERT INTO "Order" ("shopDomain", "id", "customerId", "name", "currency", "presentmentCurrency", "totalPrice",
        "presentmentTotalPrice", "subtotalPrice", "totalDiscounts", "totalTax", "totalShipping", "refunded", "financialStatus",
        "cancelledAt", "test", "shopifyCreatedAt", "processedAt", "shopifyUpdatedAt", "versionHash", "sourceName",
        "discountCodes", "deletedAt", "storedAt")
      VALUES (${shop}, ${order.id}, ${order.customerId}, ${order.name}, ${order.currency}, ${order.presentmentCurrency},
        ${order.totalPrice.toString()}::numeric, ${order.presentmentTotalPrice.toString()}::numeric,
        ${order.subtotalPrice.toString()}::numeric, ${order.totalDiscounts.toString()}::numeric,
        ${order.totalTax.toString()}::numeric, ${order.totalShipping.toString()}::numeric, ${refunded.toString()}::numeric,
        ${order.financialStatus},
        ${order.cancelledAt}, ${order.test}, ${order.createdAt}, ${order.processedAt}, ${order.updatedAt}, ${versionHash},
        ${order.sourceName}, ${order.discountCodes}::text[], ${deleted ? new Date() : null}, now())
      ON CONFLICT ("shopDomain", "id") DO UPDATE SET
        "customerId" = EXCLUDED."customerId", "name" = EXCLUDED."name", "currency" = EXCLUDED."currency",
        "presentmentCurrency" = EXCLUDED."presentmentCurrency", "totalPrice" = EXCLUDED."totalPrice",
        "presentmentTotalPrice" = EXCLUDED."presentmentTotalPrice", "subtotalPrice" = EXCLUDED."subtotalPrice",
        "totalDiscounts" = EXCLUDED."totalDiscounts", "totalTax" = EXCLUDED."totalTax",
        "totalShipping" = EXCLUDED."totalShipping", "refunded" = EXCLUDED."refunded",
        "financialStatus" = EXCLUDED."financialStatus",
        "cancelledAt" = EXCLUDED."cancelledAt", "test" = EXCLUDED."test", "shopifyCreatedAt" = EXCLUDED."shopifyCreatedAt",
        "processedAt" = EXCLUDED."processedAt", "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt",
        "versionHash" = EXCLUDED."versionHash", "sourceName" = EXCLUDED."sourceName",
        "discountCodes" = EXCLUDED."discountCodes", "storedAt" = now()`);
    await tx.query(sql`DELETE FROM "LineItem" WHERE "shopDomain" = ${shop} AND "orderId" = ${order.id}`);
    if (order.lineItems.length > 0) {
      const lines = order.lineItems;
      await tx.query(sql`
        INSERT INTO "LineItem" ("shopDomain", "orderId", "id", "productId", "variantId", "sku", "title", "quantity", "amount")
        SELECT ${shop}, ${order.id}, line.id, line.product_id, line.variant_id, line.sku, line.title, line.quantity, line.amount
        FROM unnest(${lines.map((line) => line.id.toString())}::bigint[], ${lines.map((line) => line.productId?.toString() ?? null)}::bigint[],
                    ${lines.map((line) => line.variantId?.toString() ?? null)}::bigint[], ${lines.map((line) => line.sku)}::text[],
                    ${lines.map((line) => line.title)}::text[], ${lines.map((line) => line.quantity)}::int[],
                    ${lines.map((line) => line.amount.toString())}::numeric[])
          AS line(id, product_id, variant_id, sku, title, quantity, amount)
        ON CONFLICT DO NOTHING`);
    }
    // The order may have moved from one customer to another: both are recomputed.
    await recomputeCustomers(tx, shop, [stored?.customerId, order.customerId]);
    return "stored";
  });
}

/** refunds/create: keyed by refund id, so it may come before or after its order, any number of times. */
export async function applyRefund(options: { shop: string; refund: RefundFacts }): Promise<void> {
  const { shop, refund } = options;
  await inTransaction(async (tx) => {
    await ensureShop(tx, shop);
    await lock(tx, `order:${shop}:${refund.orderId}`);
    await upsertRefunds(tx, shop, [refund]);
    // Before its order arrives the refund waits; the order's arrival takes it into account.
    if (await refreshOrderRefunded(tx, shop, refund.orderId)) {
      const { stored } = await readStoredOrder(tx, shop, refund.orderId);
      await recomputeCustomers(tx, shop, [stored?.customerId]);
    }
  });
}

/** orders/delete: the order never counts again, whatever version arrives later. */
export async function applyOrderDeletion(options: { shop: string; orderId: bigint }): Promise<void> {
  const { shop, orderId } = options;
  await inTransaction(async (tx) => {
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
    await ensureShop(tx, options.shop);
    await saveProfile(tx, options.shop, options.profile);
  });
}
