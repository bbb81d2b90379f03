// Micro-batching inside the worker: the order versions and refunds that the worker's concurrent jobs
// bring are applied together, a batch per transaction (docs/decisions/0007). Each job still waits
// for its own outcome, so BullMQ's completion, retries and stalled-job recovery stay per job: a job
// completes only after the transaction holding its event committed.
import { type ApplyResult, type OrderEvent, applyOrderEvents } from "~/orders/apply-order-events.server";

type Waiting = { event: OrderEvent; resolve: (result: ApplyResult) => void; reject: (error: unknown) => void };

export type BatcherOptions = {
  /** Most events in one transaction. */
  maxBatch: number;
  /** Transactions at once. While all are busy, arriving events wait and form the next, larger batch. */
  maxInFlight: number;
  apply?: (events: readonly OrderEvent[]) => Promise<ApplyResult[]>;
};

export class OrderEventBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly applyEvents: (events: readonly OrderEvent[]) => Promise<ApplyResult[]>;

  constructor(private readonly options: BatcherOptions) {
    this.applyEvents = options.apply ?? applyOrderEvents;
  }

  apply(event: OrderEvent): Promise<ApplyResult> {
    return new Promise<ApplyResult>((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
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
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const results = await this.applyEvents(batch.map((waiting) => waiting.event));
      batch.forEach((waiting, i) => waiting.resolve(results[i] ?? "stored"));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // The batch rolled back as a whole: one by one now, so one event's failure fails only its own job.
      for (const waiting of batch) {
        try {
          const [result] = await this.applyEvents([waiting.event]);
          waiting.resolve(result ?? "stored");
        } catch (eventError) {
          waiting.reject(eventError);
        }
      }
    }
  }
}
