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
  const grossSales = sumMoney(counted.map((order) => order.totalPrice));
  const refunds = sumMoney(counted.map((order) => order.refunded));
  const netRevenue = grossSales.minus(refunds);
  if (counted.length === 0) {
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
  const times = counted.map((order) => order.placedAt.getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  const tenureDays = (last - first) / DAY_MS;
  return {
    ordersCount: counted.length,
    grossSales,
    refunds,
    netRevenue,
    averageOrderValue: netRevenue.dividedBy(counted.length).toDecimalPlaces(4),
    firstOrderAt: new Date(first),
    lastOrderAt: new Date(last),
    tenureDays,
    purchaseFrequency: counted.length >= 2 && tenureDays > 0 ? ((counted.length - 1) * 365) / tenureDays : null,
  };
}

/** Whole days since the last order, as of `now`. */
export function daysSinceLastOrder(lastOrderAt: Date | null, now: Date): number | null {
  return lastOrderAt === null ? null : Math.floor((now.getTime() - lastOrderAt.getTime()) / DAY_MS);
}
