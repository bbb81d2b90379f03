// Bad input always gets a clear answer and loses nothing.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { runningAppForSuite } from "./support/app-under-test";
import { freePort, startApp, startWorker } from "./support/processes";
import { dropQueue, jobCounts, waitForDrain } from "./support/queue";
import { orderPayload, toJson } from "./support/orders";
import { TcpProxy } from "./support/tcp-proxy";
import { sendWebhook, signBody } from "./support/webhooks";

const shop = "edges.myshopify.com";
const running = runningAppForSuite();

const anOrder = (id: bigint) =>
  toJson(orderPayload({ id, customerId: 8_100_000_000_000_000_001n, total: "25.00", updatedAt: "2026-06-01T10:00:00Z" }));

describe("webhook requests Shopify did not sign, or signed wrongly", () => {
  it("a bad signature is refused with 401 and nothing is queued", async () => {
    const before = await jobCounts(running.app().queuePrefix);
    const response = await sendWebhook(running.app().url, { shop, topic: "orders/create", body: anOrder(1n), secret: "not-the-secret" });
    expect(response.status).toBe(401);
    const after = await jobCounts(running.app().queuePrefix);
    expect(after.waiting + after.active + after.completed).toBe(before.waiting + before.active + before.completed);
  });

  it("a body altered after signing is refused with 401", async () => {
    const body = anOrder(2n);
    const response = await fetch(`${running.app().url}/webhooks/orders`, {
      method: "POST",
      headers: {
        "X-Shopify-Hmac-Sha256": signBody(body),
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": "tampered-1",
      },
      body: body.replace('"25.00"', '"2500.00"'),
    });
    expect(response.status).toBe(401);
  });

  it("missing Shopify headers get a 400", async () => {
    for (const header of ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id", "X-Shopify-API-Version"]) {
      const response = await sendWebhook(running.app().url, { shop, topic: "orders/create", body: anOrder(3n), omitHeaders: [header] });
      expect(response.status, header).toBe(400);
    }
    const unsigned = await sendWebhook(running.app().url, { shop, topic: "orders/create", body: anOrder(3n), omitHeaders: ["X-Shopify-Hmac-Sha256"] });
    expect([400, 401]).toContain(unsigned.status);
  });

  it("an oversize body is refused with 413 before it is buffered", async () => {
    const huge = JSON.stringify({ id: 4, padding: "x".repeat(6 * 1024 * 1024) });
    const response = await sendWebhook(running.app().url, { shop, topic: "orders/create", body: huge });
    expect(response.status).toBe(413);
  });
});

describe("signed payloads that can never be processed are recorded, not retried or dropped", () => {
  it("malformed JSON is acknowledged, recorded with its body and skipped", async () => {
    const response = await sendWebhook(running.app().url, { shop, topic: "orders/create", body: '{"id": 5, "total_price": ', webhookId: "malformed-1" });
    expect(response.status).toBe(200);
    await waitForDrain(running.app().queuePrefix);
    const failure = await prisma.failedJob.findFirstOrThrow({ where: { shopDomain: shop, webhookId: "malformed-1" } });
    expect(failure.reason).toMatch(/not valid JSON/);
    expect(failure.rawBody).toBe('{"id": 5, "total_price": ');
    expect(failure.attempts).toBe(1);
  });

  it("a payload missing required fields is recorded with the fields named", async () => {
    const body = JSON.stringify({ id: 6, currency: "EUR", total_price: "10.00" });
    const response = await sendWebhook(running.app().url, { shop, topic: "orders/updated", body, webhookId: "missing-fields-1" });
    expect(response.status).toBe(200);
    await waitForDrain(running.app().queuePrefix);
    const failure = await prisma.failedJob.findFirstOrThrow({ where: { shopDomain: shop, webhookId: "missing-fields-1" } });
    expect(failure.reason).toMatch(/created_at/);
    expect(failure.reason).toMatch(/updated_at/);
    expect(failure.topic).toBe("ORDERS_UPDATED");
  });
});

describe("when Redis is unavailable", () => {
  it("answers 503 so Shopify retries, and the retry is queued and processed", async () => {
    const proxy = new TcpProxy(await freePort(), { host: "127.0.0.1", port: 6379 });
    await proxy.up();
    const proxied = await startApp({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
    const proxiedWorker = await startWorker(proxied, { REDIS_URL: "redis://127.0.0.1:6379" });
    try {
      const body = toJson(orderPayload({ id: 8_200_000_000_000_000_001n, customerId: 8_200_000_000_000_000_002n, total: "42.00", updatedAt: "2026-06-02T10:00:00Z" }));
      // Warm the web process's connection, then take Redis away.
      expect((await sendWebhook(proxied.url, { shop, topic: "orders/create", body: anOrder(7n) })).status).toBe(200);
      await proxy.down();
      const refused = await sendWebhook(proxied.url, { shop, topic: "orders/create", body, webhookId: "redis-down-1" });
      expect(refused.status).toBe(503);

      await proxy.up();
      let retried: Response | undefined;
      for (let attempt = 0; attempt < 50; attempt += 1) {
        retried = await sendWebhook(proxied.url, { shop, topic: "orders/create", body, webhookId: "redis-down-1" });
        if (retried.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(retried?.status).toBe(200);
      await waitForDrain(proxied.queuePrefix);
      const customer = await prisma.customer.findUniqueOrThrow({
        where: { shopDomain_id: { shopDomain: shop, id: 8_200_000_000_000_000_002n } },
      });
      expect(customer.netRevenue.toFixed(2)).toBe("42.00");
    } finally {
      await proxiedWorker.stop();
      await proxied.stop();
      await proxy.down();
      await dropQueue(proxied.queuePrefix);
    }
  });
});
