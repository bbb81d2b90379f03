// Shopify write-back end to end: a shop's orders arrive as signed webhooks, the worker refits the
// shop, and two worker processes write the high-value tag, the metafields and the Flow trigger to a
// local fake of the Admin API. Tags converge to exactly the high-value set (with hysteresis), only
// what changed is written, refused writes are recorded, and the merchant's buttons create segments.
import { randomUUID } from "node:crypto";
import { type Job, Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { nextHighValueMembership } from "~/ltv/high-value";
import { processAdminWrite } from "~/jobs/process-admin-write.server";
import { gid } from "~/shopify/admin-operations";
import { AdminClient, adminGraphqlUrl, fetchTransport } from "~/shopify/admin-client.server";
import { redisCostLimiter } from "~/shopify/cost-limiter.server";
import { installSession, sessionToken } from "./support/admin-session";
import { type FakeAdminApi, startFakeAdminApi } from "./support/fake-admin-api";
import { orderPayload, refundPayload, toJson } from "./support/orders";
import { type AppUnderTest, type Running, startApp, startWorker, waitFor } from "./support/processes";
import { dropQueue, waitForDrain } from "./support/queue";
import { simulateShop } from "./support/simulate";
import { sendWebhook } from "./support/webhooks";

const shop = "write-back.myshopify.com";
const NAMESPACE = "app--4242--tenure";
const connection = { host: "127.0.0.1", port: 6379 };
const DAY = 86_400_000;
const BASE_ID = 8_100_000_000_000n;
/** Simulated customers (realistic repeat buying, so the models have predictions), then six placed by hand. */
const SIMULATED = 150;
const simulated = simulateShop({ customers: SIMULATED, weeks: 78, joinWeeks: 39, seed: 7 });
const CUSTOMERS = SIMULATED + 6;
// The library answers requests that look like bots with 410; the admin's browser is not one.
const browser = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" };

let fake: FakeAdminApi;
let app: AppUnderTest;
let workers: Running[] = [];
/** A customer GID whose tagsAdd the fake answers with HTTP 422 (a write Shopify refuses). */
let refusedTagsAdd: string | null = null;
/** A customer GID whose tagsAdd the fake answers with HTTP 503 (Shopify unavailable, retryable). */
let unavailableTagsAdd: string | null = null;

const customerId = (index: number) => BASE_ID + BigInt(index);
const customerGid = (index: number) => gid("Customer", customerId(index));

// Customers placed around the €500 line (exit line €450), after the simulated ones.
const C_DIPS_INTO_BAND = SIMULATED; // €520, then a €40 refund: €480 — stays high value
const D_DROPS_OUT = SIMULATED + 1; // €600, then a €200 refund: €400 — leaves
const E_CROSSES = SIMULATED + 2; // €495, then a €20 order: €515 — enters
const F_JUST_UNDER = SIMULATED + 3; // €470 throughout — never enters at €500
const G_AT_400 = SIMULATED + 4; // €430 — enters when the line moves to €400
const R_REFUSED = SIMULATED + 5; // €300, then a €300 order: enters, but Shopify refuses its tag once
const PLACED: Record<number, number> = { [C_DIPS_INTO_BAND]: 520, [D_DROPS_OUT]: 600, [E_CROSSES]: 495, [F_JUST_UNDER]: 470, [G_AT_400]: 430, [R_REFUSED]: 300 };

/** Each simulated order in whole cents, so totals are exact. */
const simulatedCents = simulated.map((order) => Math.round(order.amount * 100));
const simulatedTotal = (index: number) => simulated.reduce((sum, order, k) => (order.customer === index ? sum + simulatedCents[k]! : sum), 0) / 100;

const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
let nextOrderId = 8_200_000_000_000n;
const orderIdsOf = new Map<number, bigint[]>();

async function deliverOrder(index: number, total: string, daysAgo: number): Promise<void> {
  const id = nextOrderId++;
  orderIdsOf.set(index, [...(orderIdsOf.get(index) ?? []), id]);
  const placed = new Date(today - daysAgo * DAY - 12 * 3600_000).toISOString();
  const body = toJson(orderPayload({ id, customerId: customerId(index), total, updatedAt: placed }));
  const response = await sendWebhook(app.url, { shop, topic: "orders/create", body });
  expect(response.status).toBe(200);
}

async function deliverRefund(index: number, amount: string): Promise<void> {
  const orderId = orderIdsOf.get(index)![0]!;
  const body = toJson(refundPayload({ id: orderId + 500_000_000n, orderId, amount, createdAt: new Date(today - DAY).toISOString() }));
  const response = await sendWebhook(app.url, { shop, topic: "refunds/create", body });
  expect(response.status).toBe(200);
}

async function waitForAdminWrites(): Promise<void> {
  const queue = new Queue("admin-writes", { connection, prefix: app.queuePrefix });
  try {
    let idleChecks = 0;
    await waitFor(async () => {
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
      idleChecks = Object.values(counts).every((count) => count === 0) ? idleChecks + 1 : 0;
      return idleChecks >= 3;
    }, "the admin writes", 60_000);
  } finally {
    await queue.close();
  }
}

async function refit(): Promise<void> {
  const tasks = new Queue("shop-tasks", { connection, prefix: app.queuePrefix });
  const events = new QueueEvents("shop-tasks", { connection, prefix: app.queuePrefix });
  try {
    await events.waitUntilReady();
    const job = await tasks.add("refit", { shop, trigger: "manual" });
    await job.waitUntilFinished(events, 60_000);
  } finally {
    await events.close();
    await tasks.close();
  }
  await waitForAdminWrites();
}

/** Net revenue per customer with a counted order, by id, and the high-value set Tenure stored. */
async function shopState() {
  const customers = await prisma.customer.findMany({ where: { shopDomain: shop, ordersCount: { gt: 0 } }, orderBy: { id: "asc" } });
  const syncs = await prisma.customerSync.findMany({ where: { shopDomain: shop } });
  return {
    customers,
    stored: new Set(syncs.filter((sync) => sync.highValueSince).map((sync) => gid("Customer", sync.customerId))),
    taggedInDb: (tag: string) => syncs.filter((sync) => sync.highValueTag === tag).map((sync) => gid("Customer", sync.customerId)).sort(),
  };
}

/** The pure rule applied to the database's figures, from the set before. */
async function expectedMembers(previous: Set<string>, amount: number): Promise<Set<string>> {
  const { customers } = await shopState();
  const change = nextHighValueMembership(
    { basis: "historical", kind: "atLeast", amount },
    { historical: Float64Array.from(customers, (customer) => customer.netRevenue.toNumber()), predicted: null },
    Uint8Array.from(customers, (customer) => (previous.has(gid("Customer", customer.id)) ? 1 : 0)),
  );
  return new Set(customers.filter((_, index) => change.members[index] === 1).map((customer) => gid("Customer", customer.id)));
}

const sorted = (ids: Iterable<string>) => [...ids].sort();
const callsSince = (mark: number, operation?: string) => fake.calls.slice(mark).filter((call) => !call.throttled && (!operation || call.operation === operation));

/** The last action's answer, as single fetch encodes it (turbo-stream: the values appear as text). */
let lastActionBody = "";

async function postAction(path: string, form: Record<string, string>): Promise<number> {
  const response = await fetch(`${app.url}${path}.data?locale=en`, {
    method: "POST",
    headers: { ...browser, Authorization: `Bearer ${sessionToken(shop)}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  lastActionBody = await response.text();
  return response.status;
}

async function saveSettings(values: { threshold: string; tagName: string; autoTagging: boolean; writeMetafields?: boolean }): Promise<void> {
  const fits = await prisma.modelFit.count({ where: { shopDomain: shop } });
  const status = await postAction("/app/settings", {
    grossMarginPercent: "100",
    monthlyDiscountRatePercent: "1",
    predictionHorizonMonths: "12",
    acquisitionCost: "",
    highValueRule: "min_amount",
    highValueThreshold: values.threshold,
    highValueBasis: "historical",
    tagName: values.tagName,
    ...(values.autoTagging ? { autoTagging: "on" } : {}),
    ...(values.writeMetafields === false ? {} : { writeMetafields: "on" }),
  });
  expect(status).toBe(200);
  // Saving queues a refit; it ends with the sync, whose writes then drain.
  const tasks = new Queue("shop-tasks", { connection, prefix: app.queuePrefix });
  try {
    await waitFor(async () => {
      const counts = await tasks.getJobCounts("waiting", "active", "prioritized");
      return (await prisma.modelFit.count({ where: { shopDomain: shop } })) > fits && Object.values(counts).every((count) => count === 0);
    }, "the settings refit", 60_000);
  } finally {
    await tasks.close();
  }
  await waitForAdminWrites();
}

beforeAll(async () => {
  fake = await startFakeAdminApi({
    bucket: { maximumAvailable: 400, restoreRate: 400 },
    intercept: ({ operation, variables }) => {
      if (operation !== "TenureTagsAdd") return undefined;
      if (variables.id === refusedTagsAdd) return 422;
      if (variables.id === unavailableTagsAdd) return 503;
      return undefined;
    },
  });
  app = await startApp({ SHOPIFY_ADMIN_API_ORIGIN: fake.origin, NODE_ENV: "test" });
  // Two worker processes: writes of one shop spread over both, sharing its cost bucket via Redis.
  workers = [await startWorker(app), await startWorker(app)];
  await installSession(shop);
  const weeks = 78;
  for (let start = 0; start < simulated.length; start += 50) {
    await Promise.all(
      simulated.slice(start, start + 50).map((order, offset) =>
        deliverOrder(order.customer, (simulatedCents[start + offset]! / 100).toFixed(2), Math.round((weeks - order.week) * 7)),
      ),
    );
  }
  // The placed customers: two orders each, 90 and 30 days ago.
  for (const [index, total] of Object.entries(PLACED)) {
    await deliverOrder(Number(index), (total / 2).toFixed(2), 90);
    await deliverOrder(Number(index), (total / 2).toFixed(2), 30);
  }
  await waitForDrain(app.queuePrefix);
  // The rule before any sync: at least €500 of net revenue. Auto-tagging is left at its default.
  await prisma.shopSettings.upsert({
    where: { shopDomain: shop },
    create: { shopDomain: shop, highValueRule: "min_amount", highValueThreshold: 500, highValueBasis: "historical" },
    update: {},
  });
}, 120_000);

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await app?.stop();
  if (app) await dropQueue(app.queuePrefix);
  await fake?.stop();
  await prisma.$disconnect();
});

describe("writing back to Shopify after each refit", () => {
  let members = new Set<string>();

  it("tags exactly the high-value customers, writes typed metafields, and fires no Flow on the first sync", async () => {
    await refit();
    members = await expectedMembers(new Set(), 500);
    expect(members.size).toBeGreaterThan(20);
    expect(members.has(customerGid(C_DIPS_INTO_BAND))).toBe(true);
    expect(members.has(customerGid(F_JUST_UNDER))).toBe(false);

    expect(fake.taggedWith(shop, "tenure-high-value")).toEqual(sorted(members));
    const state = await shopState();
    expect(sorted(state.stored)).toEqual(sorted(members));
    expect(state.taggedInDb("tenure-high-value")).toEqual(sorted(members));
    expect(callsSince(0, "TenureTagsAdd")).toHaveLength(members.size);
    expect(callsSince(0, "TenureTagsRemove")).toHaveLength(0);
    expect(fake.flowRuns.get(shop) ?? []).toHaveLength(0);

    // Definitions once, app-owned; the resolved namespace is remembered.
    expect((fake.definitions.get(shop) ?? []).map((definition) => `${definition.namespace}.${definition.key}:${definition.type}`).sort()).toEqual([
      `${NAMESPACE}.historical_ltv:number_decimal`,
      `${NAMESPACE}.predicted_clv:number_decimal`,
      `${NAMESPACE}.probability_alive:number_decimal`,
      `${NAMESPACE}.rfm_group:single_line_text_field`,
      `${NAMESPACE}.value_tier:single_line_text_field`,
    ]);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).metafieldNamespace).toBe(NAMESPACE);

    // Every customer's figures, exact to the cent, as typed by the definitions; 5 customers per call.
    const fit = await prisma.modelFit.findFirstOrThrow({ where: { shopDomain: shop }, orderBy: { id: "desc" } });
    for (const customer of state.customers) {
      const metafields = fake.customer(shop, gid("Customer", customer.id)).metafields;
      expect(metafields.get(`${NAMESPACE}.historical_ltv`)).toEqual({ type: "number_decimal", value: customer.netRevenue.toFixed(2) });
      expect(metafields.get(`${NAMESPACE}.rfm_group`)).toEqual({ type: "single_line_text_field", value: customer.rfmGroup });
      expect(metafields.get(`${NAMESPACE}.value_tier`)).toEqual({ type: "single_line_text_field", value: customer.valueTier });
      if (fit.insufficient) expect(metafields.has(`${NAMESPACE}.predicted_clv`)).toBe(false);
      else {
        expect(metafields.get(`${NAMESPACE}.predicted_clv`)).toEqual({ type: "number_decimal", value: customer.predictedClv12m!.toFixed(2) });
        expect(metafields.get(`${NAMESPACE}.probability_alive`)?.value).toMatch(/^[01]\.\d\d$/);
      }
    }
    const sets = callsSince(0, "TenureMetafieldsSet");
    expect(sets).toHaveLength(Math.ceil(CUSTOMERS / 5));
    for (const call of sets) expect((call.variables.metafields as unknown[]).length).toBeLessThanOrEqual(25);
    // The simulated history is rich enough for predictions, so their fields are exercised too.
    expect(fit.insufficient).toBe(false);
  });

  it("a second sync with nothing changed writes nothing", async () => {
    const mark = fake.calls.length;
    await refit();
    expect(callsSince(mark)).toEqual([]);
  });

  it("after a burst of orders and refunds, writes only the customers who crossed a line, fires Flow once per entry, and records the write Shopify refused", async () => {
    refusedTagsAdd = customerGid(R_REFUSED);
    const mark = fake.calls.length;
    const pushed = Array.from({ length: SIMULATED }, (_, index) => index).filter((index) => simulatedTotal(index) >= 400 && simulatedTotal(index) < 500);
    expect(pushed.length).toBeGreaterThan(0);
    await Promise.all([
      deliverOrder(E_CROSSES, "20.00", 2),
      deliverOrder(R_REFUSED, "300.00", 2),
      ...pushed.map((index) => deliverOrder(index, "150.00", 2)),
      deliverRefund(C_DIPS_INTO_BAND, "40.00"),
      deliverRefund(D_DROPS_OUT, "200.00"),
    ]);
    await waitForDrain(app.queuePrefix);
    await refit();

    const next = await expectedMembers(members, 500);
    const entered = sorted([...next].filter((id) => !members.has(id)));
    const left = sorted([...members].filter((id) => !next.has(id)));
    expect(entered).toEqual(sorted([customerGid(E_CROSSES), customerGid(R_REFUSED), ...pushed.map(customerGid)]));
    expect(left).toEqual([customerGid(D_DROPS_OUT)]);
    // C is at €480: under the entry line, above the exit line: still tagged, not written to.
    expect(next.has(customerGid(C_DIPS_INTO_BAND))).toBe(true);

    const withoutRefused = sorted([...next].filter((id) => id !== refusedTagsAdd));
    expect(fake.taggedWith(shop, "tenure-high-value")).toEqual(withoutRefused);
    expect(sorted(callsSince(mark, "TenureTagsAdd").map((call) => String(call.variables.id)))).toEqual(entered.filter((id) => id !== refusedTagsAdd));
    expect(callsSince(mark, "TenureTagsRemove").map((call) => call.variables.id)).toEqual(left);

    const failure = await prisma.adminWriteFailure.findFirstOrThrow({ where: { shopDomain: shop, operation: "tagsAdd" } });
    expect(failure.variables).toEqual({ id: refusedTagsAdd, tags: ["tenure-high-value"] });
    expect(failure.error).toContain("422");

    const runs = fake.flowRuns.get(shop) ?? [];
    expect(runs.map((run) => run.handle).every((handle) => handle === "customer-became-high-value")).toBe(true);
    expect(sorted(runs.map((run) => gid("Customer", String(run.payload.customer_id))))).toEqual(entered);
    const { customers } = await shopState();
    const eCustomer = customers.find((customer) => customer.id === customerId(E_CROSSES))!;
    const eRun = runs.find((run) => run.payload.customer_id === Number(customerId(E_CROSSES)))!;
    expect(Object.keys(eRun.payload).sort()).toEqual(["Historical LTV", "Predicted CLV", "Value tier", "customer_id"]);
    expect(eRun.payload["Historical LTV"]).toBe(515);
    expect(eCustomer.netRevenue.toFixed(2)).toBe("515.00");
    expect(typeof eRun.payload["Predicted CLV"]).toBe("number");
    expect(eRun.payload["Value tier"]).toBe(eCustomer.valueTier);
    members = next;
  });

  it("the next refit retries the refused tag once Shopify accepts it, and the customer in the band still does not flap", async () => {
    refusedTagsAdd = null;
    const mark = fake.calls.length;
    const flowBefore = (fake.flowRuns.get(shop) ?? []).length;
    await refit();
    expect(await expectedMembers(members, 500)).toEqual(members);
    expect(fake.taggedWith(shop, "tenure-high-value")).toEqual(sorted(members));
    expect(callsSince(mark, "TenureTagsAdd").map((call) => call.variables.id)).toEqual([customerGid(R_REFUSED)]);
    expect(callsSince(mark, "TenureTagsRemove")).toHaveLength(0);
    expect((fake.flowRuns.get(shop) ?? []).length).toBe(flowBefore);
  });

  it("a lower threshold saved in Settings tags only the customers it lets in", async () => {
    const mark = fake.calls.length;
    await saveSettings({ threshold: "400", tagName: "tenure-high-value", autoTagging: true });
    const next = await expectedMembers(members, 400);
    const entered = sorted([...next].filter((id) => !members.has(id)));
    expect(entered).toContain(customerGid(G_AT_400));
    expect(entered).toContain(customerGid(F_JUST_UNDER));
    expect(fake.taggedWith(shop, "tenure-high-value")).toEqual(sorted(next));
    expect(sorted(callsSince(mark, "TenureTagsAdd").map((call) => String(call.variables.id)))).toEqual(entered);
    expect(callsSince(mark, "TenureTagsRemove")).toHaveLength(0);
    members = next;
  });

  it("a renamed tag moves, even while another app drains the shop's bucket, and no call overdraws it", async () => {
    const mark = fake.calls.length;
    const drains = [100, 700, 1500].map((ms) => setTimeout(() => fake.drain(shop, 10_000), ms));
    await saveSettings({ threshold: "400", tagName: "tenure-vip", autoTagging: true });
    drains.forEach(clearTimeout);
    expect(fake.taggedWith(shop, "tenure-high-value")).toEqual([]);
    expect(fake.taggedWith(shop, "tenure-vip")).toEqual(sorted(members));
    expect(callsSince(mark, "TenureTagsRemove")).toHaveLength(members.size);
    expect(callsSince(mark, "TenureTagsAdd")).toHaveLength(members.size);
    expect(fake.throttledCalls(shop)).toBeGreaterThan(0);
    for (const call of fake.calls.filter((candidate) => !candidate.throttled)) expect(call.availableBefore).toBeGreaterThanOrEqual(call.cost);
  });

  it("turning auto-tagging off removes Tenure's tags and keeps the high-value set", async () => {
    await saveSettings({ threshold: "400", tagName: "tenure-vip", autoTagging: false });
    expect(fake.taggedWith(shop, "tenure-vip")).toEqual([]);
    const state = await shopState();
    expect(state.taggedInDb("tenure-vip")).toEqual([]);
    expect(sorted(state.stored)).toEqual(sorted(members));
  });

  it("turning LTV metafields off deletes them and their definitions from Shopify; turning them on writes them again", async () => {
    const someone = gid("Customer", (await shopState()).customers[0]!.id);
    expect(fake.customer(shop, someone).metafields.size).toBeGreaterThan(0);

    await saveSettings({ threshold: "400", tagName: "tenure-vip", autoTagging: false, writeMetafields: false });
    expect(fake.definitions.get(shop) ?? []).toEqual([]);
    const withTenureValues = [...(fake.customers.get(shop)?.values() ?? [])].filter((customer) => [...customer.metafields.keys()].some((key) => key.startsWith(NAMESPACE)));
    expect(withTenureValues).toEqual([]);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).metafieldNamespace).toBeNull();

    await saveSettings({ threshold: "400", tagName: "tenure-vip", autoTagging: false });
    expect((fake.definitions.get(shop) ?? []).map((definition) => definition.key).sort()).toEqual([
      "historical_ltv",
      "predicted_clv",
      "probability_alive",
      "rfm_group",
      "value_tier",
    ]);
    const { customers } = await shopState();
    for (const customer of customers) {
      expect(fake.customer(shop, gid("Customer", customer.id)).metafields.get(`${NAMESPACE}.historical_ltv`)?.value).toBe(customer.netRevenue.toFixed(2));
    }
  });
});

describe("the merchant's buttons", () => {
  it("tag a segment's customers and create a Shopify segment that follows it by metafield", async () => {
    const { customers } = await shopState();
    const group = customers[0]!.rfmGroup!;
    const inGroup = sorted(customers.filter((customer) => customer.rfmGroup === group).map((customer) => gid("Customer", customer.id)));

    expect(await postAction(`/app/segments/rfm/${group}`, { intent: "tag", tag: `tenure-${group}` })).toBe(200);
    await waitForAdminWrites();
    expect(fake.taggedWith(shop, `tenure-${group}`)).toEqual(inGroup);

    expect(await postAction(`/app/segments/rfm/${group}`, { intent: "create_segment", tag: "" })).toBe(200);
    expect(await postAction(`/app/segments/rfm/${group}`, { intent: "create_segment", tag: "" })).toBe(200);
    const segments = fake.segments.get(shop) ?? [];
    expect(segments.map((segment) => segment.query)).toEqual([`metafields.${NAMESPACE}.rfm_group = '${group}'`]);
    const stored = await prisma.shopifySegment.findUniqueOrThrow({ where: { shopDomain_sourceKey: { shopDomain: shop, sourceKey: `rfm_group:${group}` } } });
    expect(stored.segmentId).toBe(segments[0]!.id);
  });

  it("tag a playbook's audience and create a Shopify segment of the tag", async () => {
    const member = await prisma.suggestionMember.findFirst({ where: { shopDomain: shop, NOT: { playbook: { contains: "-" } } } });
    expect(member).not.toBeNull();
    const playbook = member!.playbook;
    const audience = await prisma.suggestionMember.findMany({ where: { shopDomain: shop, playbook } });
    expect(await postAction(`/app/suggestions/${playbook}`, { intent: "create_segment", tag: "tenure-audience" })).toBe(200);
    await waitForAdminWrites();
    expect(fake.taggedWith(shop, "tenure-audience")).toEqual(sorted(audience.map((row) => gid("Customer", row.customerId))));
    expect((fake.segments.get(shop) ?? []).map((segment) => segment.query)).toContain("customer_tags CONTAINS 'tenure-audience'");
  });

  it("refuse a tag Shopify would split or ShopifyQL could not quote", async () => {
    const mark = fake.calls.length;
    expect(await postAction(`/app/segments/tier/top1`, { intent: "tag", tag: "vip, 'gold'" })).toBe(200);
    expect(lastActionBody).toContain("invalid_tag");
    await waitForAdminWrites();
    expect(callsSince(mark)).toEqual([]);
  });
});

describe("a write Shopify keeps failing", () => {
  it("is retried by the queue, and recorded with its variables when the last attempt fails", async () => {
    const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 3 });
    try {
      // One client attempt, so the job's own attempts are what count.
      const client = new AdminClient({
        shop,
        transport: fetchTransport({ url: adminGraphqlUrl(shop, fake.origin), accessToken: "shpat_test" }),
        limiter: redisCostLimiter(redis, { keyPrefix: `test-${randomUUID()}` }),
        maxAttempts: 1,
      });
      unavailableTagsAdd = customerGid(G_AT_400);
      const data = { kind: "tag_customers", shop, tag: "tenure-retry", customerIds: [String(customerId(F_JUST_UNDER)), String(customerId(G_AT_400))] };
      const job = (attemptsMade: number) => ({ id: `retry-${attemptsMade}`, data, attemptsMade, opts: { attempts: 5 } }) as unknown as Job;
      const failures = () => prisma.adminWriteFailure.findMany({ where: { shopDomain: shop, operation: "tagsAdd", variables: { path: ["tags"], array_contains: ["tenure-retry"] } } });

      await expect(processAdminWrite(job(0), async () => client)).rejects.toThrow(/pending/);
      expect(await failures()).toHaveLength(0);
      expect(fake.taggedWith(shop, "tenure-retry")).toEqual([customerGid(F_JUST_UNDER)]);

      await expect(processAdminWrite(job(4), async () => client)).rejects.toThrow(/pending/);
      const recorded = await failures();
      expect(recorded.map((failure) => failure.variables)).toEqual([{ id: customerGid(G_AT_400), tags: ["tenure-retry"] }]);
      expect(recorded[0]!.error).toContain("503");
    } finally {
      unavailableTagsAdd = null;
      await redis.quit();
    }
  });
});
