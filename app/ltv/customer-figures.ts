// A customer's historical figures, computed from their stored orders — never incremented.
import { type Money, ZERO, sumMoney } from "./money";
import { orderCounts } from "./order-facts";

export type CustomerOrder = {
  totalPrice: Money;
  /** Money refunded on this order, shop money. */
  refunded: Money;
  placedAt: Date;
  test: boolean;
  cancelledAt: Date | null;
  deletedAt?: Date | null;
};

export type CustomerFigures = {
  ordersCount: number;
  grossSales: Money;
  refunds: Money;
  /** gross sales − refunds: the customer's historical lifetime value. */
  netRevenue: Money;
  averageOrderValue: Money | null;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** Days between the first and the last counted order. */
  tenureDays: number | null;
  /** Orders per year between the first and last order; null with fewer than two orders. */
  purchaseFrequency: number | null;
};

const DAY_MS = 86_400_000;

export function computeCustomerFigures(orders: readonly CustomerOrder[]): CustomerFigures {
  const counted = orders.filter(orderCounts);
  if (counted.length === 0) return figuresFromTotals({ ordersCount: 0, grossSales: ZERO, refunds: ZERO, firstOrderAt: null, lastOrderAt: null });
  const times = counted.map((order) => order.placedAt.getTime());
  return figuresFromTotals({
    ordersCount: counted.length,
    grossSales: sumMoney(counted.map((order) => order.totalPrice)),
    refunds: sumMoney(counted.map((order) => order.refunded)),
    firstOrderAt: new Date(Math.min(...times)),
    lastOrderAt: new Date(Math.max(...times)),
  });
}

/** What the figures depend on: a customer's counted orders, their sums and their first and last time. */
export type CustomerTotals = { ordersCount: number; grossSales: Money; refunds: Money; firstOrderAt: Date | null; lastOrderAt: Date | null };

/**
 * The figures from the counted orders' totals — computeCustomerFigures' second half, shared with the
 * set-based recomputation (app/orders/recompute-shop-customers.server.ts), which sums in SQL.
 */
export function figuresFromTotals(totals: CustomerTotals): CustomerFigures {
  const { ordersCount, grossSales, refunds, firstOrderAt, lastOrderAt } = totals;
  const netRevenue = grossSales.minus(refunds);
  if (ordersCount === 0 || firstOrderAt === null || lastOrderAt === null) {
    return {
      ordersCount: 0,
      grossSales: ZERO,
      refunds: ZERO,
      netRevenue: ZERO,
      averageOrderValue: null,
      firstOrderAt: null,
      lastOrderAt: null,
      tenureDays: null,
      purchaseFrequency: null,
    };
  }
  const tenureDays = (lastOrderAt.getTime() - firstOrderAt.getTime()) / DAY_MS;
  return {
    ordersCount,
    grossSales,
    refunds,
    netRevenue,
    averageOrderValue: netRevenue.dividedBy(ordersCount).toDecimalPlaces(4),
    firstOrderAt,
    lastOrderAt,
    tenureDays,
    purchaseFrequency: ordersCount >= 2 && tenureDays > 0 ? ((ordersCount - 1) * 365) / tenureDays : null,
  };
}

/** Whole days since the last order, as of `now`. */
export function daysSinceLastOrder(lastOrderAt: Date | null, now: Date): number | null {
  return lastOrderAt === null ? null : Math.floor((now.getTime() - lastOrderAt.getTime()) / DAY_MS);
}
