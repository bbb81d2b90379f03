// Webhook bodies → domain facts. Shopify ids exceed 2^53, so bodies are parsed losslessly (a plain
// JSON.parse silently rounds 820982911946154508 to 820982911946154500), then validated with zod.
import { parse as parseLosslessJson } from "lossless-json";
import { z } from "zod";
import { type Money, ZERO, money, sumMoney } from "~/ltv/money";
import type { CustomerProfile, LineItemFacts, OrderFacts, RefundFacts } from "~/ltv/order-facts";

export class PayloadError extends Error {
  override name = "PayloadError";
}

/** Parses a webhook body, keeping integers beyond 2^53 exact (as bigint). */
export function parseWebhookBody(rawBody: string): unknown {
  try {
    return parseLosslessJson(rawBody, undefined, (text) => {
      if (/^-?\d+$/.test(text)) {
        const asNumber = Number(text);
        return Number.isSafeInteger(asNumber) ? asNumber : BigInt(text);
      }
      return Number(text);
    });
  } catch (error) {
    throw new PayloadError(`payload is not valid JSON: ${(error as Error).message}`);
  }
}

const MAX_ID = 2n ** 63n - 1n; // PostgreSQL BIGINT, which holds every Shopify id
const ZId = z
  .union([z.bigint(), z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .transform((value) => BigInt(value))
  .refine((value) => value >= 0n && value <= MAX_ID, "must be a Shopify id (0 … 2^63−1)");
const ZOptionalId = ZId.nullish().transform((value) => value ?? null);
const ZDate = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO-8601 time")
  .transform((value) => new Date(value));
const ZAmount = z
  .union([z.string(), z.number()])
  .refine((value) => /^-?\d+(\.\d+)?$/.test(String(value)), "must be a decimal amount")
  .transform((value) => money(String(value)));
const ZMoneyBag = z.object({
  shop_money: z.object({ amount: ZAmount, currency_code: z.string() }),
  presentment_money: z.object({ amount: ZAmount, currency_code: z.string() }).nullish(),
});
const nullableString = z.string().nullish().transform((value) => value ?? null);

/** Shop money from a `*_set` bag, falling back to the plain field (also shop money). */
function shopMoney(bag: z.infer<typeof ZMoneyBag> | null | undefined, plain: Money | null | undefined): Money {
  return bag?.shop_money.amount ?? plain ?? ZERO;
}

const ZTransaction = z.object({
  kind: z.string(),
  status: z.string().nullish(),
  amount: ZAmount,
});

const ZOrderAdjustment = z.object({
  amount: ZAmount.nullish(),
  amount_set: ZMoneyBag.nullish(),
});

export const ZRefundWebhook = z.object({
  id: ZId,
  order_id: ZId,
  created_at: ZDate,
  processed_at: ZDate.nullish(),
  transactions: z.array(ZTransaction).nullish(),
  order_adjustments: z.array(ZOrderAdjustment).nullish(),
});
export type TRefundWebhook = z.input<typeof ZRefundWebhook>;

function toRefundFacts(refund: z.infer<typeof ZRefundWebhook>): RefundFacts {
  // Money returned = successful refund transactions; shipping refunds and discrepancies are inside them.
  const returned = (refund.transactions ?? []).filter(
    (transaction) => transaction.kind === "refund" && transaction.status === "success",
  );
  return {
    id: refund.id,
    orderId: refund.order_id,
    createdAt: refund.created_at,
    processedAt: refund.processed_at ?? refund.created_at,
    transactionsAmount: sumMoney(returned.map((transaction) => transaction.amount)),
    adjustmentsAmount: sumMoney(
      (refund.order_adjustments ?? []).map((adjustment) => shopMoney(adjustment.amount_set, adjustment.amount)),
    ),
  };
}

const ZCustomer = z.object({
  id: ZId,
  email: nullableString,
  first_name: nullableString,
  last_name: nullableString,
  updated_at: ZDate.nullish(),
});

function toCustomerProfile(customer: z.infer<typeof ZCustomer>): CustomerProfile {
  return {
    id: customer.id,
    email: customer.email,
    firstName: customer.first_name,
    lastName: customer.last_name,
    updatedAt: customer.updated_at ?? null,
  };
}

const ZLineItem = z.object({
  id: ZId,
  product_id: ZOptionalId,
  variant_id: ZOptionalId,
  sku: nullableString,
  title: z.string().nullish(),
  name: z.string().nullish(),
  quantity: z.number().int(),
  price: ZAmount.nullish(),
  price_set: ZMoneyBag.nullish(),
  total_discount: ZAmount.nullish(),
  total_discount_set: ZMoneyBag.nullish(),
  discount_allocations: z.array(z.object({ amount: ZAmount.nullish(), amount_set: ZMoneyBag.nullish() })).nullish(),
});

function toLineItemFacts(line: z.infer<typeof ZLineItem>): LineItemFacts {
  const allocations = line.discount_allocations ?? [];
  const discount =
    allocations.length > 0
      ? sumMoney(allocations.map((allocation) => shopMoney(allocation.amount_set, allocation.amount)))
      : shopMoney(line.total_discount_set, line.total_discount);
  return {
    id: line.id,
    productId: line.product_id,
    variantId: line.variant_id,
    sku: line.sku,
    title: line.title ?? line.name ?? "",
    quantity: line.quantity,
    amount: shopMoney(line.price_set, line.price).times(line.quantity).minus(discount),
  };
}

export const ZOrderWebhook = z
  .object({
    id: ZId,
    name: nullableString,
    currency: z.string().length(3),
    presentment_currency: z.string().length(3).nullish(),
    total_price: ZAmount.nullish(),
    total_price_set: ZMoneyBag.nullish(),
    subtotal_price: ZAmount.nullish(),
    subtotal_price_set: ZMoneyBag.nullish(),
    total_discounts: ZAmount.nullish(),
    total_discounts_set: ZMoneyBag.nullish(),
    total_tax: ZAmount.nullish(),
    total_tax_set: ZMoneyBag.nullish(),
    total_shipping_price_set: ZMoneyBag.nullish(),
    financial_status: nullableString,
    cancelled_at: ZDate.nullish(),
    test: z.boolean().nullish(),
    created_at: ZDate,
    processed_at: ZDate.nullish(),
    updated_at: ZDate,
    source_name: nullableString,
    discount_codes: z.array(z.object({ code: z.string() })).nullish(),
    line_items: z.array(ZLineItem).nullish(),
    refunds: z.array(ZRefundWebhook).nullish(),
    customer: ZCustomer.nullish(),
  })
  .refine((order) => order.total_price != null || order.total_price_set != null, {
    message: "total_price or total_price_set is required",
    path: ["total_price"],
  });
export type TOrderWebhook = z.input<typeof ZOrderWebhook>;

export const ZOrderDeleteWebhook = z.object({ id: ZId });

export const ZCustomerWebhook = ZCustomer;
export const ZCustomerDeleteWebhook = z.object({ id: ZId });

export const ZCustomersRedactWebhook = z.object({
  shop_domain: z.string().nullish(),
  customer: z.object({ id: ZId }),
  orders_to_redact: z.array(ZId).nullish(),
});

export const ZCustomersDataRequestWebhook = z.object({
  shop_domain: z.string().nullish(),
  customer: z.object({ id: ZId }),
  orders_requested: z.array(ZId).nullish(),
  data_request: z.object({ id: ZId }).nullish(),
});

export const ZScopesUpdateWebhook = z.object({ current: z.array(z.string()) });

export const ZBulkOperationFinishWebhook = z.object({
  admin_graphql_api_id: z.string(),
  status: z.string(),
  error_code: nullableString,
  completed_at: ZDate.nullish(),
});

/** Validates with a schema; a payload that can never be processed becomes a PayloadError naming its fields. */
export function parsePayload<Schema extends z.ZodType>(schema: Schema, payload: unknown): z.output<Schema> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
    .join("; ");
  throw new PayloadError(`payload is missing or has malformed fields — ${problems}`);
}

export function toOrderFacts(order: z.output<typeof ZOrderWebhook>): OrderFacts {
  const totalPrice = shopMoney(order.total_price_set, order.total_price);
  return {
    id: order.id,
    customerId: order.customer?.id ?? null,
    name: order.name,
    currency: order.currency,
    presentmentCurrency: order.presentment_currency ?? order.currency,
    totalPrice,
    presentmentTotalPrice: order.total_price_set?.presentment_money?.amount ?? totalPrice,
    subtotalPrice: shopMoney(order.subtotal_price_set, order.subtotal_price),
    totalDiscounts: shopMoney(order.total_discounts_set, order.total_discounts),
    totalTax: shopMoney(order.total_tax_set, order.total_tax),
    totalShipping: shopMoney(order.total_shipping_price_set, null),
    financialStatus: order.financial_status,
    cancelledAt: order.cancelled_at ?? null,
    test: order.test ?? false,
    createdAt: order.created_at,
    processedAt: order.processed_at ?? order.created_at,
    updatedAt: order.updated_at,
    sourceName: order.source_name,
    discountCodes: (order.discount_codes ?? []).map((discount) => discount.code),
    lineItems: (order.line_items ?? []).map(toLineItemFacts),
    refunds: (order.refunds ?? []).map(toRefundFacts),
    customer: order.customer ? toCustomerProfile(order.customer) : null,
  };
}

export function toRefund(refund: z.output<typeof ZRefundWebhook>): RefundFacts {
  return toRefundFacts(refund);
}

export function toCustomer(customer: z.output<typeof ZCustomerWebhook>): CustomerProfile {
  return toCustomerProfile(customer);
}

