// The ingest benchmark (`npm run bench:ingest`): the real web process and the real worker process,
// a dedicated database (tenure_bench) and a dedicated queue prefix. Three figures:
//   1. webhook acknowledgements per second and their latency under load (autocannon, no worker);
//   2. how fast ONE worker process drains a backlog of ≥ 50,000 order events;
//   3. freshness: time from sending an order webhook to the customer's row reflecting it.
// See bench/README.md for what each figure means and the tunables (BENCH_* environment variables).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { Redis } from "ioredis";
import pg from "pg";
import { type TWebhookJob, ZWebhookJob, getWebhookQueue, webhookJobId } from "../app/jobs/queue.server";
import { applyMigrations } from "../prisma/migrate";
import { ADMIN_DATABASE_URL } from "../tests/setup/test-env";
import { orderPayload, refundPayload, toJson } from "../tests/support/orders";
import { type AppUnderTest, type Running, startApp, startWorker } from "../tests/support/processes";
import { dropQueue } from "../tests/support/queue";
import { ROUTE_FOR_TOPIC, sendWebhook, signBody } from "../tests/support/webhooks";

// ---------------------------------------------------------------------------------------------
// Configuration

const numberFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
};

/** Dropped and recreated by every run: two people benching on one server each need their own. */
const BENCH_DATABASE = process.env.BENCH_DATABASE || "tenure_bench";
if (!/^[a-z_][a-z0-9_]*$/.test(BENCH_DATABASE)) throw new Error(`BENCH_DATABASE must be a plain lower-case identifier, got ${BENCH_DATABASE}`);
const BENCH_DATABASE_URL = ADMIN_DATABASE_URL.replace(/\/[^/?]*(\?|$)/, `/${BENCH_DATABASE}$1`);
const API_VERSION = "2026-10";

const PHASES = ["acks", "drain", "fresh"] as const;
/** Which phases run (comma-separated, default all); freshness needs the drain's customers and worker. */
const phases = new Set((process.env.BENCH_PHASES || PHASES.join(",")).split(",").map((phase) => phase.trim()));
for (const phase of phases) if (!(PHASES as readonly string[]).includes(phase)) throw new Error(`BENCH_PHASES: unknown phase ${phase}`);
if (phases.has("fresh") && !phases.has("drain")) throw new Error("BENCH_PHASES: fresh needs drain");

const config = {
  /** Shops the events are spread over; 1 is one merchant's stream (the default and the targets' case). */
  shops: numberFromEnv("BENCH_SHOPS", 1),
  ack: {
    connections: numberFromEnv("BENCH_ACK_CONNECTIONS", 50),
    seconds: numberFromEnv("BENCH_ACK_SECONDS", 10),
    warmupSeconds: 3,
    /** Distinct pre-signed order bodies; every request still gets its own X-Shopify-Webhook-Id. */
    pool: 2000,
  },
  drain: {
    customers: numberFromEnv("BENCH_CUSTOMERS", 20_000),
    workerConcurrency: process.env.BENCH_WORKER_CONCURRENCY ?? null,
    /** The drain is measured for at most this long; what is left is then discarded (keeps the run short). */
    maxSeconds: numberFromEnv("BENCH_DRAIN_MAX_SECONDS", 90),
  },
  fresh: {
    rate: numberFromEnv("BENCH_FRESH_RATE", 200),
    seconds: numberFromEnv("BENCH_FRESH_SECONDS", 15),
    pollMs: 20,
    /** After the last send, how long to wait for the last orders to become visible. */
    maxWaitSeconds: 20,
  },
} as const;

const SHOPS = Array.from({ length: config.shops }, (_, i) => `tenure-bench${i === 0 ? "" : `-${i + 1}`}.myshopify.com`);
const shopAt = (i: number): string => SHOPS[i % SHOPS.length] ?? "tenure-bench.myshopify.com";

const TARGETS = { acksPerSecond: 1000, ackP99Ms: 50, backlog: 50_000, drainPerSecond: 1000, freshP95Ms: 1000 } as const;

// ---------------------------------------------------------------------------------------------
// autocannon ships no type declarations: the slice of its programmatic API used here.

type AcRequest = {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  setupRequest?: (request: AcRequest, context: Record<string, unknown>) => AcRequest;
};
type AcHistogram = { mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p99: number; p99_9: number };
type AcResult = {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  "2xx": number;
  statusCodeStats: Record<string, { count: number }>;
  latency: AcHistogram & { totalCount: number };
  requests: AcHistogram & { total: number; sent: number };
  warmup?: AcResult;
};
type AcOptions = {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  warmup?: { connections: number; duration: number };
  requests: AcRequest[];
};
const autocannon = createRequire(import.meta.url)("autocannon") as (options: AcOptions) => Promise<AcResult>;

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nowMs = () => performance.timeOrigin + performance.now();
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const fmt = (value: number) => Math.round(value).toLocaleString("en-US");

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** A seeded PRNG (mulberry32), so both runs get the same event mix. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cents = (value: bigint) => `${value / 100n}.${String(value % 100n).padStart(2, "0")}`;
/** "123.4500" → 12345n (the store keeps four decimals; every amount here has two). */
function toCents(text: string): bigint {
  const [whole = "0", fraction = ""] = text.split(".");
  return BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2));
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc: CPU seconds per process group over a phase, and machine busy share.

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
  } catch {
    return null;
  }
}

function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

type CpuSnapshot = { at: number; perPid: Map<number, number>; machine: { busy: number; total: number } };
type CpuGroups = Record<string, () => number[]>;

function snapshotCpu(groups: CpuGroups): CpuSnapshot {
  const perPid = new Map<number, number>();
  for (const pids of Object.values(groups)) {
    for (const pid of pids()) {
      const seconds = processCpuSeconds(pid);
      if (seconds !== null) perPid.set(pid, seconds);
    }
  }
  return { at: nowMs(), perPid, machine: machineTicks() };
}

/** Average cores used by each group between two snapshots (1.0 = one core fully busy). */
function cpuBetween(groups: CpuGroups, start: CpuSnapshot, end: CpuSnapshot): Record<string, number> {
  const seconds = (end.at - start.at) / 1000;
  const result: Record<string, number> = {};
  for (const [group, pids] of Object.entries(groups)) {
    let used = 0;
    for (const pid of pids()) {
      const after = end.perPid.get(pid);
      if (after !== undefined) used += after - (start.perPid.get(pid) ?? 0);
    }
    result[group] = round(used / seconds, 2);
  }
  const ticks = end.machine.total - start.machine.total;
  const busyShare = ticks > 0 ? (end.machine.busy - start.machine.busy) / ticks : 0;
  // Whatever else ran on the machine meanwhile (other test runs, the kernel): noise to know about.
  const measured = Object.values(result).reduce((sum, cores) => sum + cores, 0);
  result.other = round(Math.max(0, busyShare * os.cpus().length - measured), 2);
  result.machineBusyShare = round(busyShare, 2);
  return result;
}

/**
 * PostgreSQL processes serving the bench: backends of the bench database and the server's background
 * processes (WAL writer, checkpointer, …). Backends of other databases on the same server (other test
 * runs) are left out, so they show up as "other". Refreshed every second from pg_stat_activity.
 */
const benchPostgresPids: number[] = [];

function trackPostgresPids(db: pg.Pool): () => void {
  const refresh = async () => {
    const { rows } = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 OR datname IS NULL`, [BENCH_DATABASE]);
    benchPostgresPids.splice(0, benchPostgresPids.length, ...rows.map((row) => row.pid));
  };
  void refresh().catch(() => undefined);
  const timer = setInterval(() => void refresh().catch(() => undefined), 1000);
  return () => clearInterval(timer);
}

function cpuGroups(app: AppUnderTest, worker?: () => Running | undefined): CpuGroups {
  const groups: CpuGroups = {};
  if (worker) groups.worker = () => [worker()?.process.pid ?? 0].filter((pid) => pid > 0);
  groups.web = () => [app.web.process.pid ?? 0].filter((pid) => pid > 0);
  groups.postgres = () => [...benchPostgresPids];
  groups.redis = () => pidsNamed("redis-server");
  groups.bench = () => [process.pid];
  return groups;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: where the backends of the bench database spend their time, sampled.

type ActivitySampler = { stop: () => Promise<{ samples: number; averageBackends: Record<string, number> }> };

function sampleActivity(pool: pg.Pool, everyMs = 200): ActivitySampler {
  const totals = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await pool.query<{ key: string; n: number }>(
        `SELECT CASE WHEN state = 'active' AND wait_event IS NOT NULL THEN 'active/' || wait_event_type || ':' || wait_event
                     ELSE coalesce(state, 'unknown') END AS key, count(*)::int AS n
         FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()
         GROUP BY 1`,
        [BENCH_DATABASE],
      );
      samples += 1;
      for (const row of rows) totals.set(row.key, (totals.get(row.key) ?? 0) + row.n);
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const averageBackends: Record<string, number> = {};
      for (const [key, total] of [...totals].sort((a, b) => b[1] - a[1])) averageBackends[key] = round(total / Math.max(samples, 1), 2);
      return { samples, averageBackends };
    },
  };
}

async function databaseCounters(pool: pg.Pool) {
  const { rows } = await pool.query<{ commits: string; rollbacks: string; inserted: string; updated: string; deleted: string }>(
    `SELECT xact_commit::text AS commits, xact_rollback::text AS rollbacks, tup_inserted::text AS inserted,
            tup_updated::text AS updated, tup_deleted::text AS deleted
     FROM pg_stat_database WHERE datname = $1`,
    [BENCH_DATABASE],
  );
  const row = rows[0];
  return {
    commits: Number(row?.commits ?? 0),
    rollbacks: Number(row?.rollbacks ?? 0),
    rowsWritten: Number(row?.inserted ?? 0) + Number(row?.updated ?? 0) + Number(row?.deleted ?? 0),
  };
}

/** Failed attempts the worker logged (and BullMQ retried) in a slice of its output, by reason. */
function failedAttempts(output: string): Record<string, number> {
  const reasons: Record<string, number> = {};
  for (const line of output.split("\n")) {
    if (!line.includes('"webhook.failed"') && !line.includes('"webhook.rejected"')) continue;
    try {
      const entry = JSON.parse(line) as { reason?: string };
      const reason = (entry.reason ?? "unknown").slice(0, 80);
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    } catch {
      reasons["unparsable log line"] = (reasons["unparsable log line"] ?? 0) + 1;
    }
  }
  return reasons;
}

// ---------------------------------------------------------------------------------------------
// Setup and clean-up

/** After dropQueue: anything else the processes left under the bench's own prefix (e.g. other queues). */
async function sweepPrefix(prefix: string): Promise<number> {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return removed;
}

async function recreateDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${BENCH_DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${BENCH_DATABASE}"`);
  } finally {
    await admin.end();
  }
  await applyMigrations(BENCH_DATABASE_URL, () => undefined);
  // Installed shops, as after OAuth: the Shop record and an offline session with a valid expiring token
  // (authenticate.webhook loads that session for every webhook, so its presence matters to phase 1).
  const bench = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await bench.connect();
  try {
    for (const shop of SHOPS) {
      await bench.query(
        `INSERT INTO "Shop" ("domain", "name", "currency", "installedAt", "createdAt", "updatedAt") VALUES ($1, 'Bench', 'EUR', now(), now(), now())`,
        [shop],
      );
      await bench.query(
        `INSERT INTO "Session" ("id", "shop", "state", "isOnline", "scope", "expires", "accessToken", "refreshToken", "refreshTokenExpires")
         VALUES ($1, $2, '', false, $3, (now() AT TIME ZONE 'UTC') + interval '1 hour', 'shpat_bench', 'shprt_bench',
                 (now() AT TIME ZONE 'UTC') + interval '30 days')`,
        [`offline_${shop}`, shop, "read_orders,read_all_orders,read_customers,write_customers,read_products"],
      );
    }
  } finally {
    await bench.end();
  }
}

function ensureBuild(): string {
  if (process.env.BENCH_BUILD === "1" || !existsSync("build/server/index.js")) {
    console.log("building the app (npx remix vite:build)…");
    execFileSync("npx", ["remix", "vite:build"], { stdio: "inherit" });
  }
  return statSync("build/server/index.js").mtime.toISOString();
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    totalMemoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((load) => round(load, 2)),
  };
}

function commandLine(): string {
  const script = process.argv.slice(1).map((arg) => arg.replace(`${process.cwd()}/`, "")).join(" ");
  return process.env.npm_lifecycle_event === "bench:ingest" ? `npm run bench:ingest (tsx ${script})` : `tsx ${script}`;
}

// ---------------------------------------------------------------------------------------------
// Payloads

const ORDER_ID_BASE = { ack: 5_100_000_000_000_000n, drain: 5_900_000_000_000_000n, fresh: 6_700_000_000_000_000n };
const CUSTOMER_ID_BASE = 7_100_000_000_000_000n;
const REFUND_ID_BASE = 8_300_000_000_000_000n;

function orderBody(id: bigint, customerId: bigint, totalCents: bigint, createdAt: Date, updatedAt: Date = createdAt): string {
  return toJson(
    orderPayload({
      id,
      customerId,
      total: cents(totalCents),
      createdAt: createdAt.toISOString(),
      processedAt: createdAt.toISOString(),
      updatedAt: updatedAt.toISOString(),
    }),
  );
}

type BacklogEvent = { at: number; shop: string; topic: "ORDERS_CREATE" | "ORDERS_UPDATED" | "REFUNDS_CREATE"; body: string };
type BenchCustomer = { shop: string; id: bigint };
type Backlog = {
  events: BacklogEvent[];
  customers: BenchCustomer[];
  orders: number;
  refunds: number;
  expectedNetCents: bigint;
};

/**
 * The realistic mix: each customer places 1–5 orders (half of them one) over 180 days; ~30% of the
 * orders get a later orders/updated version and ~13% a partial or full refund. Events are queued in
 * the order they happened, so an order's versions and refunds follow it, interleaved with others.
 */
function buildBacklog(customerCount: number): Backlog {
  const random = prng(20_260_101);
  const start = Date.UTC(2026, 0, 1);
  const DAY = 86_400_000;
  const ordersPerCustomer = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 5];
  const events: BacklogEvent[] = [];
  const customers: BenchCustomer[] = [];
  let orderSeq = 0n;
  let refundSeq = 0n;
  let expectedNetCents = 0n;
  for (let c = 0; c < customerCount; c++) {
    const customerId = CUSTOMER_ID_BASE + BigInt(c) * 7n;
    const shop = shopAt(c);
    customers.push({ shop, id: customerId });
    const count = ordersPerCustomer[Math.floor(random() * ordersPerCustomer.length)] ?? 1;
    for (let k = 0; k < count; k++) {
      const orderId = ORDER_ID_BASE.drain + orderSeq++ * 3n;
      const totalCents = BigInt(500 + Math.floor(random() * 30_000));
      const createdAt = start + Math.floor(random() * 180 * DAY);
      events.push({ at: createdAt, shop, topic: "ORDERS_CREATE", body: orderBody(orderId, customerId, totalCents, new Date(createdAt)) });
      expectedNetCents += totalCents;
      if (random() < 0.3) {
        const updatedAt = createdAt + Math.floor((0.05 + random() * 3) * DAY);
        events.push({
          at: updatedAt,
          shop,
          topic: "ORDERS_UPDATED",
          body: orderBody(orderId, customerId, totalCents, new Date(createdAt), new Date(updatedAt)),
        });
      }
      if (random() < 0.13) {
        const refundedAt = createdAt + Math.floor((1 + random() * 20) * DAY);
        const amountCents = random() < 0.5 ? totalCents : BigInt(1 + Math.floor(random() * Number(totalCents - 1n)));
        const refundId = REFUND_ID_BASE + refundSeq++ * 5n;
        events.push({
          at: refundedAt,
          shop,
          topic: "REFUNDS_CREATE",
          body: toJson(refundPayload({ id: refundId, orderId, amount: cents(amountCents), createdAt: new Date(refundedAt).toISOString() })),
        });
        expectedNetCents -= amountCents;
      }
    }
  }
  events.sort((a, b) => a.at - b.at);
  return { events, customers, orders: Number(orderSeq), refunds: Number(refundSeq), expectedNetCents };
}

// ---------------------------------------------------------------------------------------------
// Phase 1: webhook acknowledgements under load (no worker)

async function benchAcks(app: AppUnderTest, runId: string) {
  const pool = Array.from({ length: config.ack.pool }, (_, i) => {
    const at = new Date(Date.UTC(2026, 3, 1) + i * 1000);
    const body = orderBody(ORDER_ID_BASE.ack + BigInt(i), CUSTOMER_ID_BASE + BigInt(i % 500), BigInt(1000 + i), at);
    return { body: Buffer.from(body), hmac: signBody(body) };
  });
  let sequence = 0;
  const request: AcRequest = {
    method: "POST",
    path: ROUTE_FOR_TOPIC["orders/create"],
    // Called for every request: a body from the pool with its signature, and a webhook id never used before.
    setupRequest: (req) => {
      const n = sequence++;
      const item = pool[n % pool.length];
      if (!item) throw new Error("empty request pool");
      return {
        ...req,
        body: item.body,
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Hmac-Sha256": item.hmac,
          "X-Shopify-Topic": "orders/create",
          "X-Shopify-Shop-Domain": shopAt(n),
          "X-Shopify-API-Version": API_VERSION,
          "X-Shopify-Webhook-Id": `${runId}-ack-${n}`,
          "X-Shopify-Triggered-At": new Date().toISOString(),
          "X-Shopify-Event-Id": `${runId}-ack-event-${n}`,
        },
      };
    },
  };
  const queue = getWebhookQueue();
  const groups = cpuGroups(app);
  // The CPU window covers the measured run only, not the warm-up.
  let cpuStart: CpuSnapshot | undefined;
  const warmupTimer = setTimeout(() => (cpuStart = snapshotCpu(groups)), config.ack.warmupSeconds * 1000 + 250);
  const result = await autocannon({
    url: app.url,
    connections: config.ack.connections,
    duration: config.ack.seconds,
    timeout: 10,
    warmup: { connections: config.ack.connections, duration: config.ack.warmupSeconds },
    requests: [request],
  });
  clearTimeout(warmupTimer);
  const cpu = cpuStart ? cpuBetween(groups, cpuStart, snapshotCpu(groups)) : {};
  // Requests still in flight when autocannon stopped are queued too: wait until the count settles.
  let counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "completed", "failed");
  for (let settled = 0; settled < 3; ) {
    await sleep(300);
    const next = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "completed", "failed");
    settled = next.waiting === counts.waiting ? settled + 1 : 0;
    counts = next;
  }
  const acked2xx = result["2xx"] + (result.warmup?.["2xx"] ?? 0);
  const queued = Object.values(counts).reduce((sum, n) => sum + n, 0);
  // The backlog of phase 2 is built deliberately; these jobs (a few distinct bodies, many times) are dropped.
  await queue.drain(true);
  const acksPerSecond = result["2xx"] / result.duration;
  return {
    connections: config.ack.connections,
    seconds: result.duration,
    warmupSeconds: config.ack.warmupSeconds,
    distinctBodies: config.ack.pool,
    requests: result.requests.total,
    acked2xx: result["2xx"],
    acksPerSecond: round(acksPerSecond),
    latencyMs: { mean: result.latency.mean, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count])),
    jobsQueuedIncludingWarmup: queued,
    acksIncludingWarmup: acked2xx,
    cpuCores: cpu,
    met: acksPerSecond >= TARGETS.acksPerSecond && result.latency.p99 <= TARGETS.ackP99Ms,
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 2: one worker drains a backlog

type Counts = { done: number; failed: number; pending: number; delayed: number };

async function queueCounts(): Promise<Counts> {
  const counts = await getWebhookQueue().getJobCounts("waiting", "active", "delayed", "prioritized", "completed", "failed");
  const n = (key: string) => counts[key] ?? 0;
  return {
    done: n("completed") + n("failed"),
    failed: n("failed"),
    pending: n("waiting") + n("active") + n("delayed") + n("prioritized"),
    delayed: n("delayed"),
  };
}

async function checkStore(db: pg.Pool, backlog: Backlog) {
  const { rows } = await db.query<Record<"orders" | "refunds" | "customers" | "counted" | "net" | "failed_rows", string>>(
    `SELECT (SELECT count(*) FROM "Order")::text AS orders, (SELECT count(*) FROM "Refund")::text AS refunds,
            (SELECT count(*) FROM "Customer")::text AS customers,
            (SELECT coalesce(sum("ordersCount"), 0) FROM "Customer")::text AS counted,
            (SELECT coalesce(sum("netRevenue"), 0) FROM "Customer")::text AS net,
            (SELECT count(*) FROM "FailedJob")::text AS failed_rows`,
  );
  const row = rows[0];
  return {
    failedJobRows: Number(row?.failed_rows ?? -1),
    orders: { stored: Number(row?.orders ?? 0), expected: backlog.orders },
    refunds: { stored: Number(row?.refunds ?? 0), expected: backlog.refunds },
    customers: { stored: Number(row?.customers ?? 0), expected: backlog.customers.length },
    ordersCounted: { stored: Number(row?.counted ?? 0), expected: backlog.orders },
    netRevenue: { stored: cents(toCents(row?.net ?? "0")), expected: cents(backlog.expectedNetCents) },
  };
}

async function benchDrain(app: AppUnderTest, db: pg.Pool, runId: string, backlog: Backlog, hold: { worker?: Running }) {
  const queue = getWebhookQueue();
  const receivedAt = new Date().toISOString();
  const jobs: TWebhookJob[] = backlog.events.map((event, i) => ({
    shop: event.shop,
    topic: event.topic,
    webhookId: `${runId}-${i}-${randomUUID()}`,
    apiVersion: API_VERSION,
    triggeredAt: new Date(event.at).toISOString(),
    eventId: randomUUID(),
    receivedAt,
    rawBody: event.body,
  }));
  ZWebhookJob.parse(jobs[0]);

  const enqueueGroups = cpuGroups(app);
  const enqueueCpuStart = snapshotCpu(enqueueGroups);
  const enqueueStart = nowMs();
  const chunks: TWebhookJob[][] = [];
  for (let i = 0; i < jobs.length; i += 500) chunks.push(jobs.slice(i, i + 500));
  // Four batches in flight; within a batch, jobs keep their order (what enqueueWebhook does, in bulk:
  // job name = topic, job id from the webhook id, the queue's default options).
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
        await queue.addBulk(chunk.map((job) => ({ name: job.topic, data: job, opts: { jobId: webhookJobId(job.webhookId) } })));
      }
    }),
  );
  const enqueueSeconds = (nowMs() - enqueueStart) / 1000;
  const enqueueCpu = cpuBetween(enqueueGroups, enqueueCpuStart, snapshotCpu(enqueueGroups));
  const queued = await queueCounts();
  if (queued.pending !== jobs.length) throw new Error(`expected ${jobs.length} waiting jobs, found ${JSON.stringify(queued)}`);

  const overrides: Record<string, string> = { DATABASE_URL: BENCH_DATABASE_URL };
  if (config.drain.workerConcurrency) overrides.WORKER_CONCURRENCY = config.drain.workerConcurrency;

  const samples: Array<{ at: number } & Counts> = [];
  const groups = cpuGroups(app, () => hold.worker);
  const activity = sampleActivity(db);
  const spawnedAt = nowMs();
  const worker = await startWorker(app, overrides);
  hold.worker = worker;
  const startedAt = nowMs();
  // The steady window opens at the first poll after the worker reported ready (start-up is reported apart).
  const first = { at: nowMs(), ...(await queueCounts()) };
  samples.push(first);
  const cpuStart = snapshotCpu(groups);
  const dbStart = await databaseCounters(db);
  const deadline = first.at + config.drain.maxSeconds * 1000;
  let last = first;
  while (last.pending > 0 && last.at < deadline) {
    await sleep(250);
    last = { at: nowMs(), ...(await queueCounts()) };
    samples.push(last);
  }
  const cpuEnd = snapshotCpu(groups);
  const dbEnd = await databaseCounters(db);
  const pgActivity = await activity.stop();
  const workerFailures = failedAttempts(worker.output());
  const drained = last.pending === 0;

  const processedInWindow = last.done - first.done;
  const steadySeconds = (last.at - first.at) / 1000;
  const eventsPerSecond = processedInWindow / steadySeconds;
  // Throughput per 10-second window, to show whether it holds up as the tables grow.
  const windows: number[] = [];
  let windowStart = first;
  for (const sample of samples) {
    if (sample.at - windowStart.at >= 10_000) {
      windows.push(Math.round(((sample.done - windowStart.done) * 1000) / (sample.at - windowStart.at)));
      windowStart = sample;
    }
  }
  const commits = dbEnd.commits - dbStart.commits;
  const openTransactions = Object.entries(pgActivity.averageBackends)
    .filter(([key]) => key !== "idle")
    .reduce((sum, [, n]) => sum + n, 0);

  let discarded = 0;
  if (!drained) {
    // Not drained in time: the rest is discarded so that phase 3 starts from an empty queue.
    discarded = last.pending;
    await queue.drain(true);
    for (let settle = 0; settle < 100 && (await queueCounts()).pending > 0; settle++) await sleep(100);
  }
  const after = await queueCounts();
  const store = await checkStore(db, backlog);
  const correctness = { failedJobs: after.failed, retriesPending: after.delayed, failedAttemptsRetried: workerFailures, ...store };
  const exact =
    store.orders.stored === store.orders.expected &&
    store.refunds.stored === store.refunds.expected &&
    store.customers.stored === store.customers.expected &&
    store.ordersCounted.stored === store.ordersCounted.expected &&
    store.netRevenue.stored === store.netRevenue.expected;
  // Totals can only be compared once everything was applied; failures are checked either way.
  const correct = correctness.failedJobs === 0 && store.failedJobRows === 0 && (!drained || exact);

  const mix = { ORDERS_CREATE: 0, ORDERS_UPDATED: 0, REFUNDS_CREATE: 0 };
  for (const event of backlog.events) mix[event.topic] += 1;
  return {
    backlog: jobs.length,
    mix,
    shops: SHOPS.length,
    distinctCustomers: backlog.customers.length,
    distinctOrders: backlog.orders,
    enqueueSeconds: round(enqueueSeconds, 2),
    enqueuePerSecond: Math.round(jobs.length / enqueueSeconds),
    enqueueCpuCores: { bench: enqueueCpu.bench ?? 0, redis: enqueueCpu.redis ?? 0, other: enqueueCpu.other ?? 0 },
    workerConcurrency: Number(config.drain.workerConcurrency ?? 128),
    workerStartSeconds: round((startedAt - spawnedAt) / 1000, 2),
    drained,
    maxSeconds: config.drain.maxSeconds,
    processed: last.done,
    discarded,
    steadySeconds: round(steadySeconds, 1),
    eventsPerSecond: round(eventsPerSecond),
    eventsPerSecondFromSpawn: round(last.done / ((last.at - spawnedAt) / 1000)),
    per10sWindow: windows,
    cpuCores: cpuBetween(groups, cpuStart, cpuEnd),
    postgres: {
      commitsPerSecond: round(commits / steadySeconds),
      commitsPerEvent: round(commits / Math.max(processedInWindow, 1), 2),
      rowsWrittenPerEvent: round((dbEnd.rowsWritten - dbStart.rowsWritten) / Math.max(processedInWindow, 1), 1),
      /** Little's law: backends inside a transaction on average ÷ commits per second. */
      meanTransactionMs: commits > 0 ? round((openTransactions / (commits / steadySeconds)) * 1000, 1) : null,
      averageBackendsByState: pgActivity.averageBackends,
    },
    correctness,
    correct,
    met: jobs.length >= TARGETS.backlog && drained && eventsPerSecond >= TARGETS.drainPerSecond && correct,
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 3: freshness at a steady rate, worker running, queue empty

async function benchFreshness(app: AppUnderTest, db: pg.Pool, runId: string, customers: readonly BenchCustomer[], worker: Running) {
  const total = Math.round(config.fresh.rate * config.fresh.seconds);
  const random = prng(4242);
  const orders = Array.from({ length: total }, (_, i) => {
    const id = ORDER_ID_BASE.fresh + BigInt(i) * 3n;
    const customer = customers[Math.floor(random() * customers.length)] ?? { shop: shopAt(0), id: CUSTOMER_ID_BASE };
    const placedAt = new Date(Date.UTC(2026, 6, 1) + i * 60_000);
    const body = orderBody(id, customer.id, BigInt(500 + Math.floor(random() * 30_000)), placedAt);
    return { id: id.toString(), shop: customer.shop, body, sentAt: 0, ackMs: Infinity, status: 0, failed: false, seenAt: 0 };
  });
  const byId = new Map(orders.map((order) => [order.id, order]));
  const pending = new Set<string>();
  const groups = cpuGroups(app, () => worker);
  const cpuStart = snapshotCpu(groups);
  const outputBefore = worker.output().length;

  // Visibility poller. The Order row and the customer's recomputed figures are written in one
  // transaction, so the moment the row is visible is the moment the customer's figures reflect the order.
  let sending = true;
  let giveUpAt = Infinity;
  const poller = (async () => {
    while ((sending || pending.size > 0) && nowMs() < giveUpAt) {
      if (pending.size > 0) {
        const keys = [...pending].map((id) => byId.get(id)).filter((order) => order !== undefined);
        const { rows } = await db.query<{ id: string }>(
          `SELECT o.id::text AS id FROM "Order" o
           JOIN unnest($1::text[], $2::bigint[]) AS k(shop, id) ON o."shopDomain" = k.shop AND o.id = k.id`,
          [keys.map((order) => order.shop), keys.map((order) => order.id)],
        );
        const at = nowMs();
        for (const row of rows) {
          const order = byId.get(row.id);
          if (order && pending.delete(row.id)) order.seenAt = at;
        }
      }
      await sleep(config.fresh.pollMs);
    }
  })();

  const start = nowMs();
  const sendErrors = new Map<string, number>();
  const inflight: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((nowMs() - start) / 1000) * config.fresh.rate) + 1);
    while (sent < due) {
      const order = orders[sent++];
      if (!order) break;
      inflight.push(
        (async () => {
          order.sentAt = nowMs();
          pending.add(order.id);
          try {
            const response = await sendWebhook(app.url, { topic: "orders/create", shop: order.shop, body: order.body, webhookId: `${runId}-fresh-${order.id}` });
            await response.arrayBuffer();
            order.status = response.status;
          } catch (error) {
            // A delivery that failed is one Shopify would retry later: it counts as not visible.
            const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
            const reason = `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ""}`;
            sendErrors.set(reason, (sendErrors.get(reason) ?? 0) + 1);
            order.failed = true;
            pending.delete(order.id);
          }
          if (!order.failed) order.ackMs = nowMs() - order.sentAt;
        })(),
      );
    }
    await sleep(2);
  }
  const sendSeconds = (nowMs() - start) / 1000;
  // One deadline for the rest: acks still outstanding and orders not yet visible after it count as ∞.
  giveUpAt = nowMs() + config.fresh.maxWaitSeconds * 1000;
  await Promise.race([Promise.all(inflight), sleep(config.fresh.maxWaitSeconds * 1000)]);
  sending = false;
  await poller;
  const cpu = cpuBetween(groups, cpuStart, snapshotCpu(groups));
  const workerFailures = failedAttempts(worker.output().slice(outputBefore));

  const { rows } = await db.query<{ id: string; stored_ms: string }>(
    `SELECT o.id::text AS id, (extract(epoch FROM o."storedAt" AT TIME ZONE current_setting('TimeZone')) * 1000)::text AS stored_ms
     FROM "Order" o JOIN unnest($1::text[], $2::bigint[]) AS k(shop, id) ON o."shopDomain" = k.shop AND o.id = k.id`,
    [orders.map((order) => order.shop), orders.map((order) => order.id)],
  );
  const storedAt = new Map(rows.map((row) => [row.id, Number(row.stored_ms)]));
  // An order never seen counts as infinitely late, so percentiles are not flattered by leaving it out.
  const visible = orders.map((o) => (o.seenAt > 0 ? o.seenAt - o.sentAt : Infinity)).sort((a, b) => a - b);
  const stored = orders.map((o) => (storedAt.get(o.id) ?? Infinity) - o.sentAt).sort((a, b) => a - b);
  const acks = orders.map((o) => o.ackMs).sort((a, b) => a - b);
  const summary = (values: number[]) => ({
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    max: round(values[values.length - 1] ?? Number.NaN),
  });
  const visibleMs = summary(visible);
  return {
    orders: total,
    targetRate: config.fresh.rate,
    achievedRate: round(total / sendSeconds),
    non200: orders.filter((o) => o.status !== 200 && o.status !== 0).length,
    unanswered: orders.filter((o) => o.status === 0 && !o.failed).length,
    failedAttemptsRetried: workerFailures,
    sendErrors: Object.fromEntries(sendErrors),
    notVisible: orders.filter((o) => o.seenAt === 0).length,
    maxWaitSeconds: config.fresh.maxWaitSeconds,
    ackMs: summary(acks),
    /** Sent → the row is visible to another connection (polled every 20 ms: an upper bound). */
    visibleMs,
    /** Sent → the worker's transaction start (Order.storedAt = now()): a lower bound. */
    storedAtMs: summary(stored),
    cpuCores: cpu,
    met: visibleMs.p95 <= TARGETS.freshP95Ms,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

type Results = {
  startedAt: string;
  machine: ReturnType<typeof machine>;
  command: string;
  build: string;
  database: string;
  queuePrefix: string;
  acks?: Awaited<ReturnType<typeof benchAcks>>;
  drain?: Awaited<ReturnType<typeof benchDrain>>;
  freshness?: Awaited<ReturnType<typeof benchFreshness>>;
  missedTargets: string[];
  error?: string;
  totalSeconds?: number;
};

/** Latencies: ∞ (null in the JSON) for orders that never became visible. */
const ms = (value: number) => (Number.isFinite(value) ? `${value} ms` : "∞");

const cpuText = (cpu: Record<string, number>) =>
  Object.entries(cpu)
    .map(([group, cores]) => (group === "machineBusyShare" ? `machine busy ${Math.round(cores * 100)}%` : `${group} ${cores}`))
    .join(", ");

function report(results: Results): string {
  const { acks, drain, freshness } = results;
  const lines = [
    `Tenure ingest bench — ${results.startedAt}`,
    `machine: ${results.machine.cpuModel}, ${results.machine.cores} cores, ${results.machine.totalMemoryGiB} GiB, node ${results.machine.node}, ${results.machine.os}, load average at start ${results.machine.loadAverageAtStart.join(" ")}`,
    `command: ${results.command}   (build ${results.build}, db ${results.database}, queue prefix ${results.queuePrefix})`,
    "",
  ];
  if (acks) {
    lines.push(
      `1. webhook acks, loopback, autocannon ${acks.connections} connections × ${acks.seconds} s after ${acks.warmupSeconds} s warm-up, no worker:`,
      `   ${fmt(acks.acksPerSecond)} acks/s   latency p50 ${acks.latencyMs.p50} ms, p99 ${acks.latencyMs.p99} ms (max ${acks.latencyMs.max})   non-2xx ${acks.non2xx}, errors ${acks.errors}, timeouts ${acks.timeouts}`,
      `   jobs queued ${fmt(acks.jobsQueuedIncludingWarmup)} ≥ 2xx ${fmt(acks.acksIncludingWarmup)} (incl. warm-up and requests in flight at the stop; unique webhook ids, nothing deduplicated)`,
      `   CPU cores: ${cpuText(acks.cpuCores)}`,
      `   target ≥ ${TARGETS.acksPerSecond}/s and p99 ≤ ${TARGETS.ackP99Ms} ms: ${acks.met ? "MET" : "MISSED"}`,
      "",
    );
  }
  if (drain) {
    const c = drain.correctness;
    lines.push(
      `2. worker drain, one worker process (WORKER_CONCURRENCY ${drain.workerConcurrency}), backlog ${fmt(drain.backlog)} events:`,
      `   mix: ${fmt(drain.mix.ORDERS_CREATE)} orders/create, ${fmt(drain.mix.ORDERS_UPDATED)} orders/updated, ${fmt(drain.mix.REFUNDS_CREATE)} refunds/create; ${fmt(drain.distinctOrders)} orders of ${fmt(drain.distinctCustomers)} customers, ${drain.shops} shop(s)`,
      `   enqueued (addBulk) in ${drain.enqueueSeconds} s = ${fmt(drain.enqueuePerSecond)}/s (CPU cores: bench ${drain.enqueueCpuCores.bench}, redis ${drain.enqueueCpuCores.redis}, other ${drain.enqueueCpuCores.other}); worker ready after ${drain.workerStartSeconds} s`,
      `   ${fmt(drain.eventsPerSecond)} events/s (${fmt(drain.processed)} processed, ${drain.steadySeconds} s after ready; ${fmt(drain.eventsPerSecondFromSpawn)}/s counting start-up); per 10 s: ${drain.per10sWindow.join(" ")}`,
      drain.drained
        ? `   queue drained`
        : `   NOT DRAINED within ${drain.maxSeconds} s (BENCH_DRAIN_MAX_SECONDS): ${fmt(drain.discarded)} events left and discarded; at this rate the backlog needs ${fmt(drain.backlog / Math.max(drain.eventsPerSecond, 1))} s`,
      `   CPU cores: ${cpuText(drain.cpuCores)}`,
      `   postgres: ${fmt(drain.postgres.commitsPerSecond)} commits/s (${drain.postgres.commitsPerEvent}/event), ${drain.postgres.rowsWrittenPerEvent} rows written/event, mean transaction ≈ ${drain.postgres.meanTransactionMs} ms`,
      `   backends (avg): ${Object.entries(drain.postgres.averageBackendsByState).map(([k, v]) => `${k} ${v}`).join(", ")}`,
      `   failed attempts (retried by BullMQ): ${Object.values(c.failedAttemptsRetried).reduce((sum, n) => sum + n, 0)}${Object.keys(c.failedAttemptsRetried).length > 0 ? ` ${JSON.stringify(c.failedAttemptsRetried)}` : ""}`,
      `   correctness: failed jobs ${c.failedJobs}, FailedJob rows ${c.failedJobRows}, retries pending ${c.retriesPending}; stored/expected: orders ${fmt(c.orders.stored)}/${fmt(c.orders.expected)}, refunds ${fmt(c.refunds.stored)}/${fmt(c.refunds.expected)}, customers ${fmt(c.customers.stored)}/${fmt(c.customers.expected)}, Σ ordersCount ${fmt(c.ordersCounted.stored)}/${fmt(c.ordersCounted.expected)}, Σ netRevenue ${c.netRevenue.stored}/${c.netRevenue.expected} → ${drain.correct ? (drain.drained ? "OK (exact)" : "no failures (totals not comparable: not drained)") : "WRONG"}`,
      `   target backlog ≥ ${fmt(TARGETS.backlog)} drained at ≥ ${TARGETS.drainPerSecond} events/s, zero failures: ${drain.met ? "MET" : "MISSED"}`,
      "",
    );
  }
  if (freshness) {
    lines.push(
      `3. freshness, ${fmt(freshness.orders)} new orders at ${freshness.targetRate}/s (achieved ${freshness.achievedRate}/s), worker running, queue empty:`,
      `   sent → customer row visible (polled every ${config.fresh.pollMs} ms): p50 ${ms(freshness.visibleMs.p50)}, p95 ${ms(freshness.visibleMs.p95)}, p99 ${ms(freshness.visibleMs.p99)} (max ${ms(freshness.visibleMs.max)})`,
      `   sent → worker transaction start (Order.storedAt): p50 ${ms(freshness.storedAtMs.p50)}, p95 ${ms(freshness.storedAtMs.p95)}, p99 ${ms(freshness.storedAtMs.p99)}`,
      `   ack latency p50 ${ms(freshness.ackMs.p50)}, p99 ${ms(freshness.ackMs.p99)}; non-2xx ${freshness.non200}, send errors ${JSON.stringify(freshness.sendErrors)}, unanswered ${freshness.maxWaitSeconds} s after the last send ${freshness.unanswered}; not visible by then: ${freshness.notVisible} (counted as ∞)`,
      `   worker: failed attempts (retried) ${Object.values(freshness.failedAttemptsRetried).reduce((sum, n) => sum + n, 0)}${Object.keys(freshness.failedAttemptsRetried).length > 0 ? ` ${JSON.stringify(freshness.failedAttemptsRetried)}` : ""}`,
      `   CPU cores: ${cpuText(freshness.cpuCores)}`,
      `   target p95 ≤ ${TARGETS.freshP95Ms} ms: ${freshness.met ? "MET" : "MISSED"}`,
      "",
    );
  }
  if (results.error) lines.push(`ERROR: ${results.error}`);
  lines.push(results.missedTargets.length === 0 ? "all targets met" : `MISSED TARGETS: ${results.missedTargets.join("; ")}`);
  lines.push(`total ${results.totalSeconds ?? "?"} s`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const began = nowMs();
  const runId = `bench-${randomUUID().slice(0, 8)}`;
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    command: commandLine(),
    build: ensureBuild(),
    database: BENCH_DATABASE,
    queuePrefix: `tenure-bench-${randomUUID().slice(0, 8)}`,
    missedTargets: [],
  };
  console.log(`${results.command}: machine ${JSON.stringify(results.machine)}`);
  let app: AppUnderTest | undefined;
  const hold: { worker?: Running } = {};
  const db = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 3 });
  let failed = false;
  let stopTracking: () => void = () => undefined;
  try {
    await recreateDatabase();
    stopTracking = trackPostgresPids(db);
    app = await startApp({ DATABASE_URL: BENCH_DATABASE_URL, QUEUE_PREFIX: results.queuePrefix });
    // The bench enqueues through the app's own queue definition (same options as the web process).
    Object.assign(process.env, app.env);

    if (phases.has("acks")) {
      console.log("phase 1: webhook acknowledgements…");
      results.acks = await benchAcks(app, runId);
    }
    if (results.acks && !results.acks.met)
      results.missedTargets.push(`acks ${results.acks.acksPerSecond}/s p99 ${results.acks.latencyMs.p99} ms (target ≥ ${TARGETS.acksPerSecond}/s, p99 ≤ ${TARGETS.ackP99Ms} ms)`);

    if (phases.has("drain")) {
      console.log("phase 2: building the backlog…");
      const backlog = buildBacklog(config.drain.customers);
      console.log(`phase 2: ${backlog.events.length} events; enqueueing and draining with one worker…`);
      results.drain = await benchDrain(app, db, runId, backlog, hold);
      if (!results.drain.met)
        results.missedTargets.push(
          `drain ${results.drain.eventsPerSecond} events/s from ${results.drain.backlog}${results.drain.drained ? "" : ` (not drained in ${results.drain.maxSeconds} s)`} (target ≥ ${TARGETS.drainPerSecond}/s from ≥ ${TARGETS.backlog}${results.drain.correct ? "" : ", and results were WRONG"})`,
        );

      if (phases.has("fresh")) {
        console.log("phase 3: freshness…");
        if (!hold.worker) throw new Error("no worker");
        results.freshness = await benchFreshness(app, db, runId, backlog.customers, hold.worker);
        if (!results.freshness.met) results.missedTargets.push(`freshness p95 ${ms(results.freshness.visibleMs.p95)} (target ≤ ${TARGETS.freshP95Ms} ms)`);
      }
    }
  } catch (error) {
    failed = true;
    results.error = (error as Error).stack ?? String(error);
    if (hold.worker) console.error(`worker output (tail):\n${hold.worker.output().slice(-2000)}`);
  } finally {
    stopTracking();
    await hold.worker?.stop().catch(() => undefined);
    await app?.stop().catch(() => undefined);
    if (app) {
      await getWebhookQueue().close().catch(() => undefined);
      await dropQueue(app.queuePrefix).catch((error: unknown) => console.error(`dropQueue: ${(error as Error).message}`));
      await sweepPrefix(app.queuePrefix).catch((error: unknown) => console.error(`sweeping ${app?.queuePrefix}: ${(error as Error).message}`));
    }
    await db.end().catch(() => undefined);
  }
  results.totalSeconds = round((nowMs() - began) / 1000);
  console.log(`\n${report(results)}`);
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/ingest-${results.startedAt.slice(0, 19).replace(/:/g, "-")}.json`;
  writeFileSync(file, `${JSON.stringify({ ...results, targets: TARGETS, config, phases: [...phases] }, null, 2)}\n`);
  console.log(`results written to ${file}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
