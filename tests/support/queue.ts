import { Queue } from "bullmq";
import { waitFor } from "./processes";

/** Waits until the app's webhook queue has nothing waiting, active or delayed. */
export async function waitForDrain(queuePrefix: string, timeoutMs = 60_000): Promise<void> {
  const queue = new Queue("webhooks", { connection: { host: "127.0.0.1", port: 6379 }, prefix: queuePrefix });
  try {
    await waitFor(async () => {
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      return Object.values(counts).every((count) => count === 0);
    }, "the queue to drain", timeoutMs);
  } finally {
    await queue.close();
  }
}

export async function jobCounts(queuePrefix: string) {
  const queue = new Queue("webhooks", { connection: { host: "127.0.0.1", port: 6379 }, prefix: queuePrefix });
  try {
    const counts = await queue.getJobCounts("waiting", "active", "delayed", "completed", "failed");
    return {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  } finally {
    await queue.close();
  }
}

/** Removes every key of a test's queue prefix. */
export async function dropQueue(queuePrefix: string): Promise<void> {
  for (const name of ["webhooks", "shop-tasks", "admin-writes"]) {
    const queue = new Queue(name, { connection: { host: "127.0.0.1", port: 6379 }, prefix: queuePrefix });
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  }
}
