// Property: whatever Shopify does with delivery — duplicates, re-deliveries under new webhook ids,
// any order, concurrent processing — every customer ends with the figures of a direct computation.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { expect, it } from "vitest";
import { prisma } from "~/db.server";
import { runningAppForSuite } from "./support/app-under-test";
import { waitForDrain } from "./support/queue";
import { orderPayload, refundPayload, toJson } from "./support/orders";
import { sendWebhook } from "./support/webhooks";

const running = runningAppForSuite({ WORKER_CONCURRENCY: "16" });

const CUSTOMERS = [4_100_000_000_000_000_001n, 4_100_000_000_000_000_002n, 4_100_000_000_000_000_003n];
const cents = (value: number) => (value / 100).toFixed(2);
const hour = (base: number, hours: number) => new Date(base + hours * 3_600_000).toISOString();

type OrderPlan = {
  customer: number | null; // index into CUSTOMERS, null = guest
  placedDay: number;
  totalCents: number;
  editedTotalCents: number | null; // an orders/updated version with an edited total
  paid: boolean;
  cancelled: boolean;
  test: boolean;
  refundCents: number[];
};

const orderPlan = fc.record({
  customer: fc.option(fc.nat({ max: CUSTOMERS.length - 1 }), { freq: 6 }),
  placedDay: fc.nat({ max: 400 }),
  totalCents: fc.integer({ min: 1, max: 500_000 }),
  editedTotalCents: fc.option(fc.integer({ min: 1, max: 500_000 }), { freq: 3 }),
  paid: fc.boolean(),
  cancelled: fc.constantFrom(false, false, false, true),
  test: fc.constantFrom(false, false, false, false, false, true),
  refundCents: fc.array(fc.integer({ min: 1, max: 10_000 }), { maxLength: 2 }),
});

type Event = { topic: string; body: string; webhookId: string };

function eventsFor(plans: OrderPlan[], runId: number): Event[] {
  const events: Event[] = [];
  plans.forEach((plan, index) => {
    const orderId = BigInt(runId) * 1_000_000n + BigInt(index + 1) + 3_000_000_000_000_000_000n;
    const customerId = plan.customer === null ? null : (CUSTOMERS[plan.customer] ?? null);
    const base = Date.UTC(2025, 0, 1) + plan.placedDay * 86_400_000;
    const common = { id: orderId, customerId, createdAt: hour(base, 0), processedAt: hour(base, 0), test: plan.test };
    const versions = [{ topic: "orders/create", ...common, total: cents(plan.totalCents), updatedAt: hour(base, 0) }];
    let total = plan.totalCents;
    if (plan.editedTotalCents !== null) {
      total = plan.editedTotalCents;
      versions.push({ topic: "orders/updated", ...common, total: cents(total), updatedAt: hour(base, 1) });
    }
    if (plan.paid) versions.push({ topic: "orders/paid", ...common, total: cents(total), updatedAt: hour(base, 2) });
    if (plan.cancelled)
      versions.push({ topic: "orders/cancelled", ...common, total: cents(total), updatedAt: hour(base, 3), cancelledAt: hour(base, 3) } as never);
    for (const version of versions) {
      events.push({ topic: version.topic, body: toJson(orderPayload(version)), webhookId: randomUUID() });
    }
    plan.refundCents.forEach((amount, refundIndex) => {
      const refund = { id: orderId * 10n + BigInt(refundIndex) - 29_000_000_000_000_000_000n, orderId, amount: cents(amount), createdAt: hour(base, 4 + refundIndex) };
      events.push({ topic: "refunds/create", body: toJson(refundPayload(refund)), webhookId: randomUUID() });
    });
  });
  return events;
}

/** The expected figures, computed directly from the plan in integer cents. */
function expectedFigures(plans: OrderPlan[]) {
  const byCustomer = new Map<bigint, { orders: number; gross: number; refunds: number; first: number; last: number }>();
  for (const plan of plans) {
    if (plan.customer === null) continue;
    const customerId = CUSTOMERS[plan.customer]!;
    const figures = byCustomer.get(customerId) ?? { orders: 0, gross: 0, refunds: 0, first: Infinity, last: -Infinity };
    byCustomer.set(customerId, figures);
    if (plan.cancelled || plan.test) continue;
    const placed = Date.UTC(2025, 0, 1) + plan.placedDay * 86_400_000;
    figures.orders += 1;
    figures.gross += plan.editedTotalCents ?? plan.totalCents;
    figures.refunds += plan.refundCents.reduce((sum, amount) => sum + amount, 0);
    figures.first = Math.min(figures.first, placed);
    figures.last = Math.max(figures.last, placed);
  }
  return byCustomer;
}

let runId = 0;

it("duplicates, re-deliveries and any delivery order converge to the direct computation", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(orderPlan, { minLength: 1, maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 10 }), // which events are delivered again
      fc.boolean(), // re-delivered under a new webhook id (a new delivery of the same event) or the same one
      fc.nat(), // shuffle seed
      async (plans, repeats, newIds, seed) => {
        runId += 1;
        const shop = `property-${runId}-${randomUUID().slice(0, 6)}.myshopify.com`;
        const events = eventsFor(plans, runId);
        const deliveries = [...events];
        for (const pick of repeats) {
          const event = events[pick % events.length]!;
          deliveries.push(newIds ? { ...event, webhookId: randomUUID() } : event);
        }
        // A deterministic shuffle from the seed (fast-check shrinks it).
        let state = seed || 1;
        for (let i = deliveries.length - 1; i > 0; i -= 1) {
          state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
          const j = state % (i + 1);
          [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
        }
        // Delivered concurrently, as Shopify does; the worker runs 16 jobs at a time.
        const statuses = await Promise.all(
          deliveries.map((event) => sendWebhook(running.app().url, { shop, ...event }).then((response) => response.status)),
        );
        expect(statuses.every((status) => status === 200)).toBe(true);
        await waitForDrain(running.app().queuePrefix);

        const stored = await prisma.customer.findMany({ where: { shopDomain: shop } });
        const expected = expectedFigures(plans);
        expect(stored.length).toBe(expected.size);
        for (const customer of stored) {
          const want = expected.get(customer.id)!;
          expect(customer.ordersCount).toBe(want.orders);
          expect(customer.grossSales.toFixed(2)).toBe(cents(want.gross));
          expect(customer.refunds.toFixed(2)).toBe(cents(want.refunds));
          expect(customer.netRevenue.toFixed(2)).toBe(cents(want.gross - want.refunds));
          expect(customer.firstOrderAt?.getTime() ?? null).toBe(want.orders ? want.first : null);
          expect(customer.lastOrderAt?.getTime() ?? null).toBe(want.orders ? want.last : null);
        }
        expect(await prisma.failedJob.count({ where: { shopDomain: shop } })).toBe(0);
      },
    ),
    { numRuns: 30 },
  );
}, 300_000);
