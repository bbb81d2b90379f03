// A shop's life after install: scope changes, uninstall, and erasure.
import { prisma } from "~/db.server";
import { removeShopSchedules } from "~/jobs/schedules.server";
import { ensureShopExists } from "~/orders/store.server";

/** app/uninstalled (may repeat, may come late): sessions go, scheduled jobs stop, data stays until shop/redact. */
export async function uninstallShop(options: { shop: string }): Promise<void> {
  const { shop } = options;
  await ensureShopExists(shop);
  await prisma.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { shop } });
    await tx.shop.update({ where: { domain: shop }, data: { uninstalledAt: new Date() } });
  });
  await removeShopSchedules(shop);
}

/** shop/redact, 48 hours after uninstall: erase everything Tenure holds for the shop. */
export async function redactShop(options: { shop: string }): Promise<void> {
  const { shop } = options;
  await removeShopSchedules(shop);
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.importProfile.deleteMany({ where: { shopDomain: shop } }),
    // Orders, line items, refunds, customers, exports and failure records cascade from the shop.
    prisma.shop.deleteMany({ where: { domain: shop } }),
  ]);
}

/** app/scopes_update: keep the stored sessions' scope in step with what the merchant granted. */
export async function updateShopScopes(options: { shop: string; scopes: string[] }): Promise<void> {
  await prisma.session.updateMany({ where: { shop: options.shop }, data: { scope: options.scopes.join(",") } });
}

export async function recordBulkOperation(options: {
  shop: string;
  id: string;
  status: string;
  errorCode: string | null;
  completedAt: Date | null;
}): Promise<void> {
  const { shop, id, status, errorCode, completedAt } = options;
  await ensureShopExists(shop);
  await prisma.bulkOperation.upsert({
    where: { shopDomain_id: { shopDomain: shop, id } },
    create: { shopDomain: shop, id, status, errorCode, completedAt },
    update: { status, errorCode, completedAt },
  });
}
