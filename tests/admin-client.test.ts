// The Admin API client against the local fake: Shopify's cost limit is respected across processes,
// throttled bursts still finish, and failures are retried or surfaced, never dropped.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TAGS_ADD, type TagsAddData, gid } from "~/shopify/admin-operations";
import { AdminApiError, AdminClient, adminGraphqlUrl, fetchTransport } from "~/shopify/admin-client.server";
import { type CostLimiter, redisCostLimiter } from "~/shopify/cost-limiter.server";
import { type FakeAdminApi, startFakeAdminApi } from "./support/fake-admin-api";

const SHOP = "throttle-shop.myshopify.com";
let redis: Redis;
let fake: FakeAdminApi;

beforeAll(async () => {
  redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 3 });
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  await fake?.stop();
});

/** Several worker processes: separate clients sharing one Redis bucket per shop. */
function workers(count: number, limiter: CostLimiter, options: { maxAttempts?: number } = {}): AdminClient[] {
  return Array.from(
    { length: count },
    () =>
      new AdminClient({
        shop: SHOP,
        transport: fetchTransport({ url: adminGraphqlUrl(SHOP, fake.origin), accessToken: "shpat_test" }),
        limiter,
        backoffMs: 50,
        ...options,
      }),
  );
}

async function tagAll(clients: AdminClient[], customerIds: number[], tag: string): Promise<void> {
  await Promise.all(
    customerIds.map((customerId, index) =>
      clients[index % clients.length]!.request<TagsAddData>(TAGS_ADD, { id: gid("Customer", BigInt(customerId)), tags: [tag] }),
    ),
  );
}

describe("the Admin API client under Shopify's cost limit", () => {
  it("tags 150 customers from 3 workers at once within a 100-point bucket, never refused once it has seen the bucket", async () => {
    fake = await startFakeAdminApi({ bucket: { maximumAvailable: 100, restoreRate: 200 } });
    const limiter = redisCostLimiter(redis, { keyPrefix: `test-${randomUUID()}` });
    const clients = workers(3, limiter);
    // The first answer tells the limiter the shop's real bucket (until then it assumes a standard one).
    await tagAll(clients, [999], "tenure-high-value");
    const customers = Array.from({ length: 150 }, (_, index) => 1000 + index);
    const started = Date.now();

    await tagAll(clients, customers, "tenure-high-value");

    expect(fake.taggedWith(SHOP, "tenure-high-value")).toHaveLength(151);
    const executed = fake.calls.filter((call) => !call.throttled);
    expect(executed).toHaveLength(151);
    // No call ran on points the shop did not have, and none was even refused: the workers waited for
    // the shared bucket instead of hammering Shopify.
    for (const call of executed) expect(call.availableBefore).toBeGreaterThanOrEqual(call.cost);
    expect(fake.throttledCalls(SHOP)).toBe(0);
    // 1,500 points through a 100-point bucket refilling 200/s cannot take less than 7 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(((150 * 10 - 100) / 200) * 1000 - 250);
  });

  it("finishes a burst that another app throttles: THROTTLED answers are waited out and retried", async () => {
    fake = await startFakeAdminApi({ bucket: { maximumAvailable: 200, restoreRate: 400 } });
    const limiter = redisCostLimiter(redis, { keyPrefix: `test-${randomUUID()}` });
    const customers = Array.from({ length: 60 }, (_, index) => 5000 + index);
    // Another app empties the bucket twice while Tenure's burst runs.
    const drains = [setTimeout(() => fake.drain(SHOP, 10_000), 100), setTimeout(() => fake.drain(SHOP, 10_000), 600)];

    await tagAll(workers(2, limiter), customers, "vip");
    drains.forEach(clearTimeout);

    expect(fake.taggedWith(SHOP, "vip")).toHaveLength(60);
    expect(fake.throttledCalls(SHOP)).toBeGreaterThan(0);
  });

  it("retries 502s and 429s, and gives up with a retryable error only after its attempts", async () => {
    let failuresLeft = 3;
    fake = await startFakeAdminApi({
      intercept: ({ operation }) => (operation === "TenureTagsAdd" && failuresLeft-- > 0 ? (failuresLeft % 2 ? 502 : 429) : undefined),
    });
    const limiter = redisCostLimiter(redis, { keyPrefix: `test-${randomUUID()}` });
    const [client] = workers(1, limiter);
    await client!.request<TagsAddData>(TAGS_ADD, { id: gid("Customer", 7n), tags: ["retried"] });
    expect(fake.taggedWith(SHOP, "retried")).toEqual([gid("Customer", 7n)]);

    await fake.stop();
    fake = await startFakeAdminApi({ intercept: () => 503 });
    const [impatient] = workers(1, redisCostLimiter(redis, { keyPrefix: `test-${randomUUID()}` }), { maxAttempts: 2 });
    const failure = await impatient!.request(TAGS_ADD, { id: gid("Customer", 8n), tags: ["never"] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdminApiError);
    expect((failure as AdminApiError).retryable).toBe(true);
  });

  it("surfaces a refused access token at once instead of retrying", async () => {
    fake = await startFakeAdminApi();
    const client = new AdminClient({
      shop: SHOP,
      transport: fetchTransport({ url: adminGraphqlUrl(SHOP, fake.origin), accessToken: "" }),
      limiter: redisCostLimiter(redis, { keyPrefix: `test-${randomUUID()}` }),
    });
    const failure = await client.request(TAGS_ADD, { id: gid("Customer", 9n), tags: ["x"] }).catch((error: unknown) => error);
    expect((failure as AdminApiError).kind).toBe("unauthorized");
    expect(fake.calls).toHaveLength(0);
  });
});
