// The process environment, validated once at start-up by web and worker alike: a missing or
// malformed value stops the process with a message naming it.
import { existsSync } from "node:fs";
import { z } from "zod";

const urlWithProtocol = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((value) => protocols.some((protocol) => value.startsWith(`${protocol}:`)), {
      message: `must start with ${protocols.map((protocol) => `${protocol}://`).join(" or ")}`,
    });

export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: urlWithProtocol(["postgresql", "postgres"]),
  REDIS_URL: urlWithProtocol(["redis", "rediss"]),
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: urlWithProtocol(["https", "http"]),
  SCOPES: z
    .string()
    .min(1)
    .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list of Shopify access scopes"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Prefix for BullMQ keys, so tests and benchmarks never share queues with a running app. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("tenure"),
  /**
   * Jobs one worker process holds at once. Order events of concurrent jobs share transactions
   * (app/jobs/order-event-batcher.server.ts), so this bounds the batch size: 128 lets batches of up
   * to 100 form while the previous ones commit (docs/decisions/0007).
   */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(128),
  /** How long a worker's lock on a job lasts; a crashed worker's jobs are taken over after it. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  /**
   * The shop-tasks worker's lock. Refits block the event loop for seconds at a time, so the lock must
   * outlast them; a crashed worker's refit or import is taken over after it.
   */
  SHOP_TASK_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(120_000),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  /** "1" serves the demo store's pages at /demo without Shopify login (never in production). */
  TENURE_DEMO: z.enum(["0", "1"]).default("0"),
  /**
   * Where Admin API calls go instead of https://<shop>, for tests and local runs against a fake Admin
   * API; `{shop}` is replaced by the shop's domain. Refused in production.
   */
  SHOPIFY_ADMIN_API_ORIGIN: urlWithProtocol(["http", "https"]).optional(),
  /** First wait before polling a bulk operation whose finish webhook has not come (grows to 5 min). */
  BULK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(30_000),
}).refine((value) => !(value.NODE_ENV === "production" && value.SHOPIFY_ADMIN_API_ORIGIN), {
  message: "must not be set in production",
  path: ["SHOPIFY_ADMIN_API_ORIGIN"],
});

export type TEnv = z.infer<typeof ZEnv>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: NodeJS.ProcessEnv): TEnv {
  const result = ZEnv.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const value = source[name];
    return value === undefined || value === ""
      ? `  ${name} is missing`
      : `  ${name} is malformed: ${issue.message}`;
  });
  throw new EnvError(`Invalid environment (see .env.example):\n${problems.join("\n")}`);
}

let cached: TEnv | undefined;

/** The validated environment. The first call validates; a bad environment ends the process. */
export function env(): TEnv {
  if (cached) return cached;
  // A local .env fills in what the real environment leaves unset (never overrides it).
  if (process.env.NODE_ENV !== "test" && existsSync(".env")) process.loadEnvFile(".env");
  try {
    cached = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  return cached;
}
