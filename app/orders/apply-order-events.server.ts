// Applies order versions and refunds — one event or a batch of them — in one transaction, with a
// fixed number of statements per batch instead of a dozen per event (docs/decisions/0007). The rules
// are the order store's (store.server.ts): the newest order version wins (isNewerVersion), refunds are
// keyed by id, and every customer touched is recomputed from stored facts under its lock.
//
// A batch gives the same state as its events applied one by one, in order: the events are split into
// rounds in which each order appears at most once (an order's second event goes to the next round,
// and so on; see wavesBy); a round's statements are the per-event statements run side by side, and
// rounds run in sequence. Locks are taken once, up front, in one global order (the shops' import locks
// SHARED, then orders, then customers, each sorted by shop and id), so batches, single events and backfill
// batches (which take their shop's import lock EXCLUSIVE) never deadlock.
import { type CustomerFigures, computeCustomerFigures } from "~/ltv/customer-figures";
import { money } from "~/ltv/money";
import { type CustomerProfile, type OrderFacts, type OrderVersion, type RefundFacts, isNewerVersion, moneyRefunded } from "~/ltv/order-facts";
import { type Db, SqlText, inTransaction, sql } from "~/pg.server";
import { lineItemsJson } from "./line-items";
import { ensureShop } from "./store.server";

export type OrderEvent =
  | { kind: "order"; shop: string; order: OrderFacts; versionHash: string }
  | { kind: "refund"; shop: string; refund: RefundFacts };

export type ApplyResult = "stored" | "stale";

/**
 * How an order version replaces the stored one, for the webhook path and the import alike: every
 * column, and only when newer. Callers write only versions they found newer under their lock; the
 * WHERE repeats isNewerVersion (updated_at, then the hash in code-point order) as a defence in depth.
 */
export const ORDER_UPSERT_NEWER = new SqlText(`ON CONFLICT ("shopDomain", "id") DO UPDATE SET
      "customerId" = EXCLUDED."customerId", "name" = EXCLUDED."name", "currency" = EXCLUDED."currency",
      "presentmentCurrency" = EXCLUDED."presentmentCurrency", "totalPrice" = EXCLUDED."totalPrice",
      "presentmentTotalPrice" = EXCLUDED."presentmentTotalPrice", "subtotalPrice" = EXCLUDED."subtotalPrice",
      "totalDiscounts" = EXCLUDED."totalDiscounts", "totalTax" = EXCLUDED."totalTax",
      "totalShipping" = EXCLUDED."totalShipping", "refunded" = EXCLUDED."refunded",
      "financialStatus" = EXCLUDED."financialStatus",
      "cancelledAt" = EXCLUDED."cancelledAt", "test" = EXCLUDED."test", "shopifyCreatedAt" = EXCLUDED."shopifyCreatedAt",
      "processedAt" = EXCLUDED."processedAt", "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt",
      "versionHash" = EXCLUDED."versionHash", "sourceName" = EXCLUDED."sourceName",
      "discountCodes" = EXCLUDED."discountCodes", "lineItems" = EXCLUDED."lineItems", "storedAt" = now()
    WHERE ("Order"."shopifyUpdatedAt", "Order"."versionHash" COLLATE "C") < (EXCLUDED."shopifyUpdatedAt", EXCLUDED."versionHash" COLLATE "C")`);

/** A customer's recomputed figures replace the stored ones (the webhook path and the import's final pass). */
export const CUSTOMER_FIGURES_UPSERT = new SqlText(`ON CONFLICT ("shopDomain", "id") DO UPDATE SET
      "ordersCount" = EXCLUDED."ordersCount", "grossSales" = EXCLUDED."grossSales", "refunds" = EXCLUDED."refunds",
      "netRevenue" = EXCLUDED."netRevenue", "averageOrderValue" = EXCLUDED."averageOrderValue",
      "firstOrderAt" = EXCLUDED."firstOrderAt", "lastOrderAt" = EXCLUDED."lastOrderAt",
      "tenureDays" = EXCLUDED."tenureDays", "purchaseFrequency" = EXCLUDED."purchaseFrequency",
      "figuresUpdatedAt" = now()`);

export type Key = { shop: string; id: bigint };
export type StoredVersion = OrderVersion & { customerId: bigint | null };

export const keyText = (shop: string, id: bigint) => `${shop} ${id}`;
const orderIdOf = (event: OrderEvent) => (event.kind === "order" ? event.order.id : event.refund.orderId);
const iso = (date: Date | null) => date?.toISOString() ?? null;

export function sortedKeys(keys: Iterable<Key>): Key[] {
  const unique = new Map<string, Key>();
  for (const key of keys) unique.set(keyText(key.shop, key.id), key);
  return [...unique.values()].sort((a, b) => (a.shop !== b.shop ? (a.shop < b.shop ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The per-shop import lock (docs/decisions/0010). A backfill batch holds it EXCLUSIVE for its short
 * transaction; every webhook-path transaction that writes a shop's orders, refunds, deletions or
 * profiles takes it SHARED first — before any order or customer lock — so an import batch needs no
 * per-order or per-customer locks, and the global lock order stays: shop, then orders, then customers.
 */
export const importLockKey = (shop: string, slot: number) => `import:${shop}:${slot}`;

/**
 * The import lock comes in slots: a webhook-path writer takes every slot SHARED, an import transaction
 * takes one slot EXCLUSIVE. Either slot keeps webhooks out, and two import transactions on different
 * slots (the final pass's chunks, disjoint customers) run side by side on two cores.
 */
export const IMPORT_LOCK_SLOTS = 2;

/** SHARED import locks of these shops (every slot), sorted, one round trip. Take them before any other lock. */
export async function lockShopsShared(tx: Db, shops: Iterable<string>): Promise<void> {
  const sorted = [...new Set(shops)].sort();
  if (sorted.length === 0) return;
  const keys = sorted.flatMap((shop) => Array.from({ length: IMPORT_LOCK_SLOTS }, (_, slot) => importLockKey(shop, slot)));
  await tx.query(sql`
    SELECT pg_advisory_xact_lock_shared(hashtextextended(key, 0))
    FROM unnest(${keys}::text[]) AS key`);
}

/** One slot of a shop's import lock, EXCLUSIVE: no webhook-path write of the shop runs until the transaction ends. */
export async function lockShopExclusive(tx: Db, shop: string, slot = 0): Promise<void> {
  if (!Number.isInteger(slot) || slot < 0 || slot >= IMPORT_LOCK_SLOTS) throw new Error(`import lock slot ${slot} does not exist`);
  await tx.query(sql`SELECT pg_advisory_xact_lock(hashtextextended(${importLockKey(shop, slot)}, 0))`);
}

/** Advisory locks in the given order, one round trip (unnest yields its elements in array order). */
export async function lockAll(tx: Db, kind: "order" | "customer", keys: readonly Key[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(sql`
    SELECT pg_advisory_xact_lock(hashtextextended(key, 0))
    FROM unnest(${keys.map((key) => `${kind}:${key.shop}:${key.id}`)}::text[]) AS key`);
}

const shopsOf = (keys: readonly Key[]) => keys.map((key) => key.shop);
const idsOf = (keys: readonly Key[]) => keys.map((key) => key.id.toString());

export type StoredOrder = { key: Key; version: StoredVersion | null; deleted: boolean };

export async function readStoredOrders(tx: Db, keys: readonly Key[]): Promise<StoredOrder[]> {
  const { rows } = await tx.query<{ shop: string; id: string; shopifyUpdatedAt: Date | null; versionHash: string | null; customerId: string | null; deleted: boolean }>(sql`
    SELECT k.shop, k.id::text AS id, o."shopifyUpdatedAt" AT TIME ZONE 'UTC' AS "shopifyUpdatedAt", o."versionHash",
           o."customerId"::text AS "customerId",
           EXISTS (SELECT 1 FROM "DeletedOrder" d WHERE d."shopDomain" = k.shop AND d."id" = k.id) AS deleted
    FROM unnest(${shopsOf(keys)}::text[], ${idsOf(keys)}::bigint[]) AS k(shop, id)
    LEFT JOIN "Order" o ON o."shopDomain" = k.shop AND o."id" = k.id`);
  return rows.map((row) => ({
    key: { shop: row.shop, id: BigInt(row.id) },
    version:
      row.shopifyUpdatedAt && row.versionHash
        ? { updatedAt: row.shopifyUpdatedAt, versionHash: row.versionHash, customerId: row.customerId === null ? null : BigInt(row.customerId) }
        : null,
    deleted: row.deleted,
  }));
}

export async function upsertRefunds(tx: Db, refunds: readonly { shop: string; refund: RefundFacts }[]): Promise<void> {
  if (refunds.length === 0) return;
  // A refund is immutable once made; re-deliveries only refresh the same values.
  await tx.query(sql`
    INSERT INTO "Refund" ("shopDomain", "id", "orderId", "createdAt", "processedAt", "transactionsAmount", "adjustmentsAmount", "storedAt")
    SELECT r.shop, r.id, r.order_id, r.created_at, r.processed_at, r.transactions, r.adjustments, now()
    FROM unnest(${refunds.map((r) => r.shop)}::text[], ${refunds.map((r) => r.refund.id.toString())}::bigint[],
                ${refunds.map((r) => r.refund.orderId.toString())}::bigint[], ${refunds.map((r) => iso(r.refund.createdAt))}::timestamp(3)[],
                ${refunds.map((r) => iso(r.refund.processedAt))}::timestamp(3)[],
                ${refunds.map((r) => r.refund.transactionsAmount.toString())}::numeric[],
                ${refunds.map((r) => r.refund.adjustmentsAmount.toString())}::numeric[])
      AS r(shop, id, order_id, created_at, processed_at, transactions, adjustments)
    ON CONFLICT ("shopDomain", "id") DO UPDATE SET
      "transactionsAmount" = EXCLUDED."transactionsAmount", "adjustmentsAmount" = EXCLUDED."adjustmentsAmount",
      "processedAt" = EXCLUDED."processedAt"
    WHERE ("Refund"."transactionsAmount", "Refund"."adjustmentsAmount", "Refund"."processedAt")
      IS DISTINCT FROM (EXCLUDED."transactionsAmount", EXCLUDED."adjustmentsAmount", EXCLUDED."processedAt")`);
}

/** Personal data only as Shopify sends it, newest first, and never again after an erasure. Rows: distinct customers. */
export async function saveProfiles(tx: Db, profiles: readonly { shop: string; profile: CustomerProfile }[]): Promise<void> {
  if (profiles.length === 0) return;
  await tx.query(sql`
    INSERT INTO "Customer" ("shopDomain", "id", "email", "firstName", "lastName", "profileUpdatedAt")
    SELECT * FROM unnest(${profiles.map((p) => p.shop)}::text[], ${profiles.map((p) => p.profile.id.toString())}::bigint[],
                         ${profiles.map((p) => p.profile.email)}::text[], ${profiles.map((p) => p.profile.firstName)}::text[],
                         ${profiles.map((p) => p.profile.lastName)}::text[], ${profiles.map((p) => iso(p.profile.updatedAt))}::timestamp(3)[])
    ON CONFLICT ("shopDomain", "id") DO UPDATE SET
      "email" = EXCLUDED."email", "firstName" = EXCLUDED."firstName", "lastName" = EXCLUDED."lastName",
      "profileUpdatedAt" = EXCLUDED."profileUpdatedAt"
    WHERE "Customer"."redactedAt" IS NULL AND "Customer"."deletedAt" IS NULL
      AND ("Customer"."profileUpdatedAt" IS NULL OR EXCLUDED."profileUpdatedAt" IS NULL
           OR EXCLUDED."profileUpdatedAt" >= "Customer"."profileUpdatedAt")
      AND ("Customer"."email", "Customer"."firstName", "Customer"."lastName")
          IS DISTINCT FROM (EXCLUDED."email", EXCLUDED."firstName", EXCLUDED."lastName")`);
}

export type OrderRefundState = {
  refundsInPresentment: string;
  row: { currency: string; presentmentCurrency: string; totalPrice: string; presentmentTotalPrice: string; refunded: string } | null;
};

/** Each order's Σ refund transactions (presentment currency) and, if stored, what `refunded` needs. */
export async function readRefundState(tx: Db, keys: readonly Key[]): Promise<Map<string, OrderRefundState>> {
  const { rows } = await tx.query<{ shop: string; id: string; total: string; currency: string | null; presentmentCurrency: string; totalPrice: string; presentmentTotalPrice: string; refunded: string }>(sql`
    SELECT k.shop, k.id::text AS id,
           (SELECT COALESCE(SUM(r."transactionsAmount"), 0) FROM "Refund" r WHERE r."shopDomain" = k.shop AND r."orderId" = k.id)::text AS total,
           o."currency", o."presentmentCurrency", o."totalPrice"::text AS "totalPrice",
           o."presentmentTotalPrice"::text AS "presentmentTotalPrice", o."refunded"::text AS "refunded"
    FROM unnest(${shopsOf(keys)}::text[], ${idsOf(keys)}::bigint[]) AS k(shop, id)
    LEFT JOIN "Order" o ON o."shopDomain" = k.shop AND o."id" = k.id`);
  return new Map(
    rows.map((row) => [
      keyText(row.shop, BigInt(row.id)),
      { refundsInPresentment: row.total, row: row.currency === null ? null : { ...row, currency: row.currency } },
    ]),
  );
}

export async function upsertOrders(tx: Db, orders: readonly { shop: string; order: OrderFacts; versionHash: string; refunded: string; deleted: boolean }[]): Promise<void> {
  if (orders.length === 0) return;
  const column = <T>(pick: (order: OrderFacts) => T) => orders.map((o) => pick(o.order));
  const amount = (pick: (order: OrderFacts) => { toString(): string }) => orders.map((o) => pick(o.order).toString());
  await tx.query(sql`
    INSERT INTO "Order" ("shopDomain", "id", "customerId", "name", "currency", "presentmentCurrency", "totalPrice",
      "presentmentTotalPrice", "subtotalPrice", "totalDiscounts", "totalTax", "totalShipping", "refunded", "financialStatus",
      "cancelledAt", "test", "shopifyCreatedAt", "processedAt", "shopifyUpdatedAt", "versionHash", "sourceName",
      "discountCodes", "lineItems", "deletedAt", "storedAt")
    SELECT v.shop, v.id, v.customer_id, v.name, v.currency, v.presentment_currency, v.total_price, v.presentment_total_price,
           v.subtotal_price, v.total_discounts, v.total_tax, v.total_shipping, v.refunded, v.financial_status, v.cancelled_at,
           v.test, v.created_at, v.processed_at, v.updated_at, v.version_hash, v.source_name,
           ARRAY(SELECT jsonb_array_elements_text(v.discount_codes)), v.line_items, CASE WHEN v.deleted THEN now() END, now()
    FROM unnest(${orders.map((o) => o.shop)}::text[], ${column((o) => o.id.toString())}::bigint[],
                ${column((o) => o.customerId?.toString() ?? null)}::bigint[], ${column((o) => o.name)}::text[],
                ${column((o) => o.currency)}::text[], ${column((o) => o.presentmentCurrency)}::text[],
                ${amount((o) => o.totalPrice)}::numeric[], ${amount((o) => o.presentmentTotalPrice)}::numeric[],
                ${amount((o) => o.subtotalPrice)}::numeric[], ${amount((o) => o.totalDiscounts)}::numeric[],
                ${amount((o) => o.totalTax)}::numeric[], ${amount((o) => o.totalShipping)}::numeric[],
                ${orders.map((o) => o.refunded)}::numeric[], ${column((o) => o.financialStatus)}::text[],
                ${column((o) => iso(o.cancelledAt))}::timestamp(3)[], ${column((o) => String(o.test))}::boolean[],
                ${column((o) => iso(o.createdAt))}::timestamp(3)[], ${column((o) => iso(o.processedAt))}::timestamp(3)[],
                ${column((o) => iso(o.updatedAt))}::timestamp(3)[], ${orders.map((o) => o.versionHash)}::text[],
                ${column((o) => o.sourceName)}::text[], ${column((o) => JSON.stringify(o.discountCodes))}::jsonb[],
                ${column((o) => lineItemsJson(o.lineItems))}::json[], ${orders.map((o) => String(o.deleted))}::boolean[])
      AS v(shop, id, customer_id, name, currency, presentment_currency, total_price, presentment_total_price, subtotal_price,
           total_discounts, total_tax, total_shipping, refunded, financial_status, cancelled_at, test, created_at, processed_at,
           updated_at, version_hash, source_name, discount_codes, line_items, deleted)
    ${ORDER_UPSERT_NEWER}`);

}

export async function updateRefunded(tx: Db, updates: readonly { key: Key; refunded: string }[]): Promise<void> {
  if (updates.length === 0) return;
  await tx.query(sql`
    UPDATE "Order" o SET "refunded" = u.refunded, "storedAt" = now()
    FROM unnest(${updates.map((u) => u.key.shop)}::text[], ${updates.map((u) => u.key.id.toString())}::bigint[],
                ${updates.map((u) => u.refunded)}::numeric[]) AS u(shop, id, refunded)
    WHERE o."shopDomain" = u.shop AND o."id" = u.id`);
}

/** Recomputes each customer's figures from every stored order (caller holds the customer locks). */
export async function recomputeCustomers(tx: Db, customers: readonly Key[]): Promise<void> {
  if (customers.length === 0) return;
  const { rows } = await tx.query<{ shop: string; customerId: string; totalPrice: string; refunded: string; test: boolean; cancelledAt: Date | null; deletedAt: Date | null; processedAt: Date }>(sql`
    SELECT o."shopDomain" AS shop, o."customerId"::text AS "customerId", o."totalPrice"::text AS "totalPrice",
           o."refunded"::text AS "refunded", o."test", o."cancelledAt" AT TIME ZONE 'UTC' AS "cancelledAt",
           o."deletedAt" AT TIME ZONE 'UTC' AS "deletedAt", o."processedAt" AT TIME ZONE 'UTC' AS "processedAt"
    FROM unnest(${shopsOf(customers)}::text[], ${idsOf(customers)}::bigint[]) AS k(shop, id)
    JOIN "Order" o ON o."shopDomain" = k.shop AND o."customerId" = k.id`);
  const ordersOf = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = keyText(row.shop, BigInt(row.customerId));
    ordersOf.set(key, [...(ordersOf.get(key) ?? []), row]);
  }
  const figures: CustomerFigures[] = customers.map((customer) =>
    computeCustomerFigures(
      (ordersOf.get(keyText(customer.shop, customer.id)) ?? []).map((row) => ({
        totalPrice: money(row.totalPrice),
        refunded: money(row.refunded),
        placedAt: row.processedAt,
        test: row.test,
        cancelledAt: row.cancelledAt,
        deletedAt: row.deletedAt,
      })),
    ),
  );
  await tx.query(sql`
    INSERT INTO "Customer" ("shopDomain", "id", "ordersCount", "grossSales", "refunds", "netRevenue", "averageOrderValue",
                            "firstOrderAt", "lastOrderAt", "tenureDays", "purchaseFrequency", "figuresUpdatedAt")
    SELECT f.*, now()
    FROM unnest(${shopsOf(customers)}::text[], ${idsOf(customers)}::bigint[], ${figures.map((f) => f.ordersCount)}::int[],
                ${figures.map((f) => f.grossSales.toString())}::numeric[], ${figures.map((f) => f.refunds.toString())}::numeric[],
                ${figures.map((f) => f.netRevenue.toString())}::numeric[], ${figures.map((f) => f.averageOrderValue?.toString() ?? null)}::numeric[],
                ${figures.map((f) => iso(f.firstOrderAt))}::timestamp(3)[], ${figures.map((f) => iso(f.lastOrderAt))}::timestamp(3)[],
                ${figures.map((f) => f.tenureDays)}::float8[], ${figures.map((f) => f.purchaseFrequency)}::float8[]) AS f
    ${CUSTOMER_FIGURES_UPSERT}`);
}

/**
 * Splits items into waves in which each key appears at most once, keeping their order: the n-th item
 * with a key goes to wave n. Running the waves in sequence is running the items in sequence, per key.
 */
export function wavesBy<T>(items: readonly T[], keyOf: (item: T) => string): { item: T; index: number }[][] {
  const seen = new Map<string, number>();
  const waves: { item: T; index: number }[][] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const wave = seen.get(key) ?? 0;
    seen.set(key, wave + 1);
    (waves[wave] ??= []).push({ item, index });
  });
  return waves;
}

/** Applies the events in one transaction; returns each event's outcome, in order. */
export async function applyOrderEvents(events: readonly OrderEvent[]): Promise<ApplyResult[]> {
  if (events.length === 0) return [];
  return inTransaction(async (tx) => {
    await lockShopsShared(tx, events.map((event) => event.shop));
    const currencyOf = new Map<string, string | null>();
    for (const event of events) {
      const currency = event.kind === "order" ? event.order.currency : null;
      if (!currencyOf.get(event.shop)) currencyOf.set(event.shop, currency);
    }
    for (const [shop, currency] of currencyOf) await ensureShop(tx, shop, currency);

    const orderKeys = sortedKeys(events.map((event) => ({ shop: event.shop, id: orderIdOf(event) })));
    await lockAll(tx, "order", orderKeys);
    const storedOrders = await readStoredOrders(tx, orderKeys);
    const stored = new Map(storedOrders.map((order) => [keyText(order.key.shop, order.key.id), order.version]));
    const deleted = new Set(storedOrders.filter((order) => order.deleted).map((order) => keyText(order.key.shop, order.key.id)));
    // Every customer row this batch can write: the orders' stored customers and the versions' customers.
    const customerKeys = sortedKeys([
      ...storedOrders.flatMap(({ key, version }) => (version?.customerId != null ? [{ shop: key.shop, id: version.customerId }] : [])),
      ...events.flatMap((event) => (event.kind === "order" && event.order.customerId !== null ? [{ shop: event.shop, id: event.order.customerId }] : [])),
    ]);
    await lockAll(tx, "customer", customerKeys);

    const results: ApplyResult[] = events.map(() => "stored");
    const toRecompute: Key[] = [];
    for (const round of wavesBy(events, (event) => keyText(event.shop, orderIdOf(event)))) {
      await upsertRefunds(tx, round.flatMap(({ item: event }) => (event.kind === "refund" ? [{ shop: event.shop, refund: event.refund }] : event.order.refunds.map((refund) => ({ shop: event.shop, refund })))));
      // One profile row per customer per statement (ON CONFLICT cannot touch a row twice): later ones in waves, in order.
      const profiles = round.flatMap(({ item: event }) => (event.kind === "order" && event.order.customer ? [{ shop: event.shop, profile: event.order.customer }] : []));
      for (const wave of wavesBy(profiles, (p) => keyText(p.shop, p.profile.id))) await saveProfiles(tx, wave.map(({ item }) => item));

      const newer: { shop: string; order: OrderFacts; versionHash: string }[] = [];
      const refundsChanged: Key[] = [];
      for (const { item: event, index } of round) {
        const key = keyText(event.shop, orderIdOf(event));
        if (event.kind === "refund") {
          refundsChanged.push({ shop: event.shop, id: event.refund.orderId });
          continue;
        }
        const current = stored.get(key) ?? null;
        if (isNewerVersion(current, { updatedAt: event.order.updatedAt, versionHash: event.versionHash })) {
          newer.push(event);
          stored.set(key, { updatedAt: event.order.updatedAt, versionHash: event.versionHash, customerId: event.order.customerId });
          // The order may have moved from one customer to another: both are recomputed.
          for (const id of [current?.customerId, event.order.customerId]) if (id != null) toRecompute.push({ shop: event.shop, id });
        } else {
          results[index] = "stale";
          // An older or identical version: only refunds it carried may be new.
          if (event.order.refunds.length > 0) refundsChanged.push({ shop: event.shop, id: event.order.id });
        }
      }

      const refundState = await readRefundState(tx, [...newer.map((n) => ({ shop: n.shop, id: n.order.id })), ...refundsChanged]);
      const refundsOf = (shop: string, id: bigint) => money(refundState.get(keyText(shop, id))?.refundsInPresentment ?? "0");
      await upsertOrders(
        tx,
        newer.map((n) => ({
          ...n,
          refunded: moneyRefunded(n.order, [{ transactionsAmount: refundsOf(n.shop, n.order.id) }]).toString(),
          deleted: deleted.has(keyText(n.shop, n.order.id)),
        })),
      );
      // Orders whose refunds may have changed without a new version: bring `refunded` in step.
      const storedNow = new Set(newer.map((n) => keyText(n.shop, n.order.id)));
      const updates: { key: Key; refunded: string }[] = [];
      for (const key of sortedKeys(refundsChanged)) {
        const state = refundState.get(keyText(key.shop, key.id));
        if (storedNow.has(keyText(key.shop, key.id)) || !state?.row) continue; // before its order arrives the refund waits
        const row = state.row;
        const refunded = moneyRefunded(
          { currency: row.currency, presentmentCurrency: row.presentmentCurrency, totalPrice: money(row.totalPrice), presentmentTotalPrice: money(row.presentmentTotalPrice) },
          [{ transactionsAmount: money(state.refundsInPresentment) }],
        );
        if (refunded.equals(money(row.refunded))) continue;
        updates.push({ key, refunded: refunded.toString() });
        const customerId = stored.get(keyText(key.shop, key.id))?.customerId;
        if (customerId != null) toRecompute.push({ shop: key.shop, id: customerId });
      }
      await updateRefunded(tx, updates);
    }
    await recomputeCustomers(tx, sortedKeys(toRecompute));
    return results;
  });
}
