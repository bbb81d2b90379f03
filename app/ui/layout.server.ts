// What every merchant page's layout needs: the shop, its currency and the language to speak.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { env } from "~/env.server";
import { requireShop } from "~/shops/request-shop.server";

export async function layoutLoader({ request }: LoaderFunctionArgs) {
  const { shop, mode, locale } = await requireShop(request);
  const record = await prisma.shop.findUnique({ where: { domain: shop }, select: { name: true, currency: true } });
  return {
    mode,
    locale,
    shop,
    shopName: record?.name ?? shop,
    currency: record?.currency ?? null,
    apiKey: mode === "embedded" ? env().SHOPIFY_API_KEY : "",
  };
}

export type LayoutData = Awaited<ReturnType<typeof layoutLoader>>;
