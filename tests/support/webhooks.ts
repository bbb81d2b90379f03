// Sends webhooks exactly as Shopify does: POST, raw JSON body, base64 HMAC-SHA256 of the body keyed
// with the app's client secret, and the X-Shopify-* headers.
import { createHmac, randomUUID } from "node:crypto";
import { testEnv } from "../setup/test-env";

export function signBody(body: string, secret: string = testEnv.SHOPIFY_API_SECRET): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export const ROUTE_FOR_TOPIC: Record<string, string> = {
  "orders/create": "/webhooks/orders",
  "orders/updated": "/webhooks/orders",
  "orders/paid": "/webhooks/orders",
  "orders/cancelled": "/webhooks/orders",
  "orders/delete": "/webhooks/orders",
  "refunds/create": "/webhooks/refunds",
  "customers/create": "/webhooks/customers",
  "customers/update": "/webhooks/customers",
  "customers/delete": "/webhooks/customers",
  "app/uninstalled": "/webhooks/app",
  "app/scopes_update": "/webhooks/app",
  "bulk_operations/finish": "/webhooks/bulk-operations",
  "customers/data_request": "/webhooks/compliance",
  "customers/redact": "/webhooks/compliance",
  "shop/redact": "/webhooks/compliance",
};

export type Delivery = {
  topic: string;
  shop: string;
  /** The exact body bytes; pass a string to keep 18-digit ids exact. */
  body: string;
  webhookId?: string;
  secret?: string;
  omitHeaders?: string[];
};

export async function sendWebhook(appUrl: string, delivery: Delivery): Promise<Response> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": signBody(delivery.body, delivery.secret),
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Shop-Domain": delivery.shop,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": delivery.webhookId ?? randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Event-Id": randomUUID(),
  };
  for (const name of delivery.omitHeaders ?? []) delete headers[name];
  const route = ROUTE_FOR_TOPIC[delivery.topic];
  if (!route) throw new Error(`no route for ${delivery.topic}`);
  return fetch(`${appUrl}${route}`, { method: "POST", headers, body: delivery.body });
}
