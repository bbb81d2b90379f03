// Personal data: only what Shopify sends, erased when Shopify says so, exported when asked for.
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { runningAppForSuite } from "./support/app-under-test";
import { waitForDrain } from "./support/queue";
import { orderPayload, toJson } from "./support/orders";
import { sendWebhook } from "./support/webhooks";

const running = runningAppForSuite();

async function deliver(shop: string, topic: string, payload: unknown) {
  const response = await sendWebhook(running.app().url, { shop, topic, body: toJson(payload) });
  expect(response.status).toBe(200);
  await waitForDrain(running.app().queuePrefix);
}

const customer = (shop: string, id: bigint) => prisma.customer.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id } } });

describe("compliance webhooks", () => {
  const shop = "privacy.myshopify.com";
  const alice = 6_300_000_000_000_000_001n;
  const bob = 6_300_000_000_000_000_002n;

  beforeAll(async () => {
    await deliver(shop, "orders/create", orderPayload({ id: 6_310_000_000_000_000_001n, customerId: alice, total: "120.00", updatedAt: "2026-07-01T10:00:00Z" }));
    await deliver(shop, "orders/create", orderPayload({ id: 6_310_000_000_000_000_002n, customerId: bob, total: "80.00", updatedAt: "2026-07-02T10:00:00Z" }));
    // Protected customer data level 1: Shopify withholds the email; Tenure then holds none.
    await deliver(shop, "orders/create", orderPayload({ id: 6_310_000_000_000_000_003n, customerId: 6_300_000_000_000_000_003n, total: "10.00", updatedAt: "2026-07-03T10:00:00Z", email: null }));
  });

  it("stores an email only when Shopify sends one", async () => {
    expect((await customer(shop, alice)).email).toBe(`buyer${alice}@example.com`);
    expect((await customer(shop, 6_300_000_000_000_000_003n)).email).toBeNull();
  });

  it("customers/data_request stores a JSON export of everything held on that customer", async () => {
    await deliver(shop, "customers/data_request", { shop_domain: shop, customer: { id: alice }, orders_requested: [], data_request: { id: 4242 } });
    const request = await prisma.dataRequestExport.findFirstOrThrow({ where: { shopDomain: shop, customerId: alice } });
    const data = request.export as { customer: { email: string; netRevenue: string }; orders: Array<{ id: string; totalPrice: string }> };
    expect(data.customer.email).toBe(`buyer${alice}@example.com`);
    expect(data.customer.netRevenue).toBe("120");
    expect(data.orders.map((order) => order.id)).toEqual(["6310000000000000001"]);
  });

  it("customers/redact erases the customer's personal data and keeps it erased", async () => {
    await deliver(shop, "customers/redact", { shop_domain: shop, customer: { id: alice, email: "x@example.com" }, orders_to_redact: [6_310_000_000_000_000_001n] });
    let redacted = await customer(shop, alice);
    expect([redacted.email, redacted.firstName, redacted.lastName]).toEqual([null, null, null]);
    expect(redacted.redactedAt).not.toBeNull();
    expect(await prisma.dataRequestExport.count({ where: { shopDomain: shop, customerId: alice } })).toBe(0);
    // A late order update carrying the old email must not bring it back.
    await deliver(shop, "orders/updated", orderPayload({ id: 6_310_000_000_000_000_001n, customerId: alice, total: "120.00", createdAt: "2026-07-01T10:00:00Z", updatedAt: "2026-07-05T10:00:00Z" }));
    redacted = await customer(shop, alice);
    expect(redacted.email).toBeNull();
    expect(redacted.netRevenue.toFixed(2)).toBe("120.00");
  });

  it("customers/delete drops personal data and keeps the anonymous figures", async () => {
    await deliver(shop, "customers/delete", { id: bob });
    const deleted = await customer(shop, bob);
    expect(deleted.email).toBeNull();
    expect(deleted.deletedAt).not.toBeNull();
    expect(deleted.ordersCount).toBe(1);
    expect(deleted.netRevenue.toFixed(2)).toBe("80.00");
  });
});

describe("the shop's lifecycle", () => {
  const shop = "leaving.myshopify.com";

  it("app/uninstalled removes sessions but keeps data, even delivered twice; shop/redact erases everything", async () => {
    await deliver(shop, "orders/create", orderPayload({ id: 6_410_000_000_000_000_001n, customerId: 6_400_000_000_000_000_001n, total: "55.00", updatedAt: "2026-08-01T10:00:00Z" }));
    await prisma.session.create({
      data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_orders" },
    });

    await deliver(shop, "app/uninstalled", { id: 1, name: "Leaving", domain: shop });
    await deliver(shop, "app/uninstalled", { id: 1, name: "Leaving", domain: shop });
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).not.toBeNull();
    expect(await prisma.order.count({ where: { shopDomain: shop } })).toBe(1);
    expect(await prisma.failedJob.count({ where: { shopDomain: shop } })).toBe(0);

    await deliver(shop, "shop/redact", { shop_id: 1, shop_domain: shop });
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await prisma.order.count({ where: { shopDomain: shop } })).toBe(0);
    expect(await prisma.customer.count({ where: { shopDomain: shop } })).toBe(0);
    expect(await prisma.refund.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("app/scopes_update keeps the stored session's scopes current", async () => {
    const other = "scoped.myshopify.com";
    await prisma.session.create({
      data: { id: `offline_${other}`, shop: other, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_orders" },
    });
    await deliver(other, "app/scopes_update", { id: 1, previous: ["read_orders"], current: ["read_orders", "read_customers"], updated_at: "2026-08-01T00:00:00Z" });
    expect((await prisma.session.findUniqueOrThrow({ where: { id: `offline_${other}` } })).scope).toBe("read_orders,read_customers");
  });
});
