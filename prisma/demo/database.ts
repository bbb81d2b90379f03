// The demo's database work, over node-postgres like the order store and prisma/migrate.ts: create the
// database, reset the demo shop, record the import in "ImportRun", and read how far the worker got.
// Times are written as UTC ISO strings: the columns are timestamps without time zone holding UTC.
import pg from "pg";

export type ImportStatus = "importing" | "scoring" | "done" | "failed";

/** Creates the database DATABASE_URL names when it does not exist (through the server's `postgres` database). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!name) throw new Error(`DATABASE_URL ${redactUrl(databaseUrl)} names no database`);
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    const existing = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (existing.rowCount) return false;
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (error) {
    // Two demos starting at once: the other one created it.
    if ((error as { code?: string }).code === "42P04") return false;
    throw error;
  } finally {
    await admin.end();
  }
}

/** The URL without its password, for messages. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** Deletes the shop and everything of it (children cascade), then creates it afresh. */
export async function resetDemoShop(pool: pg.Pool, shop: { domain: string; name: string; currency: string; now?: Date }): Promise<void> {
  const now = (shop.now ?? new Date()).toISOString();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`DELETE FROM "Shop" WHERE "domain" = $1`, [shop.domain]);
    await client.query(
      `INSERT INTO "Shop" ("domain", "name", "currency", "installedAt", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $4, $4)`,
      [shop.domain, shop.name, shop.currency, now],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function startImportRun(pool: pg.Pool, run: { shop: string; source: "demo" | "bulk_operation"; expectedOrders?: number | null }): Promise<number> {
  const result = await pool.query<{ id: number }>(
    `INSERT INTO "ImportRun" ("shopDomain", "source", "status", "expectedOrders", "startedAt") VALUES ($1, $2, 'importing', $3, $4) RETURNING "id"`,
    [run.shop, run.source, run.expectedOrders ?? null, new Date().toISOString()],
  );
  return result.rows[0]!.id;
}

export async function updateImportRun(
  pool: pg.Pool,
  id: number,
  change: { status?: ImportStatus; expectedOrders?: number; error?: string },
): Promise<void> {
  const finished = change.status === "done" || change.status === "failed" ? new Date().toISOString() : null;
  await pool.query(
    `UPDATE "ImportRun" SET "status" = COALESCE($2, "status"), "expectedOrders" = COALESCE($3, "expectedOrders"),
       "error" = COALESCE($4, "error"), "finishedAt" = COALESCE($5, "finishedAt") WHERE "id" = $1`,
    [id, change.status ?? null, change.expectedOrders ?? null, change.error?.slice(0, 2000) ?? null, finished],
  );
}

export type StoredCounts = { orders: number; refunds: number; failedJobs: number };

/** What the worker has stored for the shop so far. */
export async function storedCounts(pool: pg.Pool, shop: string): Promise<StoredCounts> {
  const result = await pool.query<{ orders: string; refunds: string; failed: string }>(
    `SELECT (SELECT count(*) FROM "Order" WHERE "shopDomain" = $1) AS orders,
            (SELECT count(*) FROM "Refund" WHERE "shopDomain" = $1) AS refunds,
            (SELECT count(*) FROM "FailedJob" WHERE "shopDomain" = $1) AS failed`,
    [shop],
  );
  const row = result.rows[0]!;
  return { orders: Number(row.orders), refunds: Number(row.refunds), failedJobs: Number(row.failed) };
}

/** The first reasons the worker recorded for jobs it could not process. */
export async function failedJobReasons(pool: pg.Pool, shop: string, limit = 3): Promise<string[]> {
  const result = await pool.query<{ topic: string; reason: string }>(
    `SELECT "topic", "reason" FROM "FailedJob" WHERE "shopDomain" = $1 ORDER BY "id" LIMIT $2`,
    [shop, limit],
  );
  return result.rows.map((row) => `${row.topic}: ${row.reason}`);
}

/** The newest model fit of the shop with the given trigger, if any. */
export async function latestModelFit(
  pool: pg.Pool,
  shop: string,
  trigger: string,
): Promise<{ id: number; customers: number; repeatCustomers: number; insufficient: boolean; reason: string | null; durationMs: number } | null> {
  const result = await pool.query<{ id: number; customers: number; repeatCustomers: number; insufficient: boolean; reason: string | null; durationMs: number }>(
    `SELECT "id", "customers", "repeatCustomers", "insufficient", "reason", "durationMs" FROM "ModelFit"
     WHERE "shopDomain" = $1 AND "trigger" = $2 ORDER BY "id" DESC LIMIT 1`,
    [shop, trigger],
  );
  return result.rows[0] ?? null;
}

/** Σ order totals and refunds the store holds for the shop, exact, to check against what was sent. */
export async function storedTotals(pool: pg.Pool, shop: string): Promise<{ grossSales: string; refunded: string; customers: number; guestOrders: number }> {
  const result = await pool.query<{ gross: string; refunded: string; customers: string; guests: string }>(
    `SELECT COALESCE(SUM("totalPrice"), 0)::text AS gross, COALESCE(SUM("refunded"), 0)::text AS refunded,
            count(DISTINCT "customerId")::text AS customers, count(*) FILTER (WHERE "customerId" IS NULL)::text AS guests
     FROM "Order" WHERE "shopDomain" = $1`,
    [shop],
  );
  const row = result.rows[0]!;
  return { grossSales: row.gross, refunded: row.refunded, customers: Number(row.customers), guestOrders: Number(row.guests) };
}
