import { describe, expect, it } from "vitest";
import type { ApplyResult, OrderEvent } from "~/orders/apply-order-events.server";
import type { RefundFacts } from "~/ltv/order-facts";
import { OrderEventBatcher } from "./order-event-batcher.server";

const refund = (orderId: number, id: number): OrderEvent => ({
  kind: "refund",
  shop: "a.myshopify.com",
  refund: { id: BigInt(id), orderId: BigInt(orderId) } as RefundFacts,
});
const idOf = (event: OrderEvent) => (event.kind === "refund" ? Number(event.refund.id) : 0);

function recordingApply(options: { failOn?: number; delayMs?: number } = {}) {
  const batches: number[][] = [];
  let concurrent = 0;
  const apply = async (events: readonly OrderEvent[]): Promise<ApplyResult[]> => {
    batches.push(events.map(idOf));
    concurrent += 1;
    const overlapping = concurrent;
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
    concurrent -= 1;
    if (events.some((event) => idOf(event) === options.failOn)) throw new Error(`event ${options.failOn} is bad`);
    return events.map(() => (overlapping > 0 ? "stored" : "stale"));
  };
  return { apply, batches };
}

describe("the worker's order event batcher", () => {
  it("applies events that arrive together in one batch, each job getting its own outcome", async () => {
    const { apply, batches } = recordingApply();
    const batcher = new OrderEventBatcher({ maxBatch: 100, maxInFlight: 2, apply });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.apply(refund(n, n))));
    expect(results).toEqual(["stored", "stored", "stored"]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("caps a batch at maxBatch", async () => {
    const { apply, batches } = recordingApply();
    const batcher = new OrderEventBatcher({ maxBatch: 2, maxInFlight: 4, apply });
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.apply(refund(n, n))));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("a bad event fails only its own job: the batch is retried one by one", async () => {
    const { apply, batches } = recordingApply({ failOn: 2 });
    const batcher = new OrderEventBatcher({ maxBatch: 100, maxInFlight: 1, apply });
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.apply(refund(n, n))));
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it("never puts two events of one order in transactions at once, and keeps their order", async () => {
    const { apply, batches } = recordingApply({ delayMs: 10 });
    const batcher = new OrderEventBatcher({ maxBatch: 1, maxInFlight: 4, apply });
    // Refunds 11 and 12 are on order 1, 21 on order 2, 31 on order 3: 12 waits for 11's transaction.
    await Promise.all([refund(1, 11), refund(1, 12), refund(2, 21), refund(3, 31)].map((event) => batcher.apply(event)));
    expect(batches).toEqual([[11], [21], [31], [12]]);
  });
});
