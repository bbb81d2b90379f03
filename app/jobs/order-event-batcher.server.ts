// Micro-batching inside the worker: the order versions and refunds that the worker's concurrent jobs
// bring are applied together, a batch per transaction (docs/decisions/0007). Each job still waits
// for its own outcome, so BullMQ's completion, retries and stalled-job recovery stay per job: a job
// completes only after the transaction holding its event committed.
import type { ApplyResult, OrderEvent } from "~/orders/apply-order-events.server";

type Waiting = { event: OrderEvent; key: string; resolve: (result: ApplyResult) => void; reject: (error: unknown) => void };

const orderKey = (event: OrderEvent) => `${event.shop} ${event.kind === "order" ? event.order.id : event.refund.orderId}`;

export type BatcherOptions = {
  /** Most events in one transaction. */
  maxBatch: number;
  /** Transactions at once. While all are busy, arriving events wait and form the next, larger batch. */
  maxInFlight: number;
  /** Applies a batch in one transaction (applyOrderEvents), all or nothing. */
  apply: (events: readonly OrderEvent[]) => Promise<ApplyResult[]>;
};

export class OrderEventBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  /** Orders in a transaction now, with how many of their events. */
  private readonly busyOrders = new Map<string, number>();
  private scheduled = false;
  constructor(private readonly options: BatcherOptions) {}

  apply(event: OrderEvent): Promise<ApplyResult> {
    return new Promise<ApplyResult>((resolve, reject) => {
      this.waiting.push({ event, key: orderKey(event), resolve, reject });
      // Jobs started in the same turn of the event loop join one batch; at low load a batch is one event.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.takeBatch();
      if (batch.length === 0) return; // every waiting event's order is busy: the next completion pumps again
      this.inFlight += 1;
      for (const { key } of batch) this.busyOrders.set(key, (this.busyOrders.get(key) ?? 0) + 1);
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        for (const { key } of batch) {
          const left = (this.busyOrders.get(key) ?? 1) - 1;
          if (left > 0) this.busyOrders.set(key, left);
          else this.busyOrders.delete(key);
        }
        this.pump();
      });
    }
  }

  /**
   * The oldest waiting events, skipping those whose order is in a transaction now: they would only
   * wait for its lock inside the database, holding up their whole batch (an orders/updated often
   * follows its orders/create within a few hundred events). They go in a later batch, in order.
   */
  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const kept: Waiting[] = [];
    const skipped = new Set<string>();
    for (const waiting of this.waiting) {
      const free = batch.length < this.options.maxBatch && !this.busyOrders.has(waiting.key) && !skipped.has(waiting.key);
      if (free) batch.push(waiting);
      else {
        kept.push(waiting);
        skipped.add(waiting.key);
      }
    }
    this.waiting.splice(0, this.waiting.length, ...kept);
    return batch;
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const results = await this.options.apply(batch.map((waiting) => waiting.event));
      batch.forEach((waiting, i) => waiting.resolve(results[i] ?? "stored"));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // The batch rolled back as a whole: one by one now, so one event's failure fails only its own job.
      for (const waiting of batch) {
        try {
          const [result] = await this.options.apply([waiting.event]);
          waiting.resolve(result ?? "stored");
        } catch (eventError) {
          waiting.reject(eventError);
        }
      }
    }
  }
}
