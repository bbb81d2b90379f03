// The facts Tenure keeps about orders and refunds, and the rules that decide what counts.
import { type Money, ZERO, sumMoney } from "./money";

export type LineItemFacts = {
  id: bigint;
  productId: bigint | null;
  variantId: bigint | null;
  sku: string | null;
  title: string;
  quantity: number;
  /** price × quantity − discounts allocated to the line, shop money. */
  amount: Money;
};

export type RefundFacts = {
  id: bigint;
  orderId: bigint;
  createdAt: Date;
  processedAt: Date;
  /** Σ successful refund transactions, in the transactions' currency (the order's presentment currency). */
  transactionsAmount: Money;
  /** Σ order adjustments (shipping refunds, discrepancies), shop money; already inside the transactions. */
  adjustmentsAmount: Money;
};

export type CustomerProfile = {
  id: bigint;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  updatedAt: Date | null;
};

export type OrderFacts = {
  id: bigint;
  customerId: bigint | null;
  name: string | null;
  /** The shop's currency: every amount below is `shop_money`. */
  currency: string;
  presentmentCurrency: string;
  totalPrice: Money;
  /** Total in the buyer's currency, to convert refund transactions made in it. */
  presentmentTotalPrice: Money;
  subtotalPrice: Money;
  totalDiscounts: Money;
  totalTax: Money;
  totalShipping: Money;
  financialStatus: string | null;
  cancelledAt: Date | null;
  test: boolean;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  sourceName: string | null;
  discountCodes: string[];
  lineItems: LineItemFacts[];
  refunds: RefundFacts[];
  customer: CustomerProfile | null;
};

/** An order counts towards revenue and LTV unless it is a test order, cancelled or deleted. */
export function orderCounts(order: { test: boolean; cancelledAt: Date | null; deletedAt?: Date | null }): boolean {
  return !order.test && order.cancelledAt === null && !order.deletedAt;
}

/**
 * Money refunded on an order, in shop money. Refund transactions are recorded in the currency the
 * buyer paid in; when that is not the shop's currency they are converted at the order's own rate.
 */
export function moneyRefunded(
  order: { currency: string; presentmentCurrency: string; totalPrice: Money; presentmentTotalPrice: Money },
  refunds: Iterable<{ transactionsAmount: Money }>,
): Money {
  const inPresentment = sumMoney([...refunds].map((refund) => refund.transactionsAmount));
  if (order.presentmentCurrency === order.currency || inPresentment.isZero()) return inPresentment;
  if (order.presentmentTotalPrice.isZero()) return ZERO;
  return inPresentment.times(order.totalPrice).dividedBy(order.presentmentTotalPrice).toDecimalPlaces(4);
}

export type OrderVersion = { updatedAt: Date; versionHash: string };

/**
 * Whether an incoming version of an order replaces the stored one: the newest `updated_at` wins, and
 * the content hash breaks ties so that any delivery order ends in the same state.
 */
export function isNewerVersion(stored: OrderVersion | null, incoming: OrderVersion): boolean {
  if (stored === null) return true;
  const difference = incoming.updatedAt.getTime() - stored.updatedAt.getTime();
  if (difference !== 0) return difference > 0;
  return incoming.versionHash > stored.versionHash;
}
