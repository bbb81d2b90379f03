// The one path every webhook takes in the web process: verify, queue, answer. No processing here.
import { log } from "~/lib/log.server";
import { authenticate } from "~/shopify.server";
import { QueueUnavailableError, enqueueWebhook } from "~/jobs/queue.server";

/** Shopify's largest order payloads stay well below this; anything above is refused, not buffered. */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

async function readBodyWithin(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Only Shopify's own headers go to `authenticate.webhook`: everything it reads is an X-Shopify-* header,
 * and the library re-canonicalises every header each time it adds one (quadratic in their number;
 * ~25 % of an ack's CPU in a profile with a dozen headers — a delivery through a proxy carries more).
 */
function shopifyHeaders(headers: Headers): Headers {
  const kept = new Headers();
  headers.forEach((value, name) => {
    if (name.startsWith("x-shopify-") || name === "content-type") kept.set(name, value);
  });
  return kept;
}

export async function receiveWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  const rawBody = await readBodyWithin(request, MAX_WEBHOOK_BODY_BYTES);
  if (rawBody === null) {
    log.warn("webhook.too_large", { shop: request.headers.get("x-shopify-shop-domain") });
    return new Response("Payload too large", { status: 413 });
  }

  let context: { shop: string; topic: string; webhookId: string; apiVersion: string; triggeredAt?: string; eventId?: string };
  try {
    context = await authenticate.webhook(new Request(request.url, { method: "POST", headers: shopifyHeaders(request.headers), body: rawBody }));
  } catch (error) {
    if (error instanceof Response) return error; // 401 bad signature, 400 missing headers
    if (!(error instanceof SyntaxError)) throw error;
    // The signature was valid but the body is not JSON: queue it anyway so the worker records it.
    const headers = request.headers;
    context = {
      shop: headers.get("x-shopify-shop-domain") ?? "",
      topic: (headers.get("x-shopify-topic") ?? "").toUpperCase().replace(/\//g, "_"),
      webhookId: headers.get("x-shopify-webhook-id") ?? "",
      apiVersion: headers.get("x-shopify-api-version") ?? "",
    };
  }

  try {
    await enqueueWebhook({
      shop: context.shop,
      topic: context.topic,
      webhookId: context.webhookId,
      apiVersion: context.apiVersion,
      triggeredAt: context.triggeredAt ?? null,
      eventId: context.eventId ?? null,
      receivedAt: new Date().toISOString(),
      rawBody,
    });
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error;
    // Never acknowledge what is not queued: Shopify retries a 503.
    log.error("webhook.enqueue_failed", { shop: context.shop, topic: context.topic, webhookId: context.webhookId, error: error.message });
    return new Response("Queue unavailable, retry later", { status: 503, headers: { "Retry-After": "5" } });
  }
  return new Response(null, { status: 200 });
}
