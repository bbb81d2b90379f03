// Writes a batch of imported orders (a bulk-operation backfill) under the order store's rules, so an
// import and webhooks arriving meanwhile converge like any two deliveries (docs/decisions/0010):
// the newest version of an order wins (isNewerVersion, here in SQL), deleted orders stay deleted,
// refunds are keyed by id, profiles are saved with the webhook path's statement.
//
// Set-based: the batch is COPYed into temporary staging tables, then written with a few INSERT … SELECT
// statements; an order's line items are part of its row (docs/decisions/0013). The caller holds the
// shop's EXCLUSIVE import lock (lockShopExclusive), which every webhook-path writer of the shop takes
// SHARED first, so no per-order or per-customer lock is needed.
// Customers are NOT written here: profiles wait in "ImportProfile", and the import writes every
// customer of the shop once, profile and figures together, after its last batch (recomputeShopCustomers).
import { money } from "~/ltv/money";
import { type CustomerProfile, type OrderFacts, isNewerVersion, moneyRefunded } from "~/ltv/order-facts";
import { type Db, sql } from "~/pg.server";
import { BULK_VERSION_PREFIX, type ImportedOrder, type LateLineItem } from "~/backfill/bulk-orders";
import { ORDER_UPSERT_NEWER, keyText, readRefundState, readStoredOrders, updateRefunded } from "./apply-order-events.server";
import { lineItemsJson, storedLineItems, toStoredLineItem } from "./line-items";
import { type Cell, copyRows } from "./copy-rows.server";
import { ensureShop } from "./store.server";

export type ImportOutcome = {
  /** Orders whose version was stored (new, or newer than the stored one). */
  stored: number;
  /** Orders already stored as new or newer (a webhook got there first, or the same file again). */
  stale: number;
  lateLineItemsStored: number;
  /** Late line items not written because the stored order is no longer this import's version. */
  lateLineItemsSuperseded: number;
  /** Late line items whose order is not stored at all (its line was malformed or missing). */
  orphanLineItems: LateLineItem[];
};

/** The newest version of each order in the batch: applying them in sequence would end the same. */
function newestPerOrder(orders: readonly ImportedOrder[]): ImportedOrder[] {
  const newest = new Map<bigint, ImportedOrder>();
  for (const imported of orders) {
    const current = newest.get(imported.order.id);
    const incoming = { updatedAt: imported.order.updatedAt, versionHash: imported.versionHash };
    if (!current || isNewerVersion({ updatedAt: current.order.updatedAt, versionHash: current.versionHash }, incoming)) newest.set(imported.order.id, imported);
  }
  return [...newest.values()];
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** A PostgreSQL text[] literal: every element quoted, so commas, braces and NULL stay text. */
function textArrayLiteral(values: readonly string[]): string {
  if (values.length === 0) return "{}";
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

/** `refunded` of an order from its stored refunds' Σ (presentment currency, as text); most orders have none. */
function refundedCell(order: OrderFacts, refundsInPresentment: string | null): string {
  if (refundsInPresentment === null) return "0";
  return moneyRefunded(order, [{ transactionsAmount: money(refundsInPresentment) }]).toString();
}

// Per connection: temporary tables emptied at every commit. Looked up in every batch rather than
// remembered in JS: a batch that created them and then rolled back took them with it.
async function ensureStaging(tx: Db): Promise<void> {
  const { rows } = await tx.query<{ ready: boolean }>(`SELECT to_regclass('pg_temp.import_refund') IS NOT NULL AS ready`);
  if (rows[0]?.ready) return;
  await tx.query(`
    CREATE TEMP TABLE IF NOT EXISTS import_order (
      id bigint, customer_id bigint, name text, currency text, presentment_currency text, total_price numeric,
      presentment_total_price numeric, subtotal_price numeric, total_discounts numeric, total_tax numeric,
      total_shipping numeric, refunded numeric, financial_status text, cancelled_at timestamp(3), test boolean,
      created_at timestamp(3), processed_at timestamp(3), updated_at timestamp(3), version_hash text, source_name text,
      discount_codes text[], line_items json) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS import_refund (
      id bigint, order_id bigint, created_at timestamp(3), processed_at timestamp(3), transactions numeric, adjustments numeric)
      ON COMMIT DELETE ROWS;`);
}

/**
 * Appends profiles, in file order, for the import's final pass (recomputeShopCustomers), which folds
 * them with saveProfiles's rule and checks erasure when it writes them into "Customer".
 */
async function stageProfiles(tx: Db, shop: string, profiles: readonly CustomerProfile[]): Promise<void> {
  await copyRows(
    tx,
    `"ImportProfile" ("shopDomain", "id", "email", "firstName", "lastName", "profileUpdatedAt")`,
    profiles.map((p) => [shop, p.id, p.email, p.firstName, p.lastName, iso(p.updatedAt)]),
  );
}

/**
 * Profiles in file order, minus repeats: applying the same profile twice in a row leaves what applying
 * it once does (saveProfiles writes it only if distinct from the stored one), so a customer's
 * consecutive identical profiles collapse to one. Different ones are staged in file order.
 */
function profilesInOrder(orders: readonly ImportedOrder[]): CustomerProfile[] {
  const last = new Map<bigint, CustomerProfile>();
  const out: CustomerProfile[] = [];
  const same = (a: CustomerProfile, b: CustomerProfile) =>
    a.email === b.email && a.firstName === b.firstName && a.lastName === b.lastName && (a.updatedAt?.getTime() ?? null) === (b.updatedAt?.getTime() ?? null);
  for (const { order } of orders) {
    const profile = order.customer;
    if (!profile) continue;
    const previous = last.get(profile.id);
    if (previous && same(previous, profile)) continue;
    last.set(profile.id, profile);
    out.push(profile);
  }
  return out;
}

/**
 * Applies imported orders and late line items in the caller's transaction, which holds the shop's
 * exclusive import lock. A late line item lands only if its order is stored with an imported version
 * (not a webhook's), and — when the assembler still remembers it — with the updated_at this import
 * wrote: a newer webhook version carries its own line items and must not gain one from an older file.
 */
export async function importOrdersIn(
  tx: Db,
  options: { shop: string; orders: readonly ImportedOrder[]; lateLineItems: readonly LateLineItem[] },
): Promise<ImportOutcome> {
  const { shop, lateLineItems } = options;
  const orders = newestPerOrder(options.orders);
  const outcome: ImportOutcome = { stored: 0, stale: 0, lateLineItemsStored: 0, lateLineItemsSuperseded: 0, orphanLineItems: [] };
  if (orders.length === 0 && lateLineItems.length === 0) return outcome;
  await ensureShop(tx, shop, orders[0]?.order.currency ?? null);

  if (orders.length > 0) {
    await ensureStaging(tx);
    // Refunds first (keyed by id, immutable), then each order's Σ refunds as stored now, for `refunded`.
    const refunds = orders.flatMap((o) => o.order.refunds);
    await copyRows(tx, "import_refund", refunds.map((r) => [r.id, r.orderId, iso(r.createdAt), iso(r.processedAt), r.transactionsAmount.toString(), r.adjustmentsAmount.toString()]));
    if (refunds.length > 0) {
      await tx.query(sql`
        INSERT INTO "Refund" ("shopDomain", "id", "orderId", "createdAt", "processedAt", "transactionsAmount", "adjustmentsAmount", "storedAt")
        SELECT DISTINCT ON (r.id) ${shop}, r.id, r.order_id, r.created_at, r.processed_at, r.transactions, r.adjustments, now()
        FROM import_refund r ORDER BY r.id
        ON CONFLICT ("shopDomain", "id") DO UPDATE SET
          "transactionsAmount" = EXCLUDED."transactionsAmount", "adjustmentsAmount" = EXCLUDED."adjustmentsAmount",
          "processedAt" = EXCLUDED."processedAt"
        WHERE ("Refund"."transactionsAmount", "Refund"."adjustmentsAmount", "Refund"."processedAt")
          IS DISTINCT FROM (EXCLUDED."transactionsAmount", EXCLUDED."adjustmentsAmount", EXCLUDED."processedAt")`);
    }
    await stageProfiles(tx, shop, profilesInOrder(orders));

    // What the store has of each order: the row, a deletion, its refunds' Σ (for `refunded`). Under
    // the exclusive import lock this stays true until the batch commits.
    const ids = orders.map((o) => o.order.id.toString());
    const { rows: known } = await tx.query<{ id: string; stored: boolean; deleted: boolean; refunds: string | null; now: Date }>(sql`
      SELECT k.id::text AS id, o."id" IS NOT NULL AS stored, d."id" IS NOT NULL AS deleted, r.total::text AS refunds, now() AS now
      FROM unnest(${ids}::bigint[]) AS k(id)
      LEFT JOIN "Order" o ON o."shopDomain" = ${shop} AND o."id" = k.id
      LEFT JOIN "DeletedOrder" d ON d."shopDomain" = ${shop} AND d."id" = k.id
      LEFT JOIN (SELECT r."orderId", sum(r."transactionsAmount") AS total FROM "Refund" r
                 WHERE r."shopDomain" = ${shop} AND r."orderId" = ANY(${ids}::bigint[]) GROUP BY r."orderId") AS r ON r."orderId" = k.id`);
    const knownOf = new Map(known.map((row) => [row.id, row]));
    const now = known[0]!.now.toISOString();
    const cellsOf = ({ order: o, versionHash }: ImportedOrder, refunds: string | null): Cell[] => [
      o.id, o.customerId, o.name, o.currency, o.presentmentCurrency, o.totalPrice.toString(), o.presentmentTotalPrice.toString(),
      o.subtotalPrice.toString(), o.totalDiscounts.toString(), o.totalTax.toString(), o.totalShipping.toString(),
      refundedCell(o, refunds),
      o.financialStatus, iso(o.cancelledAt), o.test, iso(o.createdAt), iso(o.processedAt), iso(o.updatedAt), versionHash,
      o.sourceName, textArrayLiteral(o.discountCodes), lineItemsJson(o.lineItems),
    ];
    const fresh: Cell[][] = [];
    const storedBefore: Cell[][] = [];
    for (const imported of orders) {
      const state = knownOf.get(imported.order.id.toString())!;
      if (state.stored) storedBefore.push(cellsOf(imported, state.refunds));
      else fresh.push([shop, ...cellsOf(imported, state.refunds), state.deleted ? now : null, now]);
    }
    // Orders new to the store go straight in: one COPY, no staging, nothing to compare. An order
    // deleted before it arrived is stored deleted.
    await copyRows(
      tx,
      `"Order" ("shopDomain", "id", "customerId", "name", "currency", "presentmentCurrency", "totalPrice", "presentmentTotalPrice",
        "subtotalPrice", "totalDiscounts", "totalTax", "totalShipping", "refunded", "financialStatus", "cancelledAt", "test",
        "shopifyCreatedAt", "processedAt", "shopifyUpdatedAt", "versionHash", "sourceName", "discountCodes", "lineItems",
        "deletedAt", "storedAt")`,
      fresh,
    );
    // Orders the store has: written only when newer (isNewerVersion in SQL: updated_at, then the hash
    // in code-point order).
    await copyRows(tx, "import_order", storedBefore);
    const { rows: written } =
      storedBefore.length === 0
        ? { rows: [] as { id: string }[] }
        : await tx.query<{ id: string }>(sql`
      INSERT INTO "Order" ("shopDomain", "id", "customerId", "name", "currency", "presentmentCurrency", "totalPrice",
        "presentmentTotalPrice", "subtotalPrice", "totalDiscounts", "totalTax", "totalShipping", "refunded", "financialStatus",
        "cancelledAt", "test", "shopifyCreatedAt", "processedAt", "shopifyUpdatedAt", "versionHash", "sourceName",
        "discountCodes", "lineItems", "deletedAt", "storedAt")
      SELECT ${shop}, v.id, v.customer_id, v.name, v.currency, v.presentment_currency, v.total_price, v.presentment_total_price,
             v.subtotal_price, v.total_discounts, v.total_tax, v.total_shipping, v.refunded, v.financial_status, v.cancelled_at,
             v.test, v.created_at, v.processed_at, v.updated_at, v.version_hash, v.source_name, v.discount_codes, v.line_items,
             CASE WHEN EXISTS (SELECT 1 FROM "DeletedOrder" d WHERE d."shopDomain" = ${shop} AND d."id" = v.id) THEN now() END, now()
      FROM import_order v
      ${ORDER_UPSERT_NEWER}
      RETURNING "id"::text AS id`);
    outcome.stored = fresh.length + written.length;
    outcome.stale = storedBefore.length - written.length;
    // An older or identical version: only refunds it carried may be new; bring `refunded` in step.
    const writtenIds = new Set(written.map((w) => w.id));
    const staleWithRefunds = orders
      .filter((o) => o.order.refunds.length > 0 && knownOf.get(o.order.id.toString())!.stored && !writtenIds.has(o.order.id.toString()))
      .map((o) => ({ shop, id: o.order.id }));
    if (staleWithRefunds.length > 0) {
      const refundState = await readRefundState(tx, staleWithRefunds);
      const updates: { key: { shop: string; id: bigint }; refunded: string }[] = [];
      for (const key of staleWithRefunds) {
        const state = refundState.get(keyText(key.shop, key.id));
        const row = state?.row;
        if (!state || !row) continue;
        const refunded = moneyRefunded(
          { currency: row.currency, presentmentCurrency: row.presentmentCurrency, totalPrice: money(row.totalPrice), presentmentTotalPrice: money(row.presentmentTotalPrice) },
          [{ transactionsAmount: money(state.refundsInPresentment) }],
        );
        if (!refunded.equals(money(row.refunded))) updates.push({ key, refunded: refunded.toString() });
      }
      await updateRefunded(tx, updates);
    }
  }

  if (lateLineItems.length > 0) {
    const keys = [...new Map(lateLineItems.map((l) => [l.orderId, { shop, id: l.orderId }])).values()];
    const stored = new Map((await readStoredOrders(tx, keys)).map((o) => [o.key.id, o.version]));
    const lateToStore: LateLineItem[] = [];
    for (const late of lateLineItems) {
      const version = stored.get(late.orderId) ?? null;
      if (version === null) outcome.orphanLineItems.push(late);
      else if (
        version.versionHash.startsWith(BULK_VERSION_PREFIX) &&
        (late.orderUpdatedAt === null || late.orderUpdatedAt.getTime() === version.updatedAt.getTime())
      )
        lateToStore.push(late);
      else outcome.lateLineItemsSuperseded += 1;
    }
    await insertLineItems(tx, shop, lateToStore);
    outcome.lateLineItemsStored = lateToStore.length;
  }
  return outcome;
}

/**
 * Adds line items to stored orders, after those they have; one already there (same id) is kept. The
 * lists are merged here, so the stored text is always JSON.stringify's, whichever path wrote it.
 */
async function insertLineItems(tx: Db, shop: string, lines: readonly LateLineItem[]): Promise<void> {
  if (lines.length === 0) return;
  const orderIds = [...new Set(lines.map((l) => l.orderId.toString()))];
  const { rows } = await tx.query<{ id: string; lineItems: unknown }>(sql`
    SELECT o."id"::text AS id, o."lineItems" FROM "Order" o WHERE o."shopDomain" = ${shop} AND o."id" = ANY(${orderIds}::bigint[])`);
  const merged = new Map(rows.map((row) => [row.id, storedLineItems(row.lineItems)]));
  for (const late of lines) {
    const items = merged.get(late.orderId.toString());
    const item = toStoredLineItem(late.lineItem);
    if (items && !items.some((existing) => existing.id === item.id)) items.push(item);
  }
  await tx.query(sql`
    UPDATE "Order" o SET "lineItems" = u.items, "storedAt" = now()
    FROM unnest(${[...merged.keys()]}::bigint[], ${[...merged.values()].map((items) => JSON.stringify(items))}::json[]) AS u(id, items)
    WHERE o."shopDomain" = ${shop} AND o."id" = u.id AND o."lineItems"::text <> u.items::text`);
}
