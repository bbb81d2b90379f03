// Order history as a bulk operation's JSONL result, in the shape of ordersBulkQuery()'s selection:
// order lines with their refunds inline, then their line items as lines of their own (`__parentId`).
import type { BulkLineItemLine, BulkOrderLine } from "~/shopify/admin-operations";
import { gid } from "~/shopify/admin-operations";

export type HistoryOrder = {
  id: bigint;
  customerId: bigint | null;
  createdAt: string;
  updatedAt: string;
  /** Shop money, two decimals; the line items share it out. */
  total: string;
  lineItems: number;
  refunds?: { id: bigint; amount: string; createdAt: string }[];
  cancelledAt?: string | null;
  test?: boolean;
};

const money = (amount: string, currencyCode = "EUR") => ({ amount, currencyCode });

export function bulkOrderLine(order: HistoryOrder): BulkOrderLine {
  return {
    id: gid("Order", order.id),
    name: `#${order.id % 100_000n}`,
    createdAt: order.createdAt,
    processedAt: order.createdAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt ?? null,
    test: order.test ?? false,
    currencyCode: "EUR",
    presentmentCurrencyCode: "EUR",
    displayFinancialStatus: (order.refunds?.length ?? 0) > 0 ? "PARTIALLY_REFUNDED" : "PAID",
    sourceName: "web",
    discountCodes: [],
    totalPriceSet: { shopMoney: money(order.total), presentmentMoney: money(order.total) },
    subtotalPriceSet: { shopMoney: { amount: order.total } },
    totalDiscountsSet: { shopMoney: { amount: "0.00" } },
    totalTaxSet: { shopMoney: { amount: "0.00" } },
    totalShippingPriceSet: { shopMoney: { amount: "0.00" } },
    customer: order.customerId === null ? null : { id: gid("Customer", order.customerId), email: null, firstName: null, lastName: null, updatedAt: order.createdAt },
    refunds: (order.refunds ?? []).map((refund) => ({
      id: gid("Refund", refund.id),
      createdAt: refund.createdAt,
      totalRefundedSet: { shopMoney: { amount: refund.amount }, presentmentMoney: money(refund.amount) },
    })),
  };
}

export function bulkLineItemLines(order: HistoryOrder): BulkLineItemLine[] {
  const cents = Math.round(Number(order.total) * 100);
  const share = Math.floor(cents / order.lineItems);
  return Array.from({ length: order.lineItems }, (_, index) => {
    const amountCents = index === order.lineItems - 1 ? cents - share * (order.lineItems - 1) : share;
    return {
      id: gid("LineItem", order.id * 10n + BigInt(index)),
      sku: `SKU-${index}`,
      title: `Product ${index}`,
      quantity: 1,
      product: { id: gid("Product", 9_000n + BigInt(index)) },
      variant: { id: `gid://shopify/ProductVariant/${8_000 + index}` },
      discountedTotalSet: { shopMoney: { amount: (amountCents / 100).toFixed(2) } },
      __parentId: gid("Order", order.id),
    };
  });
}

/**
 * The JSONL lines Shopify would write. Every `displaceEvery`-th order has its line items written
 * after the next order's, as bulk results may ("children come after their parent, not necessarily
 * right after it").
 */
export function bulkResultLines(orders: readonly HistoryOrder[], options: { displaceEvery?: number } = {}): string[] {
  const lines: string[] = [];
  let held: string[] = [];
  orders.forEach((order, index) => {
    lines.push(JSON.stringify(bulkOrderLine(order)));
    lines.push(...held);
    held = [];
    const children = bulkLineItemLines(order).map((line) => JSON.stringify(line));
    if (options.displaceEvery && index % options.displaceEvery === 0) held = children;
    else lines.push(...children);
  });
  lines.push(...held);
  return lines;
}

/** Σ net revenue per customer the way Tenure counts it: not test, not cancelled, less refunds. */
export function expectedNetRevenue(orders: readonly HistoryOrder[]): Map<bigint, string> {
  const cents = new Map<bigint, number>();
  for (const order of orders) {
    if (order.customerId === null || order.test || order.cancelledAt) continue;
    const refunded = (order.refunds ?? []).reduce((sum, refund) => sum + Math.round(Number(refund.amount) * 100), 0);
    cents.set(order.customerId, (cents.get(order.customerId) ?? 0) + Math.round(Number(order.total) * 100) - refunded);
  }
  return new Map([...cents].map(([customerId, value]) => [customerId, (value / 100).toFixed(2)]));
}
