// After orders arrive, the worker refits the shop's models and rescores every customer in bulk; the
// fit is stored with its parameters, sample sizes, holdout accuracy and timing.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Queue, QueueEvents } from "bullmq";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { runningAppForSuite } from "./support/app-under-test";
import { RFM_GROUPS } from "~/ltv/rfm";
import { waitForDrain } from "./support/queue";
import { orderPayload, toJson } from "./support/orders";
import { simulateShop } from "./support/simulate";
import { sendWebhook } from "./support/webhooks";
import { testEnv } from "./setup/test-env";

const running = runningAppForSuite();

const DAY = 86_400_000;

/** A shop's order history, simulated with realistic heterogeneity, ending today. */
async function deliverHistory(shop: string, customers: number, seed: number) {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const weeks = 78;
  const orders = simulateShop({ customers, weeks, joinWeeks: 39, seed });
  const customerIdOf = (index: number) => 3_500_000_000_000_000_000n + BigInt(seed * 10_000 + index);
  for (let start = 0; start < orders.length; start += 100) {
    const batch = orders.slice(start, start + 100).map((order, offset) => {
      const placed = new Date(today - Math.round((weeks - order.week) * 7 * DAY)).toISOString();
      const orderId = 3_600_000_000_000_000_000n + BigInt(seed * 1_000_000 + start + offset);
      const body = toJson(orderPayload({ id: orderId, customerId: customerIdOf(order.customer), total: order.amount.toFixed(2), updatedAt: placed }));
      return sendWebhook(running.app().url, { shop, topic: "orders/create", body });
    });
    const statuses = (await Promise.all(batch)).map((response) => response.status);
    expect(statuses.every((status) => status === 200)).toBe(true);
  }
  await waitForDrain(running.app().queuePrefix);
}

async function refit(shop: string) {
  const connection = { host: "127.0.0.1", port: 6379 };
  const tasks = new Queue("shop-tasks", { connection, prefix: running.app().queuePrefix });
  const events = new QueueEvents("shop-tasks", { connection, prefix: running.app().queuePrefix });
  try {
    await events.waitUntilReady();
    // The whole job: the fit is recorded before the shop's report and nightly schedule are.
    const job = await tasks.add("refit", { shop, trigger: "manual" });
    await job.waitUntilFinished(events, 120_000);
    return prisma.modelFit.findFirstOrThrow({ where: { shopDomain: shop }, orderBy: { id: "desc" } });
  } finally {
    await events.close();
    await tasks.close();
  }
}

describe("a shop with enough repeat customers", () => {
  const shop = "refit-large.myshopify.com";

  beforeAll(() => deliverHistory(shop, 400, 7), 120_000);

  it("new orders queue one debounced refit for the shop", async () => {
    const tasks = new Queue("shop-tasks", { connection: { host: "127.0.0.1", port: 6379 }, prefix: running.app().queuePrefix });
    try {
      const delayed = await tasks.getDelayed();
      expect(delayed.filter((job) => job.data.shop === shop)).toHaveLength(1);
    } finally {
      await tasks.close();
    }
  });

  it("stores the fit and scores every customer", async () => {
    const fit = await refit(shop);
    expect(fit.customers).toBe(400);
    expect(fit.repeatCustomers).toBeGreaterThanOrEqual(50);
    expect(fit.insufficient).toBe(false);
    expect(fit.converged).toBe(true);
    expect(fit.bgnbd).toMatchObject({ r: expect.any(Number), alpha: expect.any(Number), a: expect.any(Number), b: expect.any(Number) });
    expect(fit.gammaGamma).toMatchObject({ p: expect.any(Number), q: expect.any(Number), v: expect.any(Number) });
    expect(fit.logLikelihood).toBeLessThan(0);
    expect(fit.holdout).toMatchObject({ byPastPurchases: expect.any(Array) });
    expect(fit.formula).toMatchObject({ shop: expect.objectContaining({ averageOrderValue: expect.any(Number) }) });

    const customers = await prisma.customer.findMany({ where: { shopDomain: shop } });
    expect(customers).toHaveLength(400);
    for (const customer of customers) {
      expect(customer.probabilityAlive).toBeGreaterThanOrEqual(0);
      expect(customer.probabilityAlive).toBeLessThanOrEqual(1);
      expect(Number(customer.predictedClv12m)).toBeGreaterThanOrEqual(0);
      expect(RFM_GROUPS).toContain(customer.rfmGroup);
      expect(["top1", "top5", "top20", "rest"]).toContain(customer.valueTier);
      expect(["low", "medium", "high"]).toContain(customer.churnRisk);
    }
    // The top 20 % by predicted value is about a fifth of the shop.
    const top = customers.filter((customer) => customer.valueTier !== "rest").length;
    expect(top).toBeGreaterThanOrEqual(78);
    expect(top).toBeLessThanOrEqual(82);
  });

  it("the nightly refit is scheduled for the shop", async () => {
    const tasks = new Queue("shop-tasks", { connection: { host: "127.0.0.1", port: 6379 }, prefix: running.app().queuePrefix });
    try {
      const schedulers = await tasks.getJobSchedulers();
      expect(schedulers.map((scheduler) => scheduler.key)).toContain(`${shop}--nightly-refit`);
    } finally {
      await tasks.close();
    }
  });

  it("clv export carries the predictions", async () => {
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "clv", "--", "export", "--shop", shop], { env: { ...process.env, ...testEnv } });
    const [header, first] = stdout.trim().split("\n");
    expect(header?.endsWith("probability_alive,expected_purchases_12m,predicted_clv_12m,rfm_group,value_tier,churn_risk")).toBe(true);
    const cells = first!.split(",");
    expect(Number(cells[11])).toBeGreaterThanOrEqual(0);
    expect(RFM_GROUPS).toContain(cells[14]);
  });
});

describe("a small shop", () => {
  const shop = "refit-small.myshopify.com";

  it("is marked insufficient: no predictions invented, segments from history", async () => {
    await deliverHistory(shop, 30, 3);
    const fit = await refit(shop);
    expect(fit.insufficient).toBe(true);
    expect(fit.reason).toBeTruthy();
    const customers = await prisma.customer.findMany({ where: { shopDomain: shop } });
    for (const customer of customers) {
      expect(customer.probabilityAlive).toBeNull();
      expect(customer.predictedClv12m).toBeNull();
      expect(RFM_GROUPS).toContain(customer.rfmGroup);
      expect(["low", "medium", "high"]).toContain(customer.churnRisk);
    }
  });
});
