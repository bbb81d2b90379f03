import { prisma } from "~/db.server";
import { requestRefit, scheduleNightlyRefit } from "~/jobs/shop-tasks.server";
import { log } from "~/lib/log.server";

type AdminGraphql = { graphql: (query: string) => Promise<Response> };

/** After OAuth: create or revive the shop's record with its name and currency from the Admin API. */
export async function recordInstall(options: { shop: string; admin: AdminGraphql }): Promise<void> {
  const { shop, admin } = options;
  let name: string | null = null;
  let currency: string | null = null;
  try {
    const response = await admin.graphql(`#graphql
      query TenureShop { shop { name currencyCode } }`);
    const body = (await response.json()) as { data?: { shop?: { name?: string; currencyCode?: string } } };
    name = body.data?.shop?.name ?? null;
    currency = body.data?.shop?.currencyCode ?? null;
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
  await requestRefit({ shop, trigger: "manual" });
  log.info("install.recorded", { shop });
}
