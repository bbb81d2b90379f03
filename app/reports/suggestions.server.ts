// Retention suggestions at refit time: read the shop's scored customers and counted orders as the
// pure module's columnar input (app/ltv/suggestions), run it, and keep each playbook's audience in
// SuggestionMember (the report row keeps counts, not hundreds of thousands of ids).
import { pool, sql } from "~/pg.server";
import { type Playbook, type SuggestionInput, type SuggestionReport, buildSuggestions } from "~/ltv/suggestions";
import type { SuggestionCustomer } from "~/ltv/suggestions";
import type { ChurnRisk } from "~/ltv/churn-risk";
import type { RfmGroup } from "~/ltv/rfm";
import type { ValueTier } from "~/ltv/value-tiers";

const BATCH = 100_000;
/** Orders whose line items one query reads (~3 lines each). */
const ORDERS_PER_LINE_QUERY = 30_000;
const DAY_SECONDS = 86_400;

// Amounts are read as hundredths of the shop's currency unit (round(amount × 100)): exact for every
// currency with two decimals or fewer, which is what the playbooks sum.

async function loadCustomers(shop: string, previousAlive: ReadonlyMap<string, number>) {
  const customers: SuggestionCustomer[] = [];
  const indexById = new Map<string, number>();
  let after = "-1";
  for (;;) {
    const { rows } = await pool.query<{
      id: string;
      net: string;
      alive: number | null;
      clv: string | null;
      grp: string | null;
      tier: string | null;
      churn: string | null;
    }>(sql`
      SELECT "id"::text AS id, round("netRevenue" * 100)::text AS net, "probabilityAlive" AS alive,
             round("predictedClv12m" * 100)::text AS clv, "rfmGroup" AS grp, "valueTier" AS tier, "churnRisk" AS churn
      FROM "Customer"
      WHERE "shopDomain" = ${shop} AND "ordersCount" > 0 AND "id" > ${after}::bigint
      ORDER BY "id" LIMIT ${BATCH}`);
    for (const row of rows) {
      const previous = previousAlive.get(row.id);
      indexById.set(row.id, customers.length);
      customers.push({
        id: row.id,
        netRevenueMinor: Number(row.net),
        probabilityAlive: row.alive,
        probabilityAlivePrevious: previous === undefined || Number.isNaN(previous) ? null : previous,
        predictedClvMinor: row.clv === null ? null : Number(row.clv),
        rfmGroup: row.grp as RfmGroup | null,
        valueTier: row.tier as ValueTier | null,
        churnRisk: row.churn as ChurnRisk | null,
      });
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  return { customers, indexById };
}

/** Counted orders of known customers, by order id, and their lines by (order id, line id). */
async function loadOrdersAndLines(shop: string, indexById: ReadonlyMap<string, number>) {
  const orderIds: bigint[] = [];
  const customerIndex: number[] = [];
  const day: number[] = [];
  const netAmountMinor: number[] = [];
  let after = "-1";
  for (;;) {
    const { rows } = await pool.query<{ id: string; customer: string; day: number; net: string }>(sql`
      SELECT "id"::text AS id, "customerId"::text AS customer,
             floor(extract(epoch FROM "processedAt") / ${DAY_SECONDS})::int AS day, round(("totalPrice" - "refunded") * 100)::text AS net
      FROM "Order"
      WHERE "shopDomain" = ${shop} AND "customerId" IS NOT NULL AND NOT "test" AND "cancelledAt" IS NULL AND "deletedAt" IS NULL
        AND "id" > ${after}::bigint
      ORDER BY "id" LIMIT ${BATCH}`);
    for (const row of rows) {
      const customer = indexById.get(row.customer);
      if (customer === undefined) continue; // redacted meanwhile: not a customer of the report
      orderIds.push(BigInt(row.id));
      customerIndex.push(customer);
      day.push(row.day);
      netAmountMinor.push(Number(row.net));
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.id;
  }

  const products: SuggestionInput["products"][number][] = [];
  const productIndexById = new Map<string, number>();
  const orderIndex: number[] = [];
  const productIndex: number[] = [];
  const amountMinor: number[] = [];
  // Lines come in order-id order, as the orders do: walk both together instead of a 5M-entry map.
  // Each query covers the id range of the next ORDERS_PER_LINE_QUERY counted orders.
  let orderCursor = 0;
  for (let from = 0; from < orderIds.length; from += ORDERS_PER_LINE_QUERY) {
    const first = orderIds[from]!;
    const last = orderIds[Math.min(from + ORDERS_PER_LINE_QUERY, orderIds.length) - 1]!;
    const { rows } = await pool.query<{ orderId: string; product: string | null; title: string; amount: string }>(sql`
      SELECT o."id"::text AS "orderId", l."productId" AS product, l."title", round(l."amount" * 100)::text AS amount
      FROM "Order" o
      CROSS JOIN LATERAL ROWS FROM (json_to_recordset(o."lineItems") AS ("productId" text, "title" text, "amount" numeric))
        WITH ORDINALITY AS l("productId", "title", "amount", position)
      WHERE o."shopDomain" = ${shop} AND o."id" BETWEEN ${first.toString()}::bigint AND ${last.toString()}::bigint
      ORDER BY o."id", l.position`);
    for (const row of rows) {
      const orderId = BigInt(row.orderId);
      while (orderCursor < orderIds.length && orderIds[orderCursor]! < orderId) orderCursor++;
      if (orderCursor >= orderIds.length || orderIds[orderCursor] !== orderId) continue; // not a counted order
      let product = -1;
      if (row.product !== null) {
        const known = productIndexById.get(row.product);
        if (known === undefined) {
          product = products.length;
          productIndexById.set(row.product, product);
          // Line items carry no product type or collection: category interest needs the catalogue.
          products.push({ id: row.product, title: row.title, category: null });
        } else product = known;
      }
      orderIndex.push(orderCursor);
      productIndex.push(product);
      amountMinor.push(Number(row.amount));
    }
  }

  return {
    orders: { customerIndex: Int32Array.from(customerIndex), day: Int32Array.from(day), netAmountMinor: Float64Array.from(netAmountMinor) },
    lines: { orderIndex: Int32Array.from(orderIndex), productIndex: Int32Array.from(productIndex), amountMinor: Float64Array.from(amountMinor) },
    products,
  };
}

export async function computeSuggestions(shop: string, asOf: Date, previousAlive: ReadonlyMap<string, number>): Promise<SuggestionReport> {
  const { customers, indexById } = await loadCustomers(shop, previousAlive);
  const { orders, lines, products } = await loadOrdersAndLines(shop, indexById);
  return buildSuggestions({ asOfDay: Math.floor(asOf.getTime() / 86_400_000), customers, orders, lines, products });
}

/**
 * Each playbook's audience (and each product's, pair's or category's), keyed for SuggestionMember:
 * `<kind>`, `replenishment-<product>`, `cross_sell-<bought>-<suggested>`, `category_interest-<n>`.
 */
export function playbookAudiences(playbook: Playbook): Array<{ key: string; customerIds: readonly string[] }> {
  const audiences: Array<{ key: string; customerIds: readonly string[] }> = [{ key: playbook.kind, customerIds: playbook.audienceCustomerIds }];
  if (playbook.kind === "replenishment")
    for (const product of playbook.products) audiences.push({ key: `replenishment-${product.productId}`, customerIds: product.customerIds });
  if (playbook.kind === "cross_sell")
    for (const pair of playbook.pairs) audiences.push({ key: `cross_sell-${pair.boughtProductId}-${pair.suggestedProductId}`, customerIds: pair.customerIds });
  if (playbook.kind === "category_interest")
    // Category names are free text; the report's order names them (the page links by position).
    playbook.categories.forEach((category, index) => audiences.push({ key: `category_interest-${index}`, customerIds: category.customerIds }));
  return audiences;
}

/** The report as stored: counts and evidence, without the id lists (those go to SuggestionMember). */
export function withoutAudienceIds(report: SuggestionReport): unknown {
  return JSON.parse(
    JSON.stringify(report, (key, value: unknown) => (key === "audienceCustomerIds" || key === "customerIds" ? undefined : value)),
  ) as unknown;
}
