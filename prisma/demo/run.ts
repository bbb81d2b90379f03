// `npm run demo`: the demo store on a fresh machine (PostgreSQL and Redis running, nothing else).
// Builds the app when needed, creates and migrates the database, recreates the demo shop, starts the
// real web and worker processes, replays the UCI Online Retail data through them as signed Shopify
// webhooks, refits the models through the real queue and keeps serving http://localhost:<PORT>/demo
// until Ctrl-C. Progress is recorded in "ImportRun", which the /demo pages show.
//
//   npm run demo [-- --max-orders N]     env: PORT (3000), DATABASE_URL (…/tenure_demo), REDIS_URL,
//                                         DEMO_MAX_ORDERS (as --max-orders)
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { WEBHOOK_QUEUE, workerConnection } from "~/jobs/queue.server";
import { SHOP_TASKS_QUEUE } from "~/jobs/schedules.server";
import { getShopTasksQueue, requestRefit } from "~/jobs/shop-tasks.server";
import { applyMigrations } from "../migrate";
import {
  type StoredCounts,
  ensureDatabase,
  failedJobReasons,
  latestModelFit,
  redactUrl,
  resetDemoShop,
  startImportRun,
  storedCounts,
  storedTotals,
  updateImportRun,
} from "./database";
import { DEMO_SHOP, DEMO_SHOP_NAME, type ImportProgress, type ImportResult, importOnlineRetail, sleep } from "./import";
import { SHOP_CURRENCY, SKIP_REASONS, type SkipReason, formatAmount, parseAmount } from "./online-retail";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const QUEUE_PREFIX = "tenure-demo";
const SCOPES = "read_orders,read_all_orders,read_customers,write_customers,read_products";
const REFIT_TRIGGER = "backfill";

const number = (value: number) => value.toLocaleString("en-GB");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** "10641861.3940" → "£10,641,861.394": exact, grouped, at least two decimals. */
const pounds = (amount: string) => {
  const [whole, fraction] = formatAmount(parseAmount(amount)).split(".");
  return `£${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
};
const say = (line: string) => console.log(`[demo] ${line}`);

class Interrupted extends Error {
  override name = "Interrupted";
}

// --- arguments -----------------------------------------------------------------------------------
type Args = { maxOrders?: number };

function parseArgs(argv: string[]): Args {
  const args: Args = {};
  const positive = (raw: string | undefined, what: string): number => {
    if (!raw || !/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${what} must be a whole number ≥ 1, got ${JSON.stringify(raw ?? "")}`);
    return Number(raw);
  };
  if (process.env.DEMO_MAX_ORDERS) args.maxOrders = positive(process.env.DEMO_MAX_ORDERS, "DEMO_MAX_ORDERS");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--max-orders") args.maxOrders = positive(argv[++i], "--max-orders");
    else if (arg.startsWith("--max-orders=")) args.maxOrders = positive(arg.slice("--max-orders=".length), "--max-orders");
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run demo [-- --max-orders N]\n\nenv: PORT (3000), DATABASE_URL (postgresql://postgres@127.0.0.1:5432/tenure_demo), REDIS_URL (redis://127.0.0.1:6379), DEMO_MAX_ORDERS");
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (usage: npm run demo [-- --max-orders N])`);
  }
  return args;
}

// --- build ---------------------------------------------------------------------------------------
function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** Why the app must be built (or the Prisma client generated) before it can run, or null. */
function buildNeeded(): string | null {
  const serverBuild = path.join(ROOT, "build/server/index.js");
  if (!existsSync(serverBuild)) return "there is no build yet";
  const generatedSchema = path.join(ROOT, "node_modules/.prisma/client/schema.prisma");
  if (!existsSync(generatedSchema)) return "the Prisma client is not generated";
  if (readFileSync(generatedSchema, "utf8") !== readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8")) {
    return "prisma/schema.prisma changed since the Prisma client was generated";
  }
  const sources = ["app", "public", "vite.config.ts", "package.json", "package-lock.json"].map((entry) => newestMtime(path.join(ROOT, entry)));
  if (Math.max(...sources) > statSync(serverBuild).mtimeMs) return "the app changed since the last build";
  return null;
}

function runCommand(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

// --- preflight -----------------------------------------------------------------------------------
async function checkRedis(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, retryStrategy: () => null });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not answering at ${redisUrl} (${(error as Error).message}). Start it, or set REDIS_URL.`);
  } finally {
    redis.disconnect();
  }
}

async function checkPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === "EADDRINUSE" ? `port ${port} is in use: stop what runs there, or set PORT` : error.message)),
    );
    server.listen(port, () => server.close(() => resolve()));
  });
}

// --- child processes -----------------------------------------------------------------------------
type Child = { name: string; process: ChildProcess; tail: string[]; exited: Promise<number | null> };

/** Hides the per-webhook noise (successful request lines, per-job log lines); shows everything else. */
const NOISE: Record<string, RegExp> = {
  web: /^(?:GET|POST|HEAD) \S+ [23]\d\d /,
  worker: /"event":"webhook\.processed"/,
};

function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on("line", (line) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (!NOISE[name]?.test(line)) console.log(`[${name}] ${line}`);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { name, process: child, tail, exited };
}

async function stopChild(child: Child, signal: NodeJS.Signals): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill(signal);
  // The web server waits for open connections and the worker for its in-flight jobs: not forever.
  const force = setTimeout(() => child.process.kill("SIGKILL"), 10_000);
  await child.exited;
  clearTimeout(force);
}

async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what}`);
    await sleep(100, signal);
  }
}

// --- the import ----------------------------------------------------------------------------------
/** Waits until the worker has stored every order and refund sent; fails on recorded failures or a stall. */
async function waitUntilStored(pool: pg.Pool, sent: { orders: number; refunds: number }, signal: AbortSignal): Promise<StoredCounts> {
  let lastTotal = -1;
  let lastChange = Date.now();
  let lastPrint = Date.now();
  for (;;) {
    const counts = await storedCounts(pool, DEMO_SHOP);
    if (counts.failedJobs > 0) {
      const reasons = await failedJobReasons(pool, DEMO_SHOP);
      throw new Error(`the worker could not process ${counts.failedJobs} webhook(s) (see "FailedJob"): ${reasons.join(" | ")}`);
    }
    if (counts.orders >= sent.orders && counts.refunds >= sent.refunds) return counts;
    if (counts.orders + counts.refunds !== lastTotal) {
      lastTotal = counts.orders + counts.refunds;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > 180_000) {
      throw new Error(`the worker stored nothing for 3 minutes (${number(counts.orders)}/${number(sent.orders)} orders, ${number(counts.refunds)}/${number(sent.refunds)} refunds)`);
    }
    if (Date.now() - lastPrint >= 5_000) {
      lastPrint = Date.now();
      say(`worker: stored ${number(counts.orders)}/${number(sent.orders)} orders, ${number(counts.refunds)}/${number(sent.refunds)} refunds`);
    }
    await sleep(250, signal);
  }
}

type Fit = NonNullable<Awaited<ReturnType<typeof latestModelFit>>>;

/** Waits for the worker to record a fit newer than `after`. */
async function waitForFit(pool: pg.Pool, after: number, signal: AbortSignal): Promise<Fit> {
  let fit: Fit | null = null;
  await waitUntil(
    async () => {
      fit = await latestModelFit(pool, DEMO_SHOP, REFIT_TRIGGER);
      return fit !== null && fit.id > after;
    },
    "the model refit",
    15 * 60_000,
    signal,
  );
  return fit!;
}

function printSummary(result: ImportResult): void {
  const c = result.counts;
  const skipped = (Object.entries(c.skippedRows) as Array<[SkipReason, number]>).filter(([, count]) => count > 0);
  say(`data: UCI Online Retail, ${number(c.rows)} rows; last invoice ${result.lastInvoiceAt.toISOString().slice(0, 16).replace("T", " ")} UTC moved to today (every date +${number(result.shiftDays)} days)`);
  say(`  orders:  ${number(c.orders)} (${number(c.guestOrders)} guest orders), ${number(c.lineItems)} line items, gross sales ${pounds(c.grossSales)}`);
  say(`  refunds: ${number(c.refunds)} from ${number(c.returnRows)} returned lines, ${pounds(c.refunded)} refunded` +
      (c.cappedReturnRows > 0 ? `; ${number(c.cappedReturnRows)} lines capped at what their order had left (${pounds(c.unrefundedReturns)} not refunded)` : ""));
  say(`  skipped rows:${skipped.length === 0 ? " none" : ""}`);
  for (const [reason, count] of skipped) say(`    ${number(count).padStart(7)}  ${reason}: ${SKIP_REASONS[reason]}`);
}

// --- main ----------------------------------------------------------------------------------------
async function main(): Promise<number> {
  if (process.env.NODE_ENV === "production") {
    console.error("[demo] refusing to run with NODE_ENV=production: the demo serves a shop's data without Shopify login.");
    return 1;
  }
  const args = parseArgs(process.argv.slice(2));
  const port = process.env.PORT ? Number(process.env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const databaseUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/tenure_demo";
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const demoUrl = `http://localhost:${port}/demo`;
  const appUrl = `http://127.0.0.1:${port}`;

  const shutdown = new AbortController();
  let stopSignal: NodeJS.Signals | null = null;
  let firstSignalAt = 0;
  const children: Child[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    if (!shutdown.signal.aborted) {
      stopSignal = signal;
      firstSignalAt = Date.now();
      say(`${signal}: stopping…`);
      shutdown.abort(new Interrupted(signal));
    } else if (Date.now() - firstSignalAt > 2_000) {
      // Pressed again: do not wait for a graceful stop.
      for (const child of children) child.process.kill("SIGKILL");
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // Whatever happens to this process, the children do not outlive it.
  process.on("exit", () => {
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill("SIGKILL");
  });

  const started = performance.now();
  say(`Tenure demo: ${demoUrl} (once the app is up, the page shows the import's progress)`);

  let pool: pg.Pool | undefined;
  let runId: number | undefined;
  const queues: Queue[] = [];
  let refitRequested = false;
  let importDone = false;
  let exitCode = 0;
  try {
    const reason = buildNeeded();
    if (reason) {
      say(`building the app (${reason})…`);
      await runCommand(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"]);
    }
    shutdown.signal.throwIfAborted();

    say(`database ${redactUrl(databaseUrl)}`);
    try {
      if (await ensureDatabase(databaseUrl)) say("created the database");
    } catch (error) {
      throw new Error(`PostgreSQL is not reachable for ${redactUrl(databaseUrl)} (${(error as Error).message}). Start it, or set DATABASE_URL.`);
    }
    await applyMigrations(databaseUrl, (line) => say(line));
    await checkRedis(redisUrl);
    await checkPortFree(port);
    shutdown.signal.throwIfAborted();

    // The environment of the web and worker processes, and of this one (the refit request, the queues).
    const secret = randomBytes(32).toString("hex");
    const demoEnv: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      SHOPIFY_API_KEY: "tenure-demo",
      SHOPIFY_API_SECRET: secret,
      SHOPIFY_APP_URL: `http://localhost:${port}`,
      SCOPES,
      QUEUE_PREFIX,
      TENURE_DEMO: "1",
      NODE_ENV: "development",
      PORT: String(port),
    };
    Object.assign(process.env, demoEnv);
    const childEnv = { ...process.env };

    // A fresh start: no jobs or schedules left from an earlier run, no earlier demo shop.
    for (const name of [WEBHOOK_QUEUE, SHOP_TASKS_QUEUE]) {
      const queue = new Queue(name, { connection: workerConnection(), prefix: QUEUE_PREFIX });
      queues.push(queue);
      await queue.obliterate({ force: true });
    }
    pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    say(`recreating the demo shop ${DEMO_SHOP}…`);
    await resetDemoShop(pool, { domain: DEMO_SHOP, name: DEMO_SHOP_NAME, currency: SHOP_CURRENCY });
    runId = await startImportRun(pool, { shop: DEMO_SHOP, source: "demo" });

    // The built app, served like remix-serve does but in development mode (prisma/demo/serve.ts says why).
    children.push(startChild("web", ["--import", "tsx", "prisma/demo/serve.ts"], childEnv));
    children.push(startChild("worker", ["--import", "tsx", "app/jobs/worker.server.ts"], childEnv));
    const childDied = new Promise<never>((_, reject) => {
      for (const child of children) {
        void child.exited.then((code) => {
          if (!shutdown.signal.aborted) reject(new Error(`the ${child.name} process exited (code ${code}):\n${child.tail.slice(-15).join("\n")}`));
        });
      }
    });
    childDied.catch(() => undefined);
    const guard = <T>(work: Promise<T>): Promise<T> => Promise.race([work, childDied]);

    await guard(
      waitUntil(
        async () => {
          try {
            await fetch(`${appUrl}/`, { signal: AbortSignal.timeout(2000) });
            return true;
          } catch {
            return false;
          }
        },
        "the web process",
        90_000,
        shutdown.signal,
      ),
    );
    await guard(waitUntil(() => children[1]!.tail.some((line) => line.includes('"worker.started"')), "the worker", 90_000, shutdown.signal));
    say(`web and worker are up: ${demoUrl}`);

    // --- import: every order and refund as a signed webhook, through web → Redis → worker ---
    const activePool = pool;
    const activeRunId = runId;
    const printProgress = async (progress: ImportProgress) => {
      if (!progress.expected) return say("reading the data set (first pass: last invoice date, what will be sent)…");
      if (progress.phase === "sending" && progress.sent.orders + progress.sent.refunds === 0) return;
      const stored = await storedCounts(activePool, DEMO_SHOP).catch(() => null);
      const rate = (progress.sent.orders + progress.sent.refunds) / Math.max(progress.sendingMs / 1000, 0.001);
      const percent = progress.expected.orders === 0 ? 100 : Math.floor((100 * progress.sent.orders) / progress.expected.orders);
      say(
        `sent ${number(progress.sent.orders)}/${number(progress.expected.orders)} orders (${percent} %), ` +
          `${number(progress.sent.refunds)}/${number(progress.expected.refunds)} refunds` +
          (stored ? ` · stored ${number(stored.orders)} orders, ${number(stored.refunds)} refunds` : "") +
          (progress.phase === "sending" ? ` · ${number(Math.round(rate))} webhooks/s` : ""),
      );
    };
    const result = await guard(
      importOnlineRetail({
        appUrl,
        secret,
        shop: DEMO_SHOP,
        maxOrders: args.maxOrders,
        signal: shutdown.signal,
        runId: Date.now().toString(36),
        onPlan: async (plan) => {
          await updateImportRun(activePool, activeRunId, { expectedOrders: plan.counts.orders });
          say(`will send ${number(plan.counts.orders)} orders and ${number(plan.counts.refunds)} refunds` + (args.maxOrders ? ` (--max-orders ${args.maxOrders})` : ""));
        },
        onProgress: (progress) => void printProgress(progress),
      }),
    );
    const sentAt = performance.now();
    say(`all ${number(result.sent.orders + result.sent.refunds)} webhooks acknowledged in ${seconds(result.sendMs)} (${number(Math.round((result.sent.orders + result.sent.refunds) / (result.sendMs / 1000)))}/s; ${result.retried} needed a retry); waiting for the worker…`);
    const stored = await guard(waitUntilStored(pool, result.sent, shutdown.signal));
    const drainMs = performance.now() - sentAt;
    say(`the worker stored ${number(stored.orders)} orders and ${number(stored.refunds)} refunds ${seconds(drainMs)} after the last acknowledgement`);
    // Completed jobs keep their bodies in Redis for a day (to recognise Shopify re-deliveries); the
    // demo's webhook ids are unique to the run, so free the memory (~250 MB for the whole data set).
    while ((await queues[0]!.clean(0, 5_000, "completed")).length === 5_000);

    // The store's totals must be what was sent, to the penny.
    const totals = await storedTotals(pool, DEMO_SHOP);
    if (parseAmount(totals.grossSales) !== parseAmount(result.counts.grossSales) || parseAmount(totals.refunded) !== parseAmount(result.counts.refunded)) {
      throw new Error(`stored totals (gross ${pounds(totals.grossSales)}, refunded ${pounds(totals.refunded)}) differ from those sent (gross ${pounds(result.counts.grossSales)}, refunded ${pounds(result.counts.refunded)})`);
    }

    // --- scoring: one refit through the real queue, run by the worker ---
    await updateImportRun(pool, runId, { status: "scoring" });
    const fitBefore = (await latestModelFit(pool, DEMO_SHOP, REFIT_TRIGGER))?.id ?? 0;
    const refitStarted = performance.now();
    say("refitting the models (BG/NBD, Gamma-Gamma, RFM) in the worker…");
    refitRequested = true;
    await requestRefit({ shop: DEMO_SHOP, trigger: REFIT_TRIGGER });
    const done = await guard(waitForFit(pool, fitBefore, shutdown.signal));
    const refitMs = performance.now() - refitStarted;
    await updateImportRun(pool, runId, { status: "done" });
    importDone = true;

    printSummary(result);
    say(`  stored: ${number(stored.orders)} orders (${number(totals.guestOrders)} guest), ${number(totals.customers)} customers, ${number(stored.refunds)} refunds; gross ${pounds(totals.grossSales)}, refunded ${pounds(totals.refunded)}: as sent`);
    say(`  model fit #${done.id}: ${number(done.customers)} customers, ${number(done.repeatCustomers)} repeat customers` +
        (done.insufficient ? `, insufficient (${done.reason ?? "too little data"}): historical values only` : "") + `, fitted in ${seconds(done.durationMs)}`);
    say(`  timings: first pass ${seconds(result.planMs)}, sending ${seconds(result.sendMs)}, worker done ${seconds(drainMs)} after the last ack, refit ${seconds(refitMs)}; total ${seconds(performance.now() - started)}`);
    console.log(`Tenure demo ready: ${demoUrl}`);
    say("serving until Ctrl-C");
    // Until Ctrl-C (sleep rejects at once if it came already).
    for (;;) await guard(sleep(2 ** 31 - 1, shutdown.signal));
  } catch (error) {
    const interrupted = stopSignal !== null;
    const message = interrupted ? `interrupted (${stopSignal})` : (error as Error).message;
    // An import that stopped half-way is recorded as failed: the dashboard must not wait on it forever.
    if (pool && runId !== undefined && !importDone) await updateImportRun(pool, runId, { status: "failed", error: message }).catch(() => undefined);
    if (!interrupted) {
      console.error(`[demo] failed: ${message}`);
      exitCode = 1;
    }
  } finally {
    // Stop the import's HTTP work first, then the children (each gets the signal once, from here).
    if (!shutdown.signal.aborted) shutdown.abort(new Interrupted("SIGTERM"));
    await Promise.all(children.map((child) => stopChild(child, stopSignal ?? "SIGTERM")));
    await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
    if (refitRequested) await getShopTasksQueue().close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[demo] ${(error as Error).message}`);
    process.exit(1);
  },
);
