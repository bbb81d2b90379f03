// One suite's running Tenure: the built web process and a worker, started before the suite's tests
// and stopped (with its queues dropped) after them.
import { afterAll, beforeAll } from "vitest";
import { prisma } from "~/db.server";
import { type AppUnderTest, type Running, startApp, startWorker } from "./processes";
import { dropQueue } from "./queue";

export function runningAppForSuite(workerEnv: Record<string, string> = {}): { app: () => AppUnderTest; worker: () => Running } {
  let app: AppUnderTest | undefined;
  let worker: Running | undefined;
  beforeAll(async () => {
    app = await startApp();
    worker = await startWorker(app, workerEnv);
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.stop();
    if (app) await dropQueue(app.queuePrefix);
    await prisma.$disconnect();
  });
  return {
    app: () => app ?? raise("the app is not running yet"),
    worker: () => worker ?? raise("the worker is not running yet"),
  };
}

function raise(message: string): never {
  throw new Error(message);
}
