// Writes a batch of imported orders (a bulk-operation backfill) under the order store's rules, so an
// import and webhooks arriving meanwhile converge like any two deliveries (docs/decisions/0010):
// the newest version of an order wins (isNewerVersion), deleted orders stay deleted, refunds are keyed
// by id, profiles are saved with the webhook path's statement, and every customer touched is
// recomputed from stored facts under its advisory lock. Locks are taken once, up front, in the global
// order every writer uses (orders, then customers, each sorted by shop and id).
import { money } from "~/ltv/money";
import { type OrderFacts, isNewerVersion, moneyRefunded } from "~/ltv/order-facts";
import { type Db, sql } from "~/pg.server";
import { BULK_VERSION_PREFIX, type ImportedOrder, type LateLineItem } from "~/backfill/bulk-orders";
import {
  type Key,
  type StoredVersion,
  keyText,
  lockAll,
  readRefundState,
  readStoredOrders,
  recomputeCustomers,
  saveProfiles,
  sortedKeys,
  updateRefunded,
  upsertOrders,
  upsertRefunds,
  wavesBy,
} from "./apply-order-events.server";
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

/** The advisory locks importOrdersIn takes at most for a batch of this shape (see docs/decisions/0010). */
export function importLockBound(orders: number, lateOrders: number): number {
  // An order's lock, and at most two customers' (the stored one and the incoming one).
  return orders * 3 + lateOrders;
}

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

/**
 * Applies imported orders and late line items in the caller's transaction. A late line item lands
 * only if its order is stored with an imported version (not a webhook's), and — when the assembler
 * still remembers it — with the updated_at this import wrote: a newer webhook version carries its
 * own line items and must not gain one from an older file.
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

  const orderKeys = sortedKeys([...orders.map((o) => ({ shop, id: o.order.id })), ...lateLineItems.map((l) => ({ shop, id: l.orderId }))]);
  await lockAll(tx, "order", orderKeys);
  const storedOrders = await readStoredOrders(tx, orderKeys);
  const stored = new Map<string, StoredVersion | null>(storedOrders.map((o) => [keyText(o.key.shop, o.key.id), o.version]));
  const deleted = new Set(storedOrders.filter((o) => o.deleted).map((o) => keyText(o.key.shop, o.key.id)));
  const importedIds = new Set(orders.map((o) => keyText(shop, o.order.id)));
  // Every customer row this batch can write: the imported orders' stored customers and their new ones.
  // (A late line item changes no figure, so its order's customer is not locked.)
  const customerKeys = sortedKeys([
    ...storedOrders.flatMap(({ key, version }) => (importedIds.has(keyText(key.shop, key.id)) && version?.customerId != null ? [{ shop, id: version.customerId }] : [])),
    ...orders.flatMap((o) => (o.order.customerId !== null ? [{ shop, id: o.order.customerId }] : [])),
  ]);
  await lockAll(tx, "customer", customerKeys);

  await upsertRefunds(tx, orders.flatMap((o) => o.order.refunds.map((refund) => ({ shop, refund }))));
  // One profile row per customer per statement (ON CONFLICT cannot touch a row twice): later ones in waves, in file order.
  const profiles = orders.flatMap((o) => (o.order.customer ? [{ shop, profile: o.order.customer }] : []));
  for (const wave of wavesBy(profiles, (p) => p.profile.id.toString())) await saveProfiles(tx, wave.map(({ item }) => item));

  const newer: { shop: string; order: OrderFacts; versionHash: string }[] = [];
  const staleWithRefunds: Key[] = [];
  const toRecompute: Key[] = [];
  for (const { order, versionHash } of orders) {
    const key = keyText(shop, order.id);
    const current = stored.get(key) ?? null;
    if (isNewerVersion(current, { updatedAt: order.updatedAt, versionHash })) {
      newer.push({ shop, order, versionHash });
      stored.set(key, { updatedAt: order.updatedAt, versionHash, customerId: order.customerId });
      // The order may have moved from one customer to another: both are recomputed.
      for (const id of [current?.customerId, order.customerId]) if (id != null) toRecompute.push({ shop, id });
    } else {
      outcome.stale += 1;
      // An older or identical version: only refunds it carried may be new.
      if (order.refunds.length > 0) staleWithRefunds.push({ shop, id: order.id });
    }
  }
  outcome.stored = newer.length;

  const refundState = await readRefundState(tx, [...newer.map((n) => ({ shop, id: n.order.id })), ...staleWithRefunds]);
  const refundsOf = (id: bigint) => money(refundState.get(keyText(shop, id))?.refundsInPresentment ?? "0");
  await upsertOrders(
    tx,
    newer.map((n) => ({
      ...n,
      refunded: moneyRefunded(n.order, [{ transactionsAmount: refundsOf(n.order.id) }]).toString(),
      deleted: deleted.has(keyText(shop, n.order.id)),
    })),
  );
  const updates: { key: Key; refunded: string }[] = [];
  for (const key of staleWithRefunds) {
    const row = refundState.get(keyText(key.shop, key.id))?.row;
    if (!row) continue;
    const refunded = moneyRefunded(
      { currency: row.currency, presentmentCurrency: row.presentmentCurrency, totalPrice: money(row.totalPrice), presentmentTotalPrice: money(row.presentmentTotalPrice) },
      [{ transactionsAmount: money(refundState.get(keyText(key.shop, key.id))?.refundsInPresentment ?? "0") }],
    );
    if (refunded.equals(money(row.refunded))) continue;
    updates.push({ key, refunded: refunded.toString() });
    const customerId = stored.get(keyText(key.shop, key.id))?.customerId;
    if (customerId != null) toRecompute.push({ shop, id: customerId });
  }
  await updateRefunded(tx, updates);

  const lateToStore: LateLineItem[] = [];
  for (const late of lateLineItems) {
    const version = stored.get(keyText(shop, late.orderId)) ?? null;
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

  await recomputeCustomers(tx, sortedKeys(toRecompute));
  return outcome;
}

/** Adds line items to stored orders; one already there is kept (a line item's id never changes order). */
async function insertLineItems(tx: Db, shop: string, lines: readonly LateLineItem[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.query(sql`
    INSERT INTO "LineItem" ("shopDomain", "orderId", "id", "productId", "variantId", "sku", "title", "quantity", "amount")
    SELECT ${shop}, l.* FROM unnest(${lines.map((l) => l.orderId.toString())}::bigint[],
                         ${lines.map((l) => l.lineItem.id.toString())}::bigint[], ${lines.map((l) => l.lineItem.productId?.toString() ?? null)}::bigint[],
                         ${lines.map((l) => l.lineItem.variantId?.toString() ?? null)}::bigint[], ${lines.map((l) => l.lineItem.sku)}::text[],
                         ${lines.map((l) => l.lineItem.title)}::text[], ${lines.map((l) => l.lineItem.quantity)}::int[],
                         ${lines.map((l) => l.lineItem.amount.toString())}::numeric[]) AS l
    ON CONFLICT DO NOTHING`);
}
