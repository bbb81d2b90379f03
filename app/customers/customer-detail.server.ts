// One customer as the customer page shows them: figures, scores, the order timeline with refunds.
// Only the shop's own customer: the key is (shop, id), so another shop's customer is simply not found.
import { prisma } from "~/db.server";
import { daysSinceLastOrder } from "~/ltv/customer-figures";
import { money } from "~/ltv/money";
import { moneyRefunded, orderCounts } from "~/ltv/order-facts";
import { storedLineItems } from "~/orders/line-items";
import { type Explanation, type ModelStatus, explainPredictions } from "./explanation";
import { readModelStatus } from "./model-status.server";

/** Orders shown on the page, newest first; a customer with more sees how many there are. */
export const TIMELINE_ORDERS = 100;
/** Line items named per order; the rest are counted. */
export const LINE_ITEMS_SHOWN = 3;

export type CustomerTimelineOrder = {
  id: string;
  name: string | null;
  processedAt: string;
  totalPrice: string;
  refunded: string;
  financialStatus: string | null;
  cancelled: boolean;
  test: boolean;
  deleted: boolean;
  counted: boolean;
  lineItems: Array<{ title: string; quantity: number }>;
  lineItemCount: number;
  refunds: Array<{ id: string; processedAt: string; amount: string }>;
};

export type CustomerDetail = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  redacted: boolean;
  deleted: boolean;
  figures: {
    ordersCount: number;
    grossSales: string;
    refunds: string;
    netRevenue: string;
    averageOrderValue: string | null;
    firstOrderAt: string | null;
    lastOrderAt: string | null;
    tenureDays: number | null;
    daysSinceLastOrder: number | null;
  };
  scores: {
    probabilityAlive: number | null;
    expectedPurchases: number | null;
    expectedOrderValue: string | null;
    predictedClv: string | null;
    churnRisk: string | null;
    rfmGroup: string | null;
    rfmRecency: number | null;
    rfmFrequency: number | null;
    rfmMonetary: number | null;
    valueTier: string | null;
    scoredAt: string | null;
  };
  model: ModelStatus;
  explanation: Explanation;
  orders: CustomerTimelineOrder[];
  /** Every stored order of the customer, counted or not (the timeline shows the latest). */
  storedOrders: number;
};

const decimal = (value: { toString(): string } | null) => (value === null ? null : value.toString());

export type CustomerSummary = Omit<CustomerDetail, "orders" | "storedOrders">;

/**
 * One customer's figures, scores, the shop's model status and the explanation of the predictions, or
 * null when the shop has no such customer: what the customer page and the admin's customer block share.
 */
export async function readCustomerSummary(shop: string, id: bigint, now = new Date()): Promise<CustomerSummary | null> {
  const [customer, model] = await Promise.all([
    prisma.customer.findUnique({ where: { shopDomain_id: { shopDomain: shop, id } } }),
    readModelStatus(shop),
  ]);
  if (!customer) return null;
  const scores = {
    probabilityAlive: customer.probabilityAlive,
    expectedPurchases: customer.expectedPurchases12m,
    expectedOrderValue: decimal(customer.expectedOrderValue),
    predictedClv: decimal(customer.predictedClv12m),
    churnRisk: customer.churnRisk,
    rfmGroup: customer.rfmGroup,
    rfmRecency: customer.rfmRecency,
    rfmFrequency: customer.rfmFrequency,
    rfmMonetary: customer.rfmMonetary,
    valueTier: customer.valueTier,
    scoredAt: customer.scoredAt?.toISOString() ?? null,
  };
  const figures = {
    ordersCount: customer.ordersCount,
    grossSales: customer.grossSales.toString(),
    refunds: customer.refunds.toString(),
    netRevenue: customer.netRevenue.toString(),
    averageOrderValue: decimal(customer.averageOrderValue),
    firstOrderAt: customer.firstOrderAt?.toISOString() ?? null,
    lastOrderAt: customer.lastOrderAt?.toISOString() ?? null,
    tenureDays: customer.tenureDays,
    daysSinceLastOrder: daysSinceLastOrder(customer.lastOrderAt, now),
  };
  return {
    id: customer.id.toString(),
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    redacted: customer.redactedAt !== null,
    deleted: customer.deletedAt !== null,
    figures,
    scores,
    model,
    explanation: explainPredictions(
      {
        ordersCount: figures.ordersCount,
        firstOrderAt: figures.firstOrderAt,
        lastOrderAt: figures.lastOrderAt,
        probabilityAlive: scores.probabilityAlive,
        expectedPurchases12m: scores.expectedPurchases,
        predictedClv12m: scores.predictedClv,
        now: now.toISOString(),
      },
      model,
    ),
  };
}

/** The customer page's data, or null when the shop has no such customer. */
export async function readCustomerDetail(shop: string, id: bigint, now = new Date()): Promise<CustomerDetail | null> {
  const summary = await readCustomerSummary(shop, id, now);
  if (!summary) return null;
  const [orders, storedOrders] = await Promise.all([
    prisma.order.findMany({
      where: { shopDomain: shop, customerId: id },
      orderBy: [{ processedAt: "desc" }, { id: "desc" }],
      take: TIMELINE_ORDERS,
      select: {
        id: true,
        name: true,
        currency: true,
        presentmentCurrency: true,
        totalPrice: true,
        presentmentTotalPrice: true,
        refunded: true,
        financialStatus: true,
        cancelledAt: true,
        test: true,
        deletedAt: true,
        processedAt: true,
        lineItems: true,
      },
    }),
    prisma.order.count({ where: { shopDomain: shop, customerId: id } }),
  ]);
  const linesByOrder = new Map<bigint, { shown: Array<{ title: string; quantity: number }>; count: number }>();
  for (const order of orders) {
    const lines = storedLineItems(order.lineItems);
    linesByOrder.set(order.id, { shown: lines.slice(0, LINE_ITEMS_SHOWN).map(({ title, quantity }) => ({ title, quantity })), count: lines.length });
  }
  const refunds =
    orders.length === 0
      ? []
      : await prisma.refund.findMany({
          where: { shopDomain: shop, orderId: { in: orders.map((order) => order.id) } },
          orderBy: [{ processedAt: "asc" }, { id: "asc" }],
          select: { id: true, orderId: true, processedAt: true, transactionsAmount: true },
        });
  const refundsByOrder = new Map<bigint, typeof refunds>();
  for (const refund of refunds) refundsByOrder.set(refund.orderId, [...(refundsByOrder.get(refund.orderId) ?? []), refund]);

  return {
    ...summary,
    storedOrders,
    orders: orders.map((order) => {
      const shopMoney = {
        currency: order.currency,
        presentmentCurrency: order.presentmentCurrency,
        totalPrice: money(order.totalPrice.toString()),
        presentmentTotalPrice: money(order.presentmentTotalPrice.toString()),
      };
      return {
        id: order.id.toString(),
        name: order.name,
        processedAt: order.processedAt.toISOString(),
        totalPrice: order.totalPrice.toString(),
        refunded: order.refunded.toString(),
        financialStatus: order.financialStatus,
        cancelled: order.cancelledAt !== null,
        test: order.test,
        deleted: order.deletedAt !== null,
        counted: orderCounts({ test: order.test, cancelledAt: order.cancelledAt, deletedAt: order.deletedAt }),
        lineItems: linesByOrder.get(order.id)?.shown ?? [],
        lineItemCount: linesByOrder.get(order.id)?.count ?? 0,
        // Each refund in shop money, converted at the order's own rate as the order's `refunded` is.
        refunds: (refundsByOrder.get(order.id) ?? []).map((refund) => ({
          id: refund.id.toString(),
          processedAt: refund.processedAt.toISOString(),
          amount: moneyRefunded(shopMoney, [{ transactionsAmount: money(refund.transactionsAmount.toString()) }]).toString(),
        })),
      };
    }),
  };
}
