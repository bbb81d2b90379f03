import { requestBackfillOnInstall } from "~/backfill/order-import.server";
import { prisma } from "~/db.server";
import { importTasks, scheduleReconciliation } from "~/jobs/import-tasks.server";
import { scheduleNightlyRefit } from "~/jobs/shop-tasks.server";
import { log } from "~/lib/log.server";
import { type AdminClient } from "~/shopify/admin-client.server";
import { SHOP_QUERY, type ShopQueryData } from "~/shopify/admin-operations";


/**
 * After OAuth: create or revive the shop's record with its name and currency from the Admin API, then
 * schedule its recurring jobs and backfill its order history.
 */
export async function recordInstall(options: { shop: string; admin: AdminClient }): Promise<void> {
  const { shop, admin } = options;
  let name: string | null = null;
  let currency: string | null = null;
  try {
    const data = await admin.request<ShopQueryData>(SHOP_QUERY, {}, { estimatedCost: 1 });
    name = data.shop.name;
    currency = data.shop.currencyCode;
  } catch (error) {
    // The record matters more than its details; the first order webhook fills the currency in.
    log.warn("install.shop_query_failed", { shop, error: (error as Error).message });
  }
  await prisma.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, name, currency, installedAt: new Date() },
    update: { uninstalledAt: null, installedAt: new Date(), ...(name ? { name } : {}), ...(currency ? { currency } : {}) },
  });
  await scheduleNightlyRefit(shop);
  await scheduleReconciliation(shop);
  // The whole order history through a bulk operation; its import ends with a refit.
  const runId = await requestBackfillOnInstall(shop, importTasks);
  log.info("install.recorded", { shop, backfillRunId: runId });
}
