// The dashboard's data. (Template: a page's loader resolves the shop with requireShop, then reads.)
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getShopOverview } from "~/shops/overview.server";
import { requireShop } from "~/shops/request-shop.server";

export async function dashboardLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const overview = await getShopOverview(shop);
  return {
    customers: overview.customers,
    countedOrders: overview.countedOrders,
    guestOrders: overview.guestOrders,
    grossSales: overview.grossSales.toFixed(2),
    refunds: overview.refunds.toFixed(2),
    netRevenue: overview.netRevenue.toFixed(2),
  };
}
