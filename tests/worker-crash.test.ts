// A worker killed mid-batch loses nothing and counts nothing twice: its jobs are taken over by
// another worker (BullMQ stalled-job recovery) and every job is idempotent.
import { afterAll, beforeAll, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type AppUnderTest, startApp, startWorker, waitFor } from "./support/processes";
import { dropQueue, jobCounts, waitForDrain } from "./support/queue";
import { orderPayload, refundPayload, toJson } from "./support/orders";
import { sendWebhook } from "./support/webhooks";

const shop = "crash.myshopify.com";
let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
  if (app) await dropQueue(app.queuePrefix);
  await prisma.$disconnect();
});

it("kills a worker with SIGKILL mid-batch; a second worker finishes and every figure is exact", async () => {
  const customers = 40;
  const ordersEach = 8;
  const bodies: Array<{ topic: string; body: string }> = [];
  for (let c = 0; c < customers; c += 1) {
    for (let o = 0; o < ordersEach; o += 1) {
      const orderId = 2_000_000_000_000_000_000n + BigInt(c * 100 + o);
      const customerId = 2_100_000_000_000_000_000n + BigInt(c);
      const updatedAt = new Date(Date.UTC(2026, 0, 1 + o, 12)).toISOString();
      bodies.push({ topic: "orders/create", body: toJson(orderPayload({ id: orderId, customerId, total: "10.01", updatedAt })) });
      if (o === 0) {
        bodies.push({ topic: "refunds/create", body: toJson(refundPayload({ id: orderId + 500_000n, orderId, amount: "0.51", createdAt: updatedAt })) });
      }
    }
  }
  for (const delivery of bodies) {
    expect((await sendWebhook(app.url, { shop, ...delivery })).status).toBe(200);
  }

  const lockMs = { WORKER_LOCK_DURATION_MS: "1500", WORKER_CONCURRENCY: "8" };
  const doomed = await startWorker(app, lockMs);
  await waitFor(async () => (await prisma.order.count({ where: { shopDomain: shop } })) >= 60, "the first worker to make progress");
  await doomed.stop("SIGKILL");
  const countsAtCrash = await jobCounts(app.queuePrefix);
  expect(countsAtCrash.completed).toBeLessThan(bodies.length);

  const survivor = await startWorker(app, lockMs);
  try {
    await waitForDrain(app.queuePrefix, 90_000);
    const counts = await jobCounts(app.queuePrefix);
    expect(counts.completed).toBe(bodies.length);
    expect(counts.failed).toBe(0);
    const stored = await prisma.customer.findMany({ where: { shopDomain: shop } });
    expect(stored).toHaveLength(customers);
    for (const customer of stored) {
      expect(customer.ordersCount).toBe(ordersEach);
      expect(customer.grossSales.toFixed(2)).toBe("80.08");
      expect(customer.refunds.toFixed(2)).toBe("0.51");
      expect(customer.netRevenue.toFixed(2)).toBe("79.57");
    }
  } finally {
    await survivor.stop();
  }
}, 180_000);

it("SIGTERM lets in-flight jobs finish before the worker exits", async () => {
  const gracefulShop = "graceful.myshopify.com";
  for (let o = 0; o < 120; o += 1) {
    const body = toJson(
      orderPayload({ id: 2_200_000_000_000_000_000n + BigInt(o), customerId: 2_300_000_000_000_000_000n + BigInt(o % 12), total: "3.33", updatedAt: "2026-02-01T12:00:00Z" }),
    );
    expect((await sendWebhook(app.url, { shop: gracefulShop, topic: "orders/create", body })).status).toBe(200);
  }
  const worker = await startWorker(app, { WORKER_CONCURRENCY: "8" });
  await waitFor(async () => (await prisma.order.count({ where: { shopDomain: gracefulShop } })) >= 20, "progress");
  expect(await worker.stop("SIGTERM")).toBe(0);
  expect(worker.output()).toContain('"worker.stopped"');
  const counts = await jobCounts(app.queuePrefix);
  expect(counts.active).toBe(0);

  const next = await startWorker(app);
  try {
    await waitForDrain(app.queuePrefix);
    const total = await prisma.customer.aggregate({ where: { shopDomain: gracefulShop }, _sum: { netRevenue: true, ordersCount: true } });
    expect(total._sum.ordersCount).toBe(120);
    expect(total._sum.netRevenue?.toFixed(2)).toBe("399.60");
  } finally {
    await next.stop();
  }
}, 120_000);
