// The segments page's data: the latest precomputed report (one indexed row, whatever the shop's
// size). Without one yet — a new shop whose first scoring is still running — the shop's live order
// and customer counts, for the empty state.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { isSegmentsReport } from "~/ltv/segment-summary";
import { getShopOverview } from "~/shops/overview.server";
import { requireShop } from "~/shops/request-shop.server";

export async function segmentsLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  // ORDER BY "computedAt" DESC LIMIT 1 on the (shopDomain, computedAt) index.
  const latest = await prisma.shopReport.findFirst({
    where: { shopDomain: shop },
    orderBy: { computedAt: "desc" },
    select: { segments: true, computedAt: true },
  });
  if (latest && isSegmentsReport(latest.segments)) {
    return { report: latest.segments, computedAt: latest.computedAt.toISOString(), pending: null };
  }
  const overview = await getShopOverview(shop);
  return { report: null, computedAt: null, pending: { orders: overview.countedOrders, customers: overview.customers } };
}
