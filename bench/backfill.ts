// The order-history backfill's data path: a Shopify bulk result (JSONL) → PostgreSQL, through
// importBulkResult (app/backfill/import-bulk-result.server.ts). Targets: ≥ 20,000 orders/s and
// < 500 MB peak RSS on a 1,000,000-order result.
//
//   npm run bench:backfill [-- --orders 1000000 --database tenure_bench_backfill --seed 42]
//
// The result file is generated once (bench/generate-bulk-jsonl.ts, in a child process so its memory
// is not counted) under the system temp dir and reused. Each run drops and recreates the database,
// applies the migrations, imports the file from disk, then checks the stored orders, customers and
// Σ net revenue against what the generator says an exact import must give, to the cent.
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../prisma/migrate";
import type { GeneratedExpectation } from "./generate-bulk-jsonl";

const { values: args } = parseArgs({
  options: {
    orders: { type: "string", default: "1000000" },
    database: { type: "string", default: "tenure_bench_backfill" },
    seed: { type: "string", default: "42" },
  },
});
const orders = Number(args.orders);
if (!Number.isInteger(orders) || orders < 1) throw new Error("--orders must be a positive integer");
if (!/^[a-z0-9_]+$/.test(args.database)) throw new Error("--database: letters, digits and _ only");

const ADMIN_URL = process.env.TENURE_ADMIN_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = `postgresql://postgres@127.0.0.1:5432/${args.database}`;
const SHOP = "bench-backfill.myshopify.com";
const TARGET_ORDERS_PER_SECOND = 20_000;
const TARGET_PEAK_RSS_MB = 500;

const file = join(tmpdir(), `tenure-bulk-${orders}-seed${args.seed}.jsonl`);
const expectationFile = `${file}.expected.json`;
if (!existsSync(file) || !existsSync(expectationFile)) {
  console.log(`generating ${file} …`);
  const output = execFileSync("npx", ["tsx", "bench/generate-bulk-jsonl.ts", "--orders", String(orders), "--seed", args.seed, "--out", file], { encoding: "utf8" });
  const { writeFileSync } = await import("node:fs");
  writeFileSync(expectationFile, output.trim());
}
const expected = JSON.parse(readFileSync(expectationFile, "utf8")) as GeneratedExpectation;

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS "${args.database}" WITH (FORCE)`);
await admin.query(`CREATE DATABASE "${args.database}"`);
await admin.end();
await applyMigrations(databaseUrl, () => undefined);

// The app's modules read the environment when first used.
Object.assign(process.env, {
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: "bench",
  SHOPIFY_APP_URL: "http://127.0.0.1:3999",
  SCOPES: "read_orders",
});
const { importBulkResult, linesOf } = await import("../app/backfill/import-bulk-result.server");
const { pool } = await import("../app/pg.server");

console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log(`importing ${expected.orders.toLocaleString("en")} orders (${expected.lines.toLocaleString("en")} lines) into ${args.database}`);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
let checkpoints = 0;
const started = performance.now();
const cpuStart = process.cpuUsage();
const result = await importBulkResult({
  shop: SHOP,
  lines: linesOf(createReadStream(file)),
  skipLines: 0,
  onCheckpoint: async () => {
    checkpoints += 1;
  },
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const ordersPerSecond = result.ordersImported / seconds;
const peakRssMb = peakRss / 1024 / 1024;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({
    ...result,
    seconds: Number(seconds.toFixed(1)),
    ordersPerSecond: Math.round(ordersPerSecond),
    peakRssMb: Math.round(peakRssMb),
    maxRssMb: Math.round(maxRssMb),
    nodeCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    checkpoints,
  }),
);

const { rows } = await pool.query<{ orders: string; customers: string; customers_with_orders: string; net: string; shop_net: string; line_items: string; failed: string }>(
  `SELECT (SELECT count(*) FROM "Order" WHERE "shopDomain" = $1) AS orders,
          (SELECT count(*) FROM "Customer" WHERE "shopDomain" = $1) AS customers,
          (SELECT count(*) FROM "Customer" WHERE "shopDomain" = $1 AND "ordersCount" > 0) AS customers_with_orders,
          (SELECT COALESCE(SUM("netRevenue"), 0)::text FROM "Customer" WHERE "shopDomain" = $1) AS net,
          (SELECT COALESCE(SUM("totalPrice" - "refunded"), 0)::text FROM "Order"
            WHERE "shopDomain" = $1 AND NOT "test" AND "cancelledAt" IS NULL AND "deletedAt" IS NULL) AS shop_net,
          (SELECT sum(json_array_length("lineItems")) FROM "Order" WHERE "shopDomain" = $1) AS line_items,
          (SELECT count(*) FROM "FailedJob" WHERE "shopDomain" = $1) AS failed`,
  [SHOP],
);
await pool.end();
const stored = rows[0]!;
const toCents = (amount: string) => {
  const [whole, fraction = ""] = amount.split(".");
  if (fraction.replace(/0+$/, "").length > 2) return `${amount} (not whole cents)`;
  return (BigInt(whole!) * 100n + (whole!.startsWith("-") ? -1n : 1n) * BigInt((fraction + "00").slice(0, 2))).toString();
};
const checks = [
  ["orders", Number(stored.orders), expected.orders],
  ["line items", Number(stored.line_items), expected.lineItems],
  ["customers", Number(stored.customers), expected.customers],
  ["customers with counted orders", Number(stored.customers_with_orders), expected.customersWithCountedOrders],
  ["Σ customers' net revenue (cents)", toCents(stored.net), expected.customersNetRevenueCents],
  ["Σ shop net revenue (cents)", toCents(stored.shop_net), expected.shopNetRevenueCents],
  ["failed lines", Number(stored.failed), 0],
] as const;
let exact = true;
for (const [label, actual, wanted] of checks) {
  const ok = actual === wanted;
  exact &&= ok;
  console.log(`${ok ? "ok  " : "FAIL"} ${label}: ${actual}${ok ? "" : ` (expected ${wanted})`}`);
}
const missed = [
  ordersPerSecond < TARGET_ORDERS_PER_SECOND ? `orders/s ${Math.round(ordersPerSecond)} < ${TARGET_ORDERS_PER_SECOND}` : null,
  Math.max(peakRssMb, maxRssMb) >= TARGET_PEAK_RSS_MB ? `peak RSS ${Math.round(Math.max(peakRssMb, maxRssMb))} MB ≥ ${TARGET_PEAK_RSS_MB} MB` : null,
].filter((entry) => entry !== null);
console.log(missed.length > 0 ? `MISSED TARGETS: ${missed.join("; ")}` : "targets met");
process.exit(exact ? 0 : 1);
