// `npm run --silent clv -- export --shop …`: the merchant's customers as CSV, exact to the cent.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type AppUnderTest, type Running, startApp, startWorker } from "./support/processes";
import { dropQueue, waitForDrain } from "./support/queue";
import { orderPayload, refundPayload, toJson } from "./support/orders";
import { sendWebhook } from "./support/webhooks";
import { testEnv } from "./setup/test-env";

const run = promisify(execFile);
const shop = "cli.myshopify.com";
let app: AppUnderTest;
let worker: Running;

beforeAll(async () => {
  app = await startApp();
  worker = await startWorker(app);
  const deliveries = [
    { topic: "orders/create", payload: orderPayload({ id: 1_500_000_000_000_000_001n, customerId: 1_600_000_000_000_000_002n, total: "19.99", updatedAt: "2026-01-05T08:00:00Z" }) },
    { topic: "orders/create", payload: orderPayload({ id: 1_500_000_000_000_000_002n, customerId: 1_600_000_000_000_000_002n, total: "0.02", updatedAt: "2026-02-05T08:00:00Z" }) },
    { topic: "refunds/create", payload: refundPayload({ id: 1_700_000_000_000_000_001n, orderId: 1_500_000_000_000_000_001n, amount: "4.99", createdAt: "2026-01-06T08:00:00Z" }) },
    { topic: "orders/create", payload: orderPayload({ id: 1_500_000_000_000_000_003n, customerId: 1_600_000_000_000_000_001n, total: "100.00", updatedAt: "2026-03-05T08:00:00Z" }) },
  ];
  for (const { topic, payload } of deliveries) {
    expect((await sendWebhook(app.url, { shop, topic, body: toJson(payload) })).status).toBe(200);
  }
  await waitForDrain(app.queuePrefix);
});

afterAll(async () => {
  await worker?.stop();
  await app?.stop();
  if (app) await dropQueue(app.queuePrefix);
  await prisma.$disconnect();
});

const clv = (...args: string[]) => run("npm", ["run", "--silent", "clv", "--", ...args], { env: { ...process.env, ...testEnv } });

it("prints one row per customer with Shopify's numeric id, plain two-place money and UTC times", async () => {
  const { stdout } = await clv("export", "--shop", shop);
  const [header, ...rows] = stdout.trim().split("\n");
  expect(header?.startsWith("customer_id,orders_count,net_revenue,gross_sales,refunds,first_order_at,last_order_at")).toBe(true);
  expect(rows).toEqual([
    expect.stringMatching(/^1600000000000000001,1,100\.00,100\.00,0\.00,2026-03-05T08:00:00\.000Z,2026-03-05T08:00:00\.000Z,/),
    expect.stringMatching(/^1600000000000000002,2,15\.02,20\.01,4\.99,2026-01-05T08:00:00\.000Z,2026-02-05T08:00:00\.000Z,/),
  ]);
});

it("refuses an unknown shop with a clear message and a non-zero exit", async () => {
  const failure = await clv("export", "--shop", "nobody.myshopify.com").catch((error: { code: number; stderr: string; stdout: string }) => error);
  expect("code" in failure && failure.code).toBe(2);
  expect((failure as { stderr: string }).stderr).toContain("Unknown shop: nobody.myshopify.com");
  expect((failure as { stdout: string }).stdout).toBe("");
});
