// Which shop a merchant page request is for: the embedded admin's session, or — only when the demo
// flag is set and never in production — the demo store at /demo, without Shopify login.
import { env } from "~/env.server";
import { type Locale, localeFromRequest } from "~/i18n/locales";
import { authenticate } from "~/shopify.server";
import { DEMO_SHOP_DOMAIN } from "./demo-shop";


export type ShopRequest = {
  shop: string;
  mode: "embedded" | "demo";
  locale: Locale;
};

export function isDemoPath(request: Request): boolean {
  const { pathname } = new URL(request.url);
  return pathname === "/demo" || pathname.startsWith("/demo/");
}

export function demoEnabled(): boolean {
  const { TENURE_DEMO, NODE_ENV } = env();
  return TENURE_DEMO === "1" && NODE_ENV !== "production";
}

export async function requireShop(request: Request): Promise<ShopRequest> {
  const locale = localeFromRequest(request);
  if (isDemoPath(request)) {
    // Not found, not forbidden: a production app has no demo to reveal.
    if (!demoEnabled()) throw new Response("Not found", { status: 404 });
    return { shop: DEMO_SHOP_DOMAIN, mode: "demo", locale };
  }
  const { session } = await authenticate.admin(request);
  return { shop: session.shop, mode: "embedded", locale };
}
