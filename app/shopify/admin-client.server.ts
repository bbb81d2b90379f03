// The one way Tenure calls the Admin GraphQL API. Every call waits for the shop's cost bucket
// (cost-limiter.server.ts), reads the `throttleStatus` Shopify returns, and retries what Shopify says
// can be retried: THROTTLED (which the library's client does not retry), 429 and 5xx answers, and
// network failures, with exponential backoff. Anything else is an AdminApiError the caller records.
import { Redis } from "ioredis";
import { env } from "~/env.server";
import { log } from "~/lib/log.server";
import { ADMIN_API_VERSION, type QueryCost, type UserError } from "./admin-operations";
import { type CostLimiter, redisCostLimiter } from "./cost-limiter.server";

type GraphqlError = { message: string; extensions?: { code?: string } };

export type GraphqlBody = {
  data?: unknown;
  errors?: GraphqlError[] | GraphqlError;
  extensions?: { cost?: QueryCost };
};

export type AdminTransport = (request: {
  query: string;
  variables?: Record<string, unknown>;
}) => Promise<{ status: number; body: GraphqlBody | null; retryAfterMs?: number }>;

export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    message: string,
    readonly kind: "graphql" | "user_errors" | "http" | "unauthorized" | "gave_up",
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export type AdminRequestOptions = {
  /**
   * Points reserved before the call. Shopify's requested cost for a mutation is 10; a query costs one
   * point per object it can return. Over-estimates are handed back when the response arrives.
   */
  estimatedCost?: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class AdminClient {
  readonly shop: string;
  private readonly transport: AdminTransport;
  private readonly limiter: CostLimiter;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;

  constructor(options: { shop: string; transport: AdminTransport; limiter: CostLimiter; maxAttempts?: number; backoffMs?: number }) {
    this.shop = options.shop;
    this.transport = options.transport;
    this.limiter = options.limiter;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoffMs = options.backoffMs ?? 500;
  }

  /** Sends one named operation and returns its `data`; top-level GraphQL errors throw. */
  async request<TData>(document: string, variables: Record<string, unknown> = {}, options: AdminRequestOptions = {}): Promise<TData> {
    const operation = /(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? "anonymous";
    let estimatedCost = options.estimatedCost ?? 10;
    let lastProblem = "";
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const reservation = await this.limiter.reserve(this.shop, estimatedCost);
      let response: Awaited<ReturnType<AdminTransport>>;
      try {
        response = await this.transport({ query: document, variables });
      } catch (error) {
        await this.limiter.release(this.shop, reservation);
        lastProblem = `network: ${(error as Error).message}`;
        await this.backoff(attempt, operation, lastProblem);
        continue;
      }
      const cost = response.body?.extensions?.cost;
      if (cost) {
        await this.limiter.observe(this.shop, reservation, cost.throttleStatus);
        // A throttled call tells us what it would cost: reserve that much for the retry.
        estimatedCost = Math.max(1, cost.requestedQueryCost);
      }
      else await this.limiter.release(this.shop, reservation);
      if (response.status === 401 || response.status === 403) {
        throw new AdminApiError(`${operation}: the shop refused the access token (HTTP ${response.status})`, "unauthorized", false);
      }
      if (response.status === 429 || response.status >= 500) {
        lastProblem = `HTTP ${response.status}`;
        await this.backoff(attempt, operation, lastProblem, response.retryAfterMs);
        continue;
      }
      if (response.status !== 200 || !response.body) {
        throw new AdminApiError(`${operation}: unexpected HTTP ${response.status}`, "http", false);
      }
      const errors = Array.isArray(response.body.errors) ? response.body.errors : response.body.errors ? [response.body.errors] : [];
      if (errors.some((error) => error.extensions?.code === "THROTTLED")) {
        lastProblem = "THROTTLED";
        await this.backoff(attempt, operation, lastProblem);
        continue;
      }
      if (errors.length > 0) {
        const internal = errors.some((error) => error.extensions?.code === "INTERNAL_SERVER_ERROR");
        if (internal) {
          lastProblem = errors[0]!.message;
          await this.backoff(attempt, operation, lastProblem);
          continue;
        }
        throw new AdminApiError(`${operation}: ${errors.map((error) => error.message).join("; ")}`, "graphql", false);
      }
      return response.body.data as TData;
    }
    throw new AdminApiError(`${operation}: gave up after ${this.maxAttempts} attempts (${lastProblem})`, "gave_up", true);
  }

  private async backoff(attempt: number, operation: string, problem: string, retryAfterMs?: number): Promise<void> {
    if (attempt >= this.maxAttempts) return;
    const delay = retryAfterMs ?? Math.min(30_000, this.backoffMs * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
    log.warn("admin_api.retry", { shop: this.shop, operation, attempt, problem, delayMs: Math.round(delay) });
    await sleep(delay);
  }
}

/** Throws when a mutation answered with userErrors: Shopify refused the input, retrying will not help. */
export function assertNoUserErrors(operation: string, userErrors: readonly UserError[] | undefined): void {
  if (!userErrors || userErrors.length === 0) return;
  const detail = userErrors.map((error) => `${error.field?.join(".") ?? "(input)"}: ${error.message}`).join("; ");
  throw new AdminApiError(`${operation}: ${detail}`, "user_errors", false);
}

/** https://<shop>/admin/api/<version>/graphql.json, or the same path on a configured fake Admin API. */
export function adminGraphqlUrl(shop: string, origin = env().SHOPIFY_ADMIN_API_ORIGIN): string {
  const base = origin ? origin.replaceAll("{shop}", shop).replace(/\/$/, "") : `https://${shop}`;
  return `${base}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
}

export function fetchTransport(options: { url: string; accessToken: string }): AdminTransport {
  const { url } = options;
  return async ({ query, variables }) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-Shopify-Access-Token": options.accessToken },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let body: GraphqlBody | null = null;
    try {
      body = text ? (JSON.parse(text) as GraphqlBody) : null;
    } catch {
      body = null;
    }
    const retryAfter = Number(response.headers.get("retry-after"));
    return { status: response.status, body, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined };
  };
}

let limiter: CostLimiter | undefined;

/** The process's shared limiter (one Redis connection for every shop). */
export function costLimiter(): CostLimiter {
  if (!limiter) {
    const url = env().REDIS_URL;
    const redis = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
    redis.on("error", () => undefined);
    limiter = redisCostLimiter(redis, { keyPrefix: env().QUEUE_PREFIX });
  }
  return limiter;
}

/**
 * An Admin client for a background job. `unauthenticated.admin` loads the shop's offline session and
 * refreshes an expiring token (throws SessionNotFoundError when the shop has none, e.g. uninstalled).
 */
export async function adminClientFor(shop: string): Promise<AdminClient> {
  const { unauthenticated } = await import("~/shopify.server");
  const { session } = await unauthenticated.admin(shop);
  return adminClientForSession(session);
}

/** An Admin client for a session the caller already holds (the install hook's). */
export function adminClientForSession(session: { shop: string; accessToken?: string }): AdminClient {
  const { shop, accessToken } = session;
  if (!accessToken) throw new AdminApiError(`no access token stored for ${shop}`, "unauthorized", false);
  return new AdminClient({ shop, transport: fetchTransport({ url: adminGraphqlUrl(shop), accessToken }), limiter: costLimiter() });
}
