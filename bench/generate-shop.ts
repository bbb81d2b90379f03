// Generates a realistic, scored shop straight into PostgreSQL — for `npm run bench:ui` (1,000,000
// customers, 5,000,000 orders) and for looking at the merchant pages on a big shop.
//
//   npx tsx bench/generate-shop.ts --database tenure_bench_ui --customers 1000000 --orders-per-customer 5
//
// Options: --database <name> (created if missing, migrations applied; default tenure_bench_ui),
// --customers <n> (default 10000), --orders-per-customer <mean> (default 5), --shop <domain>
// (default tenure-demo.myshopify.com), --currency <code> (default EUR), --seed <0..1> (default 0.42),
// --skip-refit (orders and customer figures only), --refit-only (refit and report an existing shop).
//
// Rows are written by set-based SQL (generate_series), not through webhooks: this measures pages,
// not ingestion (bench:ingest does that). The shape follows what the webhook path stores: counted
// orders, refunds as Refund rows with the order's `refunded` in step, a few cancelled orders, line
// items over a catalogue with popular and long-tail products, customer figures computed exactly as
// app/ltv/customer-figures.ts does (checked by tests/refit.test.ts's definitions), then the real
// refit (models, segments, reports) through app/jobs/refit-shop.server.ts.
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../prisma/migrate";
import { DEMO_SHOP_DOMAIN } from "../app/shops/demo-shop";
import { gamma, seededRandom } from "../tests/support/simulate";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "tenure_bench_ui" },
    customers: { type: "string", default: "10000" },
    "orders-per-customer": { type: "string", default: "5" },
    shop: { type: "string", default: DEMO_SHOP_DOMAIN },
    currency: { type: "string", default: "EUR" },
    seed: { type: "string", default: "0.42" },
    "skip-refit": { type: "boolean", default: false },
    "refit-only": { type: "boolean", default: false },
  },
});

const customers = Number(args.customers);
const ordersPerCustomer = Number(args["orders-per-customer"]);
const seed = Number(args.seed);
if (!Number.isInteger(customers) || customers < 1) throw new Error("--customers must be a positive integer");
if (!(ordersPerCustomer >= 1)) throw new Error("--orders-per-customer must be at least 1");
if (!(seed >= -1 && seed <= 1)) throw new Error("--seed must be between -1 and 1");
if (!/^[a-z0-9_]+$/.test(args.database)) throw new Error("--database: letters, digits and _ only");

const ADMIN_URL = process.env.TENURE_ADMIN_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = `postgresql://postgres@127.0.0.1:5432/${args.database}`;

async function ensureDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [args.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${args.database}"`);
  } finally {
    await admin.end();
  }
  await applyMigrations(databaseUrl, () => undefined);
}

const step = async (label: string, work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
};

async function generate(client: pg.Client): Promise<void> {
  const shop = args.shop;
  await step("remove the previous shop", () => client.query(`DELETE FROM "Shop" WHERE "domain" = $1`, [shop]));
  await client.query(
    `INSERT INTO "Shop" ("domain", "name", "currency", "installedAt", "updatedAt") VALUES ($1, $2, $3, now(), now())`,
    [shop, `Generated shop (${customers.toLocaleString("en")} customers)`, args.currency],
  );
  await client.query("SELECT setseed($1)", [seed]);

  // Customers behave as the BG/NBD and Gamma-Gamma models describe (tests/support/simulate.ts): each
  // has a purchase rate (Gamma across customers), drops out after any purchase with their own
  // probability (Beta), and has a typical basket (Gamma). Simulated in JS, inserted in batches.
  await client.query(`CREATE TEMP TABLE plan_customer (n int PRIMARY KEY, id bigint NOT NULL)`);
  await client.query(
    `CREATE TEMP TABLE plan_order (id bigint, customer_id bigint, n int, placed_at timestamp(3), total numeric(20, 2),
       refund_draw float8, cancel_draw float8, line_draw float8)`,
  );
  await step("orders (simulated)", async () => {
    const random = seededRandom(Math.round(Math.abs(seed) * 2 ** 31) + 1);
    const WEEKS = 156;
    const nowMs = Date.now();
    let orderNumber = 0;
    let batch: { n: number[]; week: number[]; total: string[] } = { n: [], week: [], total: [] };
    const flush = async () => {
      if (batch.n.length === 0) return;
      await client.query(
        `INSERT INTO plan_order (id, customer_id, n, placed_at, total, refund_draw, cancel_draw, line_draw)
         SELECT 5000000000000 + $4::int + ord, 7000000000000 + u.n, u.n,
                to_timestamp($5::float8 / 1000 - (${WEEKS} - u.week) * 7 * 86400) AT TIME ZONE 'UTC', u.total::numeric,
                random(), random(), random()
         FROM unnest($1::int[], $2::float8[], $3::text[]) WITH ORDINALITY AS u(n, week, total, ord)`,
        [batch.n, batch.week, batch.total, orderNumber, nowMs],
      );
      orderNumber += batch.n.length;
      batch = { n: [], week: [], total: [] };
    };
    for (let n = 1; n <= customers; n++) {
      const rate = gamma(random, 0.7, 0.7 / 0.065); // purchases per week, mean 0.065
      const stayShape = 1.2;
      const dropout = gamma(random, stayShape * 0.18, 1);
      const probabilityDrop = dropout / (dropout + gamma(random, stayShape * 0.82 * ordersPerCustomer, 1));
      const basket = gamma(random, 3, 3 / 45);
      let week = random() * (WEEKS - 1);
      for (;;) {
        batch.n.push(n);
        batch.week.push(week);
        batch.total.push(Math.max(1, gamma(random, 6, 6 / basket)).toFixed(2));
        if (random() < probabilityDrop) break;
        week += gamma(random, 1, rate);
        if (week > WEEKS) break;
      }
      if (batch.n.length >= 50_000) await flush();
    }
    await flush();
    await client.query(`INSERT INTO plan_customer SELECT g, 7000000000000 + g FROM generate_series(1, $1::int) AS g`, [customers]);
  });

  await step("orders", async () => {
    // Guest checkouts: about one order in ten has no customer.
    await client.query(
      `INSERT INTO plan_order (id, customer_id, n, placed_at, total, refund_draw, cancel_draw, line_draw)
       SELECT (6000000000000 + g)::bigint, NULL, 0, now()::timestamp(3) - make_interval(secs => random() * 3 * 365 * 86400),
              round((40 * (0.5 + random()))::numeric, 2), random(), 1, random()
       FROM generate_series(1, (SELECT count(*) / 10 FROM plan_order)::int) AS g`,
    );
    await client.query(
      `INSERT INTO "Order" ("shopDomain", "id", "customerId", "name", "currency", "presentmentCurrency", "totalPrice",
         "presentmentTotalPrice", "subtotalPrice", "totalDiscounts", "totalTax", "totalShipping", "refunded", "financialStatus",
         "cancelledAt", "test", "shopifyCreatedAt", "processedAt", "shopifyUpdatedAt", "versionHash", "sourceName", "discountCodes", "storedAt")
       SELECT $1, o.id, o.customer_id, '#' || (o.id - 5000000000000), $2, $2, o.total, o.total,
              round(o.total / 1.2, 2), 0, o.total - round(o.total / 1.2, 2), 0,
              CASE WHEN o.refund_draw < 0.04 THEN round(o.total * 0.3, 2) ELSE 0 END,
              CASE WHEN o.refund_draw < 0.04 THEN 'partially_refunded' ELSE 'paid' END,
              CASE WHEN o.cancel_draw < 0.01 THEN o.placed_at + interval '2 hours' END,
              false, o.placed_at, o.placed_at, o.placed_at + interval '1 minute', 'generated', 'web',
              CASE WHEN o.line_draw < 0.1 THEN ARRAY['WELCOME10'] ELSE ARRAY[]::text[] END, now()
       FROM plan_order o`,
      [shop, args.currency],
    );
  });

  await step("refunds", () =>
    client.query(
      `INSERT INTO "Refund" ("shopDomain", "id", "orderId", "createdAt", "processedAt", "transactionsAmount", "adjustmentsAmount")
       SELECT $1, o.id + 1000000000000, o.id, o.placed_at + interval '9 days', o.placed_at + interval '9 days', round(o.total * 0.3, 2), 0
       FROM plan_order o WHERE o.refund_draw < 0.04`,
      [shop],
    ),
  );

  // A catalogue of 240 products: a few best-sellers, a long tail (random()^2 skews toward low ids).
  await step("line items", () =>
    client.query(
      `WITH products AS (
         SELECT p AS product,
                (ARRAY['Ceramic mug', 'Linen tea towel', 'Beeswax candle', 'Notebook', 'Tote bag', 'Coffee beans 250 g',
                       'Loose-leaf tea', 'Hand cream', 'Soap bar', 'Scented diffuser', 'Wool socks', 'Enamel pin'])[1 + p % 12]
                  || ' ' || (ARRAY['classic', 'large', 'gift set', 'refill', 'travel size', 'limited edition',
                                   'organic', 'duo', 'mini', 'deluxe', 'seasonal', 'studio', 'everyday', 'heritage',
                                   'signature', 'essential', 'original', 'premium', 'natural', 'artisan'])[1 + p / 12] AS title
         FROM generate_series(0, 239) AS p)
       UPDATE "Order" ord SET "lineItems" = lines.items
       FROM (
         SELECT o.id,
                json_agg(json_build_object(
                  'id', (o.id * 4 + line.k)::text, 'productId', (8000000 + line.product)::text,
                  'variantId', ((8000000 + line.product) * 10)::text, 'sku', 'SKU-' || line.product, 'title', p.title,
                  'quantity', 1 + (o.line_draw * 10)::int % 2,
                  'amount', (CASE WHEN line.lines = 1 THEN o.total WHEN line.k = 0 THEN round(o.total * 0.6, 2) ELSE o.total - round(o.total * 0.6, 2) END)::text)
                  ORDER BY line.k) AS items
         FROM plan_order o
         CROSS JOIN LATERAL (
           SELECT k, CASE WHEN o.line_draw < 0.4 THEN 2 ELSE 1 END AS lines,
                  floor(240 * power(random(), 2))::int AS product
           FROM generate_series(0, CASE WHEN o.line_draw < 0.4 THEN 1 ELSE 0 END) AS k
         ) AS line
         JOIN products p ON p.product = line.product
         GROUP BY o.id
       ) AS lines
       WHERE ord."shopDomain" = $1 AND ord."id" = lines.id`,
      [shop],
    ),
  );

  // Figures exactly as computeCustomerFigures (app/ltv/customer-figures.ts): counted orders only.
  await step("customer figures", () =>
    client.query(
      `INSERT INTO "Customer" ("shopDomain", "id", "email", "firstName", "lastName", "ordersCount", "grossSales", "refunds",
         "netRevenue", "averageOrderValue", "firstOrderAt", "lastOrderAt", "tenureDays", "purchaseFrequency", "figuresUpdatedAt")
       SELECT $1, c.id,
              CASE WHEN c.n % 10 < 7 THEN lower(fn.name || '.' || ln.name || c.n || '@example.com') END,
              CASE WHEN c.n % 10 < 6 THEN fn.name END, CASE WHEN c.n % 10 < 6 THEN ln.name END,
              coalesce(f.orders, 0), coalesce(f.gross, 0), coalesce(f.refunds, 0), coalesce(f.gross - f.refunds, 0),
              round((f.gross - f.refunds) / f.orders, 4), f.first_at, f.last_at, f.tenure_days,
              CASE WHEN f.orders >= 2 AND f.tenure_days > 0 THEN (f.orders - 1) * 365 / f.tenure_days END, now()
       FROM plan_customer c
       CROSS JOIN LATERAL (SELECT (ARRAY['Ana', 'Luca', 'Maria', 'João', 'Emma', 'Noah', 'Sofia', 'Mateo', 'Giulia', 'Oliver',
                                         'Lucía', 'Pedro', 'Chiara', 'Liam', 'Camila', 'Hugo'])[1 + c.n % 16] AS name) AS fn
       CROSS JOIN LATERAL (SELECT (ARRAY['Silva', 'Rossi', 'García', 'Smith', 'Santos', 'Bianchi', 'Martínez', 'Jones',
                                         'Oliveira', 'Romano', 'López', 'Brown', 'Costa', 'Ricci', 'Fernández'])[1 + (c.n / 16) % 15] AS name) AS ln
       LEFT JOIN (
         SELECT o."customerId" AS customer_id, count(*)::int AS orders, sum(o."totalPrice") AS gross, sum(o."refunded") AS refunds,
                min(o."processedAt") AS first_at, max(o."processedAt") AS last_at,
                extract(epoch FROM max(o."processedAt") - min(o."processedAt"))::float8 / 86400 AS tenure_days
         FROM "Order" o
         WHERE o."shopDomain" = $1 AND o."customerId" IS NOT NULL AND NOT o."test" AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL
         GROUP BY o."customerId"
       ) AS f ON f.customer_id = c.id`,
      [shop],
    ),
  );
  await step("analyze", () => client.query(`ANALYZE "Order"; ANALYZE "Customer"; ANALYZE "Refund"`));

  const counts = await client.query<{ orders: string; customers: string; lines: string; refunds: string }>(
    `SELECT (SELECT count(*) FROM "Order" WHERE "shopDomain" = $1) AS orders,
            (SELECT count(*) FROM "Customer" WHERE "shopDomain" = $1) AS customers,
            (SELECT sum(json_array_length("lineItems")) FROM "Order" WHERE "shopDomain" = $1) AS lines,
            (SELECT count(*) FROM "Refund" WHERE "shopDomain" = $1) AS refunds`,
    [shop],
  );
  console.log("generated", counts.rows[0]);
}

async function main(): Promise<void> {
  await ensureDatabase();
  if (!args["refit-only"]) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await generate(client);
    } finally {
      await client.end();
    }
  }
  if (args["skip-refit"]) return;
  // The app's modules read their configuration from the environment when first used.
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY ?? "bench",
    SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET ?? "bench",
    SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL ?? "http://localhost:3000",
    SCOPES: process.env.SCOPES ?? "read_orders",
  });
  const { refitShop } = await import("../app/jobs/refit-shop.server");
  await step("refit (models, scores, reports)", () => refitShop({ shop: args.shop, trigger: "manual" }));
  const { prisma } = await import("../app/db.server");
  await prisma.$disconnect();
  const { pool } = await import("../app/pg.server");
  await pool.end();
}

await main();
