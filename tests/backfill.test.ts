// A merchant's order history comes in through a bulk operation: asked for from the dashboard, finished
// by Shopify's webhook (or found by polling when that webhook never comes), streamed into the same
// order store as webhooks, resumed after a worker dies, scored, and repaired daily by reconciliation.
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { storedLineItems } from "~/orders/line-items";
import { AdminClient, adminGraphqlUrl, costLimiter, fetchTransport } from "~/shopify/admin-client.server";
import { recordInstall } from "~/shops/install.server";
import { installSession, sessionToken } from "./support/admin-session";
import { type HistoryOrder, bulkResultLines, expectedNetRevenue } from "./support/bulk-orders";
import { type FakeAdminApi, startFakeAdminApi, updatedSinceOf } from "./support/fake-admin-api";
import { orderPayload, toJson } from "./support/orders";
import { type AppUnderTest, type Running, startApp, startWorker, waitFor } from "./support/processes";
import { dropQueue, waitForDrain } from "./support/queue";
import { sendWebhook } from "./support/webhooks";
import { testEnv } from "./setup/test-env";

const DAY = 86_400_000;
const connection = { host: "127.0.0.1", port: 6379 };

/** Shops whose operations finish without Shopify's webhook: the poll must find them. */
const shopsWithoutFinishWebhook = new Set<string>();
const histories = new Map<string, HistoryOrder[]>();

let fake: FakeAdminApi;
let app: AppUnderTest;
let worker: Running;

function workerEnv(): Record<string, string> {
  // Small import batches, so a 6,000-order import checkpoints many times before the crash test kills it.
  return { SHOPIFY_ADMIN_API_ORIGIN: fake.origin, BULK_POLL_INTERVAL_MS: "300", SHOP_TASK_LOCK_DURATION_MS: "4000", BULK_IMPORT_BATCH_ORDERS: "500" };
}

beforeAll(async () => {
  fake = await startFakeAdminApi({
    bulkOperationDelayMs: 300,
    bulkFileLinesPerSecond: 8_000,
    onBulkOperationFinish: async (operation) => {
      if (shopsWithoutFinishWebhook.has(operation.shop)) return;
      const body = JSON.stringify({
        admin_graphql_api_id: operation.id,
        completed_at: operation.completedAt?.toISOString(),
        created_at: operation.createdAt.toISOString(),
        error_code: null,
        status: "completed",
        type: "query",
      });
      await sendWebhook(app.url, { shop: operation.shop, topic: "bulk_operations/finish", body });
    },
  });
  fake.orderLines = (shop, search) => {
    const since = updatedSinceOf(search);
    const orders = (histories.get(shop) ?? []).filter((order) => !since || new Date(order.updatedAt) >= since);
    return bulkResultLines(orders, { displaceEvery: 7 });
  };
  // The suite's queue prefix is the test process's own, so install code run here queues for this worker.
  await dropQueue(testEnv.QUEUE_PREFIX);
  app = await startApp({ QUEUE_PREFIX: testEnv.QUEUE_PREFIX });
  worker = await startWorker(app, workerEnv());
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await app?.stop();
  await fake?.stop();
  if (app) await dropQueue(app.queuePrefix);
  await prisma.$disconnect();
});

/** A history of `orders` orders over a year from `customers` customers, with refunds, a cancellation and a test order. */
function history(seed: number, orders: number, customers: number): HistoryOrder[] {
  const now = Date.now();
  return Array.from({ length: orders }, (_, index) => {
    const id = 7_100_000_000_000n + BigInt(seed * 1_000_000 + index);
    const created = new Date(now - (365 - (index * 365) / orders) * DAY).toISOString();
    const order: HistoryOrder = {
      id,
      customerId: index % 23 === 0 ? null : 7_200_000_000n + BigInt(seed * 100_000 + (index % customers)),
      createdAt: created,
      updatedAt: created,
      total: (10 + ((index * 37) % 190) + (index % 100) / 100).toFixed(2),
      lineItems: 1 + (index % 3),
    };
    if (index % 11 === 0) order.refunds = [{ id: id * 10n, amount: "5.25", createdAt: created }];
    if (index % 97 === 5) order.cancelledAt = created;
    if (index % 89 === 3) order.test = true;
    return order;
  });
}

async function askForImport(shop: string): Promise<Response> {
  // Remix single fetch: the dashboard's fetcher posts to /app.data?index and reads a turbo-stream.
  return fetch(`${app.url}/app.data?index`, {
    method: "POST",
    // The admin's fetch, from a browser (the library answers 410 to user agents it takes for bots).
    headers: {
      Authorization: `Bearer ${sessionToken(shop)}`,
      "Content-Type": "application/x-www-form-urlencoded",
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
    },
    body: new URLSearchParams({ intent: "import-history" }),
  });
}

async function waitForRun(shop: string, source: string, status: string, timeoutMs = 90_000) {
  await waitFor(async () => {
    const run = await prisma.importRun.findFirst({ where: { shopDomain: shop, source }, orderBy: { id: "desc" } });
    if (run?.status === "failed") throw new Error(`import failed: ${run.error}`);
    return run?.status === status;
  }, `the ${source} run of ${shop} to be ${status}`, timeoutMs);
  return prisma.importRun.findFirstOrThrow({ where: { shopDomain: shop, source }, orderBy: { id: "desc" } });
}

async function netRevenueByCustomer(shop: string): Promise<Map<bigint, string>> {
  const customers = await prisma.customer.findMany({ where: { shopDomain: shop, ordersCount: { gt: 0 } }, select: { id: true, netRevenue: true } });
  return new Map(customers.map((customer) => [customer.id, customer.netRevenue.toFixed(2)]));
}

describe("importing a shop's order history", () => {
  it("starts on install, names the shop from Shopify, and is not started again by a later sign-in", async () => {
    const shop = "backfill-install.myshopify.com";
    await installSession(shop);
    const orders = history(4, 120, 40);
    histories.set(shop, orders);
    const admin = new AdminClient({ shop, transport: fetchTransport({ url: adminGraphqlUrl(shop, fake.origin), accessToken: "shpat_test" }), limiter: costLimiter() });

    await recordInstall({ shop, admin });
    const run = await waitForRun(shop, "bulk_operation", "done");
    expect(run.importedOrders).toBe(120);
    expect(await netRevenueByCustomer(shop)).toEqual(expectedNetRevenue(orders));
    expect(await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({ name: "backfill-install", currency: "EUR" });

    await recordInstall({ shop, admin });
    expect(await prisma.importRun.count({ where: { shopDomain: shop } })).toBe(1);
  }, 120_000);

  it("imports the whole history asked for from the dashboard, keeps a newer webhook version, and scores it", async () => {
    const shop = "backfill-webhook.myshopify.com";
    await installSession(shop);
    const orders = history(1, 600, 150);
    histories.set(shop, orders);
    // A webhook already brought a newer version of one order (its total was edited down after a return).
    const edited = orders[40]!;
    const newer = { ...edited, total: "3.00", refunds: undefined, updatedAt: new Date(Date.now() - DAY).toISOString() };
    const delivered = await sendWebhook(app.url, {
      shop,
      topic: "orders/updated",
      body: toJson(orderPayload({ id: newer.id, customerId: newer.customerId, total: newer.total, updatedAt: newer.updatedAt, createdAt: newer.createdAt })),
    });
    expect(delivered.status).toBe(200);
    await waitForDrain(app.queuePrefix);

    const asked = await askForImport(shop);
    expect(asked.status).toBe(200);
    expect(await asked.text()).not.toContain('"running"');
    // A second click while it runs starts nothing, and says so.
    expect(await (await askForImport(shop)).text()).toContain('"running"');
    expect(await prisma.importRun.count({ where: { shopDomain: shop } })).toBe(1);

    const run = await waitForRun(shop, "bulk_operation", "done");
    expect(run.expectedOrders).toBe(600);
    expect(run.importedOrders).toBe(600);
    expect(await prisma.order.count({ where: { shopDomain: shop } })).toBe(600);
    // Exact to the cent, net of refunds, without cancelled and test orders, and with the webhook's newer version.
    const expected = expectedNetRevenue(orders.map((order) => (order.id === newer.id ? newer : order)));
    expect(await netRevenueByCustomer(shop)).toEqual(expected);
    // Completion came from Shopify's webhook, and the import ended with a refit.
    const operation = await prisma.bulkOperation.findFirstOrThrow({ where: { shopDomain: shop } });
    expect(operation.status).toBe("completed");
    expect(await prisma.modelFit.count({ where: { shopDomain: shop } })).toBeGreaterThan(0);
    const stored = await prisma.order.findMany({ where: { shopDomain: shop }, select: { lineItems: true } });
    expect(stored.reduce((sum, order) => sum + storedLineItems(order.lineItems).length, 0)).toBe(orders.reduce((sum, order) => sum + (order.id === newer.id ? 1 : order.lineItems), 0));
  }, 120_000);

  it("finds a finished operation by polling when the finish webhook never comes, then reconciles what webhooks missed", async () => {
    const shop = "backfill-poll.myshopify.com";
    shopsWithoutFinishWebhook.add(shop);
    await installSession(shop);
    const orders = history(2, 300, 80);
    histories.set(shop, orders);
    expect((await askForImport(shop)).status).toBe(200);
    await waitForRun(shop, "bulk_operation", "done");
    expect(await netRevenueByCustomer(shop)).toEqual(expectedNetRevenue(orders));
    expect(await prisma.bulkOperation.findFirstOrThrow({ where: { shopDomain: shop } })).toMatchObject({ status: "completed" });

    // Overnight two webhooks were lost: a new order, and a refund on an old one.
    const now = new Date().toISOString();
    const missedOrder: HistoryOrder = { id: 7_199_000_000_001n, customerId: orders[1]!.customerId, createdAt: now, updatedAt: now, total: "88.10", lineItems: 2 };
    const refunded = orders[2]!;
    orders.push(missedOrder);
    orders[2] = { ...refunded, updatedAt: now, refunds: [...(refunded.refunds ?? []), { id: 7_199_000_000_002n, amount: "12.40", createdAt: now }] };
    await prisma.shop.update({ where: { domain: shop }, data: { reconciledAt: new Date(Date.now() - DAY) } });

    const tasks = new Queue("shop-tasks", { connection, prefix: app.queuePrefix });
    await tasks.add("reconcile", { shop });
    await tasks.close();
    const reconciliation = await waitForRun(shop, "reconciliation", "done");

    expect(await netRevenueByCustomer(shop)).toEqual(expectedNetRevenue(orders));
    // It asked Shopify only for orders updated since the last reconciliation, and moved that mark on.
    const query = fake.bulkOperations.get(reconciliation.bulkOperationId!)!.query;
    expect(query).toContain("updated_at:>=");
    expect(reconciliation.importedOrders).toBe(2);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).reconciledAt).toEqual(reconciliation.startedAt);
  }, 120_000);

  it("resumes an import after its worker is killed mid-file, ending with exactly the shop's orders", async () => {
    const shop = "backfill-crash.myshopify.com";
    await installSession(shop);
    const orders = history(3, 6_000, 1_500);
    histories.set(shop, orders);
    expect((await askForImport(shop)).status).toBe(200);

    await waitFor(async () => {
      const run = await prisma.importRun.findFirst({ where: { shopDomain: shop }, orderBy: { id: "desc" } });
      return run?.status === "importing" && run.linesCommitted > 0;
    }, "the import to commit its first batch", 60_000);
    await worker.stop("SIGKILL");
    const interrupted = await prisma.importRun.findFirstOrThrow({ where: { shopDomain: shop }, orderBy: { id: "desc" } });
    expect(interrupted.status).toBe("importing");
    expect(interrupted.importedOrders).toBeLessThan(6_000);

    worker = await startWorker(app, workerEnv());
    const run = await waitForRun(shop, "bulk_operation", "done", 120_000);
    expect(run.importedOrders).toBe(6_000);
    expect(await prisma.order.count({ where: { shopDomain: shop } })).toBe(6_000);
    expect(await netRevenueByCustomer(shop)).toEqual(expectedNetRevenue(orders));
  }, 180_000);
});
