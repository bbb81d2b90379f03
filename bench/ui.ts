// The merchant pages benchmark (`npm run bench:ui`): server time of each page's loader — what Remix
// runs before rendering: the layout's loader and the page's, in parallel — on a generated shop of
// 1,000,000 customers and about 5,000,000 orders. Target p95 ≤ 200 ms per page.
//
//   npx tsx bench/generate-shop.ts --database tenure_bench_ui --customers 1000000   # once, ≈ 15–30 min
//   npm run bench:ui
//
// The loaders are called in-process with real Requests for the demo routes (the same code as the
// embedded /app routes, without a Shopify session), against the real PostgreSQL. Each page: 5
// warm-up calls, then BENCH_UI_RUNS (default 40) timed calls, one at a time; varying pages (customer
// ids, deep pages of the customer list, searches) take a different input on each call.
// Options (environment): BENCH_UI_DATABASE (default tenure_bench_ui), BENCH_UI_RUNS, BENCH_UI_SHOP.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import pg from "pg";
import { DEMO_SHOP_DOMAIN } from "../app/shops/demo-shop";

const database = process.env.BENCH_UI_DATABASE ?? "tenure_bench_ui";
const runs = Number(process.env.BENCH_UI_RUNS ?? 40);
const shop = process.env.BENCH_UI_SHOP ?? DEMO_SHOP_DOMAIN;
const databaseUrl = `postgresql://postgres@127.0.0.1:5432/${database}`;
const TARGET_P95_MS = 200;

Object.assign(process.env, {
  NODE_ENV: "development",
  TENURE_DEMO: "1",
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: "bench",
  SHOPIFY_APP_URL: "http://localhost:3000",
  SCOPES: "read_orders",
  QUEUE_PREFIX: "tenure-bench-ui",
});

type Loader = (args: { request: Request; params: Record<string, string>; context: Record<string, never> }) => Promise<unknown>;
type PageCase = { name: string; loader: Loader; input: (run: number) => { path: string; params?: Record<string, string> } };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const size = await client.query<{ customers: string; orders: string }>(
    `SELECT (SELECT count(*) FROM "Customer" WHERE "shopDomain" = $1) AS customers, (SELECT count(*) FROM "Order" WHERE "shopDomain" = $1) AS orders`,
    [shop],
  );
  const customers = Number(size.rows[0]!.customers);
  const orders = Number(size.rows[0]!.orders);
  if (customers === 0) throw new Error(`${database} has no customers for ${shop}: run bench/generate-shop.ts first (see the header)`);
  const sampleIds = (
    await client.query<{ id: string }>(
      `SELECT "id"::text AS id FROM "Customer" TABLESAMPLE SYSTEM (1) WHERE "shopDomain" = $1 AND "ordersCount" > 0 LIMIT $2`,
      [shop, runs + 10],
    )
  ).rows.map((row) => row.id);
  const playbook = (
    await client.query<{ playbook: string }>(`SELECT "playbook" FROM "SuggestionMember" WHERE "shopDomain" = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`, [shop])
  ).rows[0]?.playbook;
  await client.end();

  const { layoutLoader } = await import("../app/ui/layout.server");
  const { dashboardLoader } = await import("../app/pages/dashboard.server");
  const { segmentsLoader } = await import("../app/pages/segments.server");
  const { segmentDetailLoader } = await import("../app/pages/segment-detail.server");
  const { customersLoader } = await import("../app/pages/customers.server");
  const { customerLoader } = await import("../app/pages/customer.server");
  const { suggestionsLoader } = await import("../app/pages/suggestions.server");
  const { suggestionDetailLoader } = await import("../app/pages/suggestion-detail.server");
  const { settingsLoader } = await import("../app/pages/settings.server");

  // Cursors deep into the customer list, as a merchant paging through it would follow them.
  const deepCursors: string[] = [];
  {
    let cursor: string | null = null;
    for (let page = 0; page < 30; page++) {
      const result = (await customersLoader({
        request: new Request(`http://localhost/demo/customers?locale=en&sort=predicted_clv${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
        params: {},
        context: {},
      })) as { page: { nextCursor: string | null } };
      cursor = result.page.nextCursor;
      if (!cursor) break;
      deepCursors.push(cursor);
    }
  }
  const searches = ["silva", "rossi", "garc", "emma", "oliveira", "bianchi", "noah", "costa"];

  const cases: PageCase[] = [
    { name: "dashboard", loader: dashboardLoader as Loader, input: () => ({ path: "/demo" }) },
    { name: "segments", loader: segmentsLoader as Loader, input: () => ({ path: "/demo/segments" }) },
    {
      name: "segment (champions)",
      loader: segmentDetailLoader as Loader,
      input: () => ({ path: "/demo/segments/rfm/champions", params: { kind: "rfm", key: "champions" } }),
    },
    { name: "customers (by LTV)", loader: customersLoader as Loader, input: () => ({ path: "/demo/customers" }) },
    {
      name: "customers (deep pages by CLV)",
      loader: customersLoader as Loader,
      input: (run) => ({ path: `/demo/customers?sort=predicted_clv&cursor=${encodeURIComponent(deepCursors[run % deepCursors.length] ?? "")}` }),
    },
    { name: "customers (search)", loader: customersLoader as Loader, input: (run) => ({ path: `/demo/customers?q=${searches[run % searches.length]}` }) },
    { name: "customer", loader: customerLoader as Loader, input: (run) => ({ path: `/demo/customers/${sampleIds[run % sampleIds.length]}`, params: { id: sampleIds[run % sampleIds.length]! } }) },
    { name: "suggestions", loader: suggestionsLoader as Loader, input: () => ({ path: "/demo/suggestions" }) },
    ...(playbook
      ? [{ name: `suggestion (${playbook})`, loader: suggestionDetailLoader as Loader, input: () => ({ path: `/demo/suggestions/${playbook}`, params: { key: playbook } }) }]
      : []),
    { name: "settings", loader: settingsLoader as Loader, input: () => ({ path: "/demo/settings" }) },
  ];

  const results: Array<{ page: string; p50: number; p95: number; max: number; runs: number }> = [];
  for (const page of cases) {
    const call = async (run: number) => {
      const { path, params = {} } = page.input(run);
      const url = `http://localhost${path}${path.includes("?") ? "&" : "?"}locale=es`;
      const started = performance.now();
      await Promise.all([layoutLoader({ request: new Request(url), params: {}, context: {} }), page.loader({ request: new Request(url), params, context: {} })]);
      return performance.now() - started;
    };
    for (let warm = 0; warm < 5; warm++) await call(runs + warm);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) times.push(await call(run));
    times.sort((a, b) => a - b);
    const row = { page: page.name, p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1]!, runs };
    results.push(row);
    console.log(`${row.page.padEnd(40)} p50 ${row.p50.toFixed(1).padStart(7)} ms   p95 ${row.p95.toFixed(1).padStart(7)} ms   max ${row.max.toFixed(1).padStart(7)} ms`);
  }

  const machine = { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, load: os.loadavg() };
  const missed = results.filter((row) => row.p95 > TARGET_P95_MS).map((row) => row.page);
  console.log(`\nshop: ${customers.toLocaleString("en")} customers, ${orders.toLocaleString("en")} orders (${database})`);
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, load ${machine.load.map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`command: npm run bench:ui (BENCH_UI_RUNS=${runs})`);
  console.log(missed.length === 0 ? `all pages p95 ≤ ${TARGET_P95_MS} ms` : `MISSED TARGET (p95 ≤ ${TARGET_P95_MS} ms): ${missed.join(", ")}`);
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/ui-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(file, JSON.stringify({ machine, database, customers, orders, runs, targetP95Ms: TARGET_P95_MS, results }, null, 2));
  console.log(`results: ${file}`);

  const { prisma } = await import("../app/db.server");
  await prisma.$disconnect();
  const { pool } = await import("../app/pg.server");
  await pool.end();
}

await main();
