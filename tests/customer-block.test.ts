// The admin's customer block asks the built app for one customer's figures with a Shopify ID token,
// cross-origin from Shopify's extension host. Orders arrive as signed webhooks, the worker stores
// them and refits the shop's models; the endpoint answers with exactly what PostgreSQL holds, for
// the token's shop only.
import { Queue, QueueEvents } from "bullmq";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { installSession, sessionToken } from "./support/admin-session";
import { runningAppForSuite } from "./support/app-under-test";
import { orderPayload, refundPayload, toJson } from "./support/orders";
import { waitForDrain } from "./support/queue";
import { simulateShop } from "./support/simulate";
import { sendWebhook } from "./support/webhooks";

const running = runningAppForSuite();

const shop = "customer-block.myshopify.com";
const otherShop = "customer-block-other.myshopify.com";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
// The block runs in the merchant's browser (the library answers bots with 410).
const BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const DAY = 86_400_000;

const customerId = 8_100_000_000_000_000_001n;
const otherShopCustomerId = 8_100_000_000_000_000_002n;
const customerGid = `gid://shopify/Customer/${customerId}`;

const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const daysAgo = (days: number) => new Date(today - days * DAY + 10 * 3_600_000).toISOString();

type Json = Record<string, unknown>;

async function blockFor(id: string, { token, origin = EXTENSION_ORIGIN }: { token?: string; origin?: string } = {}) {
  const headers: Record<string, string> = { "User-Agent": BROWSER_AGENT, Origin: origin, Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${running.app().url}/api/customer-block/${encodeURIComponent(id)}`, { headers, redirect: "manual" });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: (text ? JSON.parse(text) : null) as Json | null };
}

async function deliver(target: string, topic: string, payload: unknown) {
  const response = await sendWebhook(running.app().url, { shop: target, topic, body: toJson(payload) });
  expect(response.status).toBe(200);
}

/** The merchant's customer: 120.00, 80.50 and 45.25 on three days, 20.00 of the first refunded. */
async function deliverKnownCustomer() {
  const orders = [
    { id: 8_200_000_000_000_000_001n, total: "120.00", placed: daysAgo(200) },
    { id: 8_200_000_000_000_000_002n, total: "80.50", placed: daysAgo(120) },
    { id: 8_200_000_000_000_000_003n, total: "45.25", placed: daysAgo(30) },
  ];
  for (const order of orders) await deliver(shop, "orders/create", orderPayload({ id: order.id, customerId, total: order.total, updatedAt: order.placed }));
  await deliver(shop, "refunds/create", refundPayload({ id: 8_300_000_000_000_000_001n, orderId: orders[0]!.id, amount: "20.00", createdAt: daysAgo(190) }));
}

/** Enough simulated repeat customers for the models to fit (at least 50). */
async function deliverShopHistory() {
  const weeks = 78;
  const simulated = simulateShop({ customers: 200, weeks, joinWeeks: 39, seed: 11 });
  for (let start = 0; start < simulated.length; start += 100) {
    const batch = simulated.slice(start, start + 100).map((order, offset) => {
      const placed = new Date(today - Math.round((weeks - order.week) * 7 * DAY)).toISOString();
      const payload = orderPayload({
        id: 8_400_000_000_000_000_000n + BigInt(start + offset),
        customerId: 8_500_000_000_000_000_000n + BigInt(order.customer),
        total: order.amount.toFixed(2),
        updatedAt: placed,
      });
      return sendWebhook(running.app().url, { shop, topic: "orders/create", body: toJson(payload) });
    });
    expect((await Promise.all(batch)).every((response) => response.status === 200)).toBe(true);
  }
}

async function refit(target: string) {
  const connection = { host: "127.0.0.1", port: 6379 };
  const tasks = new Queue("shop-tasks", { connection, prefix: running.app().queuePrefix });
  const events = new QueueEvents("shop-tasks", { connection, prefix: running.app().queuePrefix });
  try {
    await events.waitUntilReady();
    const job = await tasks.add("refit", { shop: target, trigger: "manual" });
    await job.waitUntilFinished(events, 120_000);
  } finally {
    await events.close();
    await tasks.close();
  }
}

beforeAll(async () => {
  await installSession(shop);
  await installSession(otherShop);
  await deliverKnownCustomer();
  await deliverShopHistory();
  await deliver(otherShop, "orders/create", orderPayload({ id: 8_600_000_000_000_000_001n, customerId: otherShopCustomerId, total: "999.00", updatedAt: daysAgo(10) }));
  await waitForDrain(running.app().queuePrefix);
}, 180_000);

describe("before the shop's first scoring", () => {
  it("shows the customer's exact historical LTV and says they are not scored yet", async () => {
    const { status, body } = await blockFor(customerGid, { token: sessionToken(shop) });
    expect(status).toBe(200);
    expect(body).toEqual({
      customer: { id: customerId.toString(), gid: customerGid, appPath: `/app/customers/${customerId}` },
      currency: "EUR",
      // 120.00 + 80.50 + 45.25 − 20.00
      historicalLtv: "225.75",
      ordersCount: 3,
      lastOrderAt: daysAgo(30),
      scored: false,
      rfmGroup: null,
      valueTier: null,
      predictions: { status: "unavailable", reason: "notFitted" },
      expectedNextOrder: null,
    });
  });
});

describe("after the refit", () => {
  beforeAll(() => refit(shop), 150_000);

  it("answers the customer's stored scores, predictions and expected next order, by GID and by numeric id", async () => {
    const stored = await prisma.customer.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id: customerId } } });
    const fit = await prisma.modelFit.findFirstOrThrow({ where: { shopDomain: shop }, orderBy: { id: "desc" } });
    expect(fit.insufficient).toBe(false);
    expect(stored.scoredAt).not.toBeNull();

    const byGid = await blockFor(customerGid, { token: sessionToken(shop) });
    expect(byGid.status).toBe(200);
    expect(byGid.body).toMatchObject({
      historicalLtv: "225.75",
      ordersCount: 3,
      scored: true,
      rfmGroup: stored.rfmGroup,
      valueTier: stored.valueTier,
      predictions: {
        status: "available",
        horizonMonths: fit.horizonMonths,
        predictedClv: stored.predictedClv12m!.toFixed(2),
        probabilityAlive: stored.probabilityAlive,
        singlePurchaseDay: false,
      },
      expectedNextOrder: {
        expectedOrders: stored.expectedPurchases12m,
        withinMonths: fit.horizonMonths,
        expectedOrderValue: stored.expectedOrderValue!.toFixed(2),
      },
    });
    expect(typeof byGid.body!.rfmGroup).toBe("string");
    expect(["top1", "top5", "top20", "rest"]).toContain(byGid.body!.valueTier);

    const byNumericId = await blockFor(customerId.toString(), { token: sessionToken(shop) });
    expect(byNumericId.status).toBe(200);
    expect(byNumericId.body).toEqual(byGid.body);
  });

  it("carries no personal data, in the answer or in the logs", async () => {
    const { text } = await blockFor(customerGid, { token: sessionToken(shop) });
    const email = `buyer${customerId}@example.com`;
    for (const personal of [email, "Ada", "Lovelace"]) {
      expect(text).not.toContain(personal);
      expect(running.app().web.output()).not.toContain(personal);
    }
  });
});

describe("cross-origin from Shopify's extension host", () => {
  it("adds CORS headers to the answer", async () => {
    const { status, headers } = await blockFor(customerGid, { token: sessionToken(shop) });
    expect(status).toBe(200);
    expect(headers.get("access-control-allow-origin")).toBe("*");
    expect(headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  });

  it("answers the preflight for a GET with an Authorization header", async () => {
    const response = await fetch(`${running.app().url}/api/customer-block/${encodeURIComponent(customerGid)}`, {
      method: "OPTIONS",
      headers: {
        "User-Agent": BROWSER_AGENT,
        Origin: EXTENSION_ORIGIN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    expect(await response.text()).toBe("");
  });
});

describe("refusals", () => {
  it("without an ID token: 401, readable cross-origin, no figures", async () => {
    const { status, headers, body, text } = await blockFor(customerGid);
    expect(status).toBe(401);
    expect(headers.get("access-control-allow-origin")).toBe("*");
    expect(body).toMatchObject({ error: "unauthorized" });
    expect(text).not.toContain("225.75");
  });

  it("with a token not signed by Shopify: 401, no figures", async () => {
    const { status, text } = await blockFor(customerGid, { token: sessionToken(shop, { secret: "not-the-app-secret" }) });
    expect(status).toBe(401);
    expect(text).not.toContain("225.75");
  });

  it("another shop's token asking for this shop's customer: 404 and no figures, as for an unknown customer", async () => {
    const foreign = await blockFor(customerGid, { token: sessionToken(otherShop) });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ error: "customer_not_found", message: expect.any(String) });
    expect(foreign.text).not.toContain("225.75");
    expect(foreign.headers.get("access-control-allow-origin")).toBe("*");

    const unknown = await blockFor("gid://shopify/Customer/8100000000000000999", { token: sessionToken(otherShop) });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(foreign.body);

    // The other shop's own customer is there for its own token.
    const own = await blockFor(otherShopCustomerId.toString(), { token: sessionToken(otherShop) });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ historicalLtv: "999.00", ordersCount: 1 });
  });

  it("a garbage id or another resource's GID: 400 with a clear error", async () => {
    for (const id of ["not-a-customer", "gid://shopify/Order/8200000000000000001", "-1", "99999999999999999999"]) {
      const { status, body } = await blockFor(id, { token: sessionToken(shop) });
      expect(status, id).toBe(400);
      expect(body, id).toEqual({ error: "invalid_customer_id", message: expect.stringContaining("customer id") });
    }
  });
});
