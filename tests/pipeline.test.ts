// A merchant's orders arrive as signed webhooks; the real web process queues them, the real worker
// stores them, and each customer's lifetime value in PostgreSQL is exact to the cent.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { storedLineItems } from "~/orders/line-items";
import { runningAppForSuite } from "./support/app-under-test";
import { waitForDrain } from "./support/queue";
import { orderPayload, refundPayload, sampleBody, toJson } from "./support/orders";
import { sendWebhook } from "./support/webhooks";

const running = runningAppForSuite();

const customerOf = (shop: string, id: bigint) =>
  prisma.customer.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id } } });

async function deliver(shop: string, topic: string, payload: unknown, webhookId?: string) {
  const response = await sendWebhook(running.app().url, { shop, topic, body: toJson(payload), webhookId });
  expect(response.status).toBe(200);
  return response;
}

describe("Shopify's own sample payloads", () => {
  const shop = "samples.myshopify.com";

  it("store the sample order with its exact 18-digit ids, and a cancelled test order never counts", async () => {
    const response = await sendWebhook(running.app().url, { shop, topic: "orders/create", body: sampleBody("orders_create.json") });
    expect(response.status).toBe(200);
    await sendWebhook(running.app().url, { shop, topic: "refunds/create", body: sampleBody("refunds_create.json") });
    await waitForDrain(running.app().queuePrefix);

    const order = await prisma.order.findUniqueOrThrow({
      where: { shopDomain_id: { shopDomain: shop, id: 820982911946154508n } },
    });
    expect(order.customerId).toBe(115310627314723954n);
    expect(order.totalPrice.toFixed(2)).toBe("404.95");
    expect(order.currency).toBe("USD");
    expect(order.test).toBe(true);
    expect(order.cancelledAt).not.toBeNull();
    expect(storedLineItems(order.lineItems).map((line) => line.sku)).toContain("SKU2006-001");
    // The sample refund: two successful refund transactions, 75.00 + 10.00.
    expect(order.refunded.toFixed(2)).toBe("85.00");
    const refund = await prisma.refund.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id: 890088186047892319n } } });
    expect(refund.orderId).toBe(820982911946154508n);

    const customer = await customerOf(shop, 115310627314723954n);
    expect(customer.ordersCount).toBe(0);
    expect(customer.netRevenue.toFixed(2)).toBe("0.00");
    expect(customer.email).toBe("john@example.com");
    const shopRecord = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(shopRecord.currency).toBe("USD");
  });

  it("apply every sample topic without a failure", async () => {
    for (const [topic, file] of [
      ["orders/updated", "orders_updated.json"],
      ["orders/paid", "orders_paid.json"],
      ["orders/cancelled", "orders_cancelled.json"],
      ["customers/create", "customers_create.json"],
      ["customers/update", "customers_update.json"],
      ["bulk_operations/finish", "bulk_operations_finish.json"],
      ["customers/data_request", "customers_data_request.json"],
    ] as const) {
      const response = await sendWebhook(running.app().url, { shop, topic, body: sampleBody(file) });
      expect(response.status, topic).toBe(200);
    }
    await waitForDrain(running.app().queuePrefix);
    expect(await prisma.failedJob.count({ where: { shopDomain: shop } })).toBe(0);
    expect(await prisma.bulkOperation.count({ where: { shopDomain: shop } })).toBe(1);
    const exported = await prisma.dataRequestExport.findFirstOrThrow({ where: { shopDomain: shop, customerId: 191167n } });
    expect(exported.dataRequestId).toBe(9999n);
  });
});

describe("a merchant's customer over time", () => {
  const shop = "story.myshopify.com";
  const customerId = 7_200_000_000_000_000_001n;

  it("a refund after a duplicate delivery leaves net revenue at €40.00", async () => {
    const created = orderPayload({ id: 5_500_000_000_000_000_001n, customerId, total: "50.00", updatedAt: "2026-03-01T10:00:00Z" });
    await deliver(shop, "orders/create", created, "story-create-1");
    await deliver(shop, "orders/create", created, "story-create-1"); // Shopify re-sends the same delivery
    await deliver(shop, "orders/create", created); // and the same event under a new webhook id
    await deliver(shop, "refunds/create", refundPayload({ id: 9_100_000_000_000_000_001n, orderId: 5_500_000_000_000_000_001n, amount: "10.00", createdAt: "2026-03-02T09:00:00Z" }));
    await waitForDrain(running.app().queuePrefix);

    const customer = await customerOf(shop, customerId);
    expect(customer.ordersCount).toBe(1);
    expect(customer.grossSales.toFixed(2)).toBe("50.00");
    expect(customer.refunds.toFixed(2)).toBe("10.00");
    expect(customer.netRevenue.toFixed(2)).toBe("40.00");
  });

  it("late and out-of-order events converge: a refund before its order, an update before its create", async () => {
    const orderId = 5_500_000_000_000_000_002n;
    const refund = refundPayload({ id: 9_100_000_000_000_000_002n, orderId, amount: "5.25", createdAt: "2026-04-03T09:00:00Z" });
    const create = orderPayload({ id: orderId, customerId, total: "30.10", updatedAt: "2026-04-01T10:00:00Z" });
    const update = orderPayload({ id: orderId, customerId, total: "30.10", createdAt: "2026-04-01T10:00:00Z", updatedAt: "2026-04-03T09:00:00Z", financialStatus: "partially_refunded" });
    await deliver(shop, "refunds/create", refund);
    await waitForDrain(running.app().queuePrefix);
    await deliver(shop, "orders/updated", update);
    await waitForDrain(running.app().queuePrefix);
    await deliver(shop, "orders/create", create); // older version, arrives last
    await waitForDrain(running.app().queuePrefix);

    const order = await prisma.order.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id: orderId } } });
    expect(order.financialStatus).toBe("partially_refunded");
    const customer = await customerOf(shop, customerId);
    expect(customer.ordersCount).toBe(2);
    expect(customer.grossSales.toFixed(2)).toBe("80.10");
    expect(customer.refunds.toFixed(2)).toBe("15.25");
    expect(customer.netRevenue.toFixed(2)).toBe("64.85");
    expect(customer.firstOrderAt?.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(customer.lastOrderAt?.toISOString()).toBe("2026-04-01T10:00:00.000Z");
  });

  it("a cancellation takes the order out of the customer's value; a deleted order never comes back", async () => {
    const orderId = 5_500_000_000_000_000_003n;
    await deliver(shop, "orders/create", orderPayload({ id: orderId, customerId, total: "19.90", updatedAt: "2026-05-01T10:00:00Z" }));
    await waitForDrain(running.app().queuePrefix);
    expect((await customerOf(shop, customerId)).ordersCount).toBe(3);

    await deliver(shop, "orders/cancelled", orderPayload({ id: orderId, customerId, total: "19.90", updatedAt: "2026-05-02T10:00:00Z", cancelledAt: "2026-05-02T10:00:00Z" }));
    await waitForDrain(running.app().queuePrefix);
    expect((await customerOf(shop, customerId)).netRevenue.toFixed(2)).toBe("64.85");

    const doomed = 5_500_000_000_000_000_004n;
    await deliver(shop, "orders/delete", { id: doomed });
    await waitForDrain(running.app().queuePrefix);
    await deliver(shop, "orders/create", orderPayload({ id: doomed, customerId, total: "99.00", updatedAt: "2026-05-03T10:00:00Z" }));
    await waitForDrain(running.app().queuePrefix);
    const customer = await customerOf(shop, customerId);
    expect(customer.ordersCount).toBe(2);
    expect(customer.netRevenue.toFixed(2)).toBe("64.85");
  });

  it("guest orders count in the shop's totals only", async () => {
    await deliver(shop, "orders/create", orderPayload({ id: 5_500_000_000_000_000_010n, customerId: null, total: "12.00", updatedAt: "2026-05-05T10:00:00Z" }));
    await waitForDrain(running.app().queuePrefix);
    const guest = await prisma.order.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id: 5_500_000_000_000_000_010n } } });
    expect(guest.customerId).toBeNull();
    expect(await prisma.customer.count({ where: { shopDomain: shop } })).toBe(1);
  });
});
