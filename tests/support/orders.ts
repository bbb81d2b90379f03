// Realistic order, refund and customer payloads in Shopify's webhook shape, built on Shopify's own
// sample (tests/fixtures/shopify/webhooks/orders_create.json) and serialised with exact 18-digit ids.
import { readFileSync } from "node:fs";
import { parse, stringify } from "lossless-json";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/shopify/webhooks/${name}`, import.meta.url), "utf8");

/** A fixture's exact text, ids untouched. */
export const sampleBody = (name: string): string => fixture(name);

const sampleOrder = parse(fixture("orders_create.json")) as Record<string, unknown>;

const moneySet = (amount: string, currency = "EUR") => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount, currency_code: currency },
});

export type OrderSpec = {
  id: bigint;
  customerId: bigint | null;
  total: string;
  updatedAt: string;
  createdAt?: string;
  processedAt?: string;
  cancelledAt?: string | null;
  test?: boolean;
  financialStatus?: string;
  currency?: string;
  refunds?: RefundSpec[];
  lineItems?: Array<{ id: bigint; productId: bigint; title: string; quantity: number; price: string }>;
  email?: string | null;
};

export type RefundSpec = { id: bigint; orderId: bigint; amount: string; createdAt: string };

export function refundPayload(refund: RefundSpec): Record<string, unknown> {
  return {
    id: refund.id,
    order_id: refund.orderId,
    created_at: refund.createdAt,
    processed_at: refund.createdAt,
    note: null,
    restock: false,
    refund_line_items: [],
    order_adjustments: [],
    transactions: [
      { id: refund.id + 1n, order_id: refund.orderId, kind: "refund", status: "success", amount: refund.amount, currency: null },
      // A failed attempt returns no money and must not count.
      { id: refund.id + 2n, order_id: refund.orderId, kind: "refund", status: "failure", amount: refund.amount, currency: null },
    ],
  };
}

export function orderPayload(spec: OrderSpec): Record<string, unknown> {
  const currency = spec.currency ?? "EUR";
  const lineItems = (spec.lineItems ?? [{ id: spec.id + 100n, productId: 7001n, title: "Ceramic mug", quantity: 1, price: spec.total }]).map(
    (line) => ({
      id: line.id,
      product_id: line.productId,
      variant_id: line.productId * 10n,
      sku: `SKU-${line.productId}`,
      title: line.title,
      name: line.title,
      quantity: line.quantity,
      price: line.price,
      price_set: moneySet(line.price, currency),
      total_discount: "0.00",
      total_discount_set: moneySet("0.00", currency),
      discount_allocations: [],
    }),
  );
  return {
    ...sampleOrder,
    id: spec.id,
    admin_graphql_api_id: `gid://shopify/Order/${spec.id}`,
    name: `#${spec.id % 100000n}`,
    currency,
    presentment_currency: currency,
    total_price: spec.total,
    total_price_set: moneySet(spec.total, currency),
    current_total_price: spec.total,
    subtotal_price: spec.total,
    subtotal_price_set: moneySet(spec.total, currency),
    total_discounts: "0.00",
    total_discounts_set: moneySet("0.00", currency),
    total_tax: "0.00",
    total_tax_set: moneySet("0.00", currency),
    total_shipping_price_set: moneySet("0.00", currency),
    financial_status: spec.financialStatus ?? "paid",
    cancelled_at: spec.cancelledAt ?? null,
    cancel_reason: spec.cancelledAt ? "customer" : null,
    test: spec.test ?? false,
    created_at: spec.createdAt ?? spec.updatedAt,
    processed_at: spec.processedAt ?? spec.createdAt ?? spec.updatedAt,
    updated_at: spec.updatedAt,
    source_name: "web",
    discount_codes: [],
    line_items: lineItems,
    refunds: (spec.refunds ?? []).map(refundPayload),
    customer:
      spec.customerId === null
        ? null
        : {
            id: spec.customerId,
            email: spec.email === undefined ? `buyer${spec.customerId}@example.com` : spec.email,
            first_name: "Ada",
            last_name: "Lovelace",
            updated_at: spec.updatedAt,
            admin_graphql_api_id: `gid://shopify/Customer/${spec.customerId}`,
          },
  };
}

/** JSON text with bigint ids written as plain integers, as Shopify writes them. */
export const toJson = (value: unknown): string => stringify(value) ?? "null";
