// The shop's figures so far, for the home page.
import { prisma } from "~/db.server";
import { money, type Money } from "~/ltv/money";

export type ShopOverview = {
  shop: string;
  currency: string | null;
  customers: number;
  countedOrders: number;
  guestOrders: number;
  grossSales: Money;
  refunds: Money;
  netRevenue: Money;
  lastOrderAt: Date | null;
};

export async function getShopOverview(shop: string): Promise<ShopOverview> {
  // "Counted" is orderCounts() in app/ltv/order-facts.ts: not a test, not cancelled, not deleted.
  const [totals, customers, record] = await Promise.all([
    prisma.$queryRaw<Array<{ orders: bigint; guests: bigint; gross: string; refunds: string; last: Date | null }>>`
      SELECT COUNT(*) AS orders, COUNT(*) FILTER (WHERE "customerId" IS NULL) AS guests,
             COALESCE(SUM("totalPrice"), 0)::text AS gross, COALESCE(SUM("refunded"), 0)::text AS refunds,
             MAX("processedAt") AS last
      FROM "Order"
      WHERE "shopDomain" = ${shop} AND NOT "test" AND "cancelledAt" IS NULL AND "deletedAt" IS NULL`,
    prisma.customer.count({ where: { shopDomain: shop, ordersCount: { gt: 0 } } }),
    prisma.shop.findUnique({ where: { domain: shop }, select: { currency: true } }),
  ]);
  const row = totals[0];
  const grossSales = money(row?.gross ?? "0");
  const refunds = money(row?.refunds ?? "0");
  return {
    shop,
    currency: record?.currency ?? null,
    customers,
    countedOrders: Number(row?.orders ?? 0),
    guestOrders: Number(row?.guests ?? 0),
    grossSales,
    refunds,
    netRevenue: grossSales.minus(refunds),
    lastOrderAt: row?.last ?? null,
  };
}
