// A node-postgres pool for the webhook hot path. Prisma's client engine costs ~1.3 ms of CPU per raw
// query here (measured: docs/decisions/0006); an order event runs about a dozen statements, so the
// order store speaks to PostgreSQL through the same driver Prisma's adapter uses, directly.
import pg from "pg";
import { env } from "./env.server";

declare global {
  var tenurePgPool: pg.Pool | undefined;
}

/**
 * Custom plans only. PostgreSQL caches the plan of a foreign-key check (LineItem → Order) per
 * connection; a generic plan made while "Order" is nearly empty walks the (shopDomain, processedAt)
 * index over every order of the shop, so each line item costs more as the shop grows (measured: 549 M
 * index tuples read for 37 k line items in one bench run, the drain falling from 607 to 259 events/s).
 * An ANALYZE would replace that plan, but nothing guarantees one runs (autovacuum is off on this
 * project's machines). Planning each check with its values costs microseconds.
 */
export const pool: pg.Pool =
  globalThis.tenurePgPool ??
  new pg.Pool({ connectionString: env().DATABASE_URL, max: 20, options: "-c plan_cache_mode=force_custom_plan" });
if (env().NODE_ENV !== "production") globalThis.tenurePgPool = pool;

/** A piece of SQL text written by Tenure itself (never input), shared by several statements. */
export class SqlText {
  constructor(readonly text: string) {}
}

type Param = string | number | boolean | bigint | null | undefined | Date | readonly (string | number | null)[] | SqlText;

/** A parameterised statement from a template: sql`... ${value} ...` → { text: "... $1 ...", values }. */
export function sql(strings: TemplateStringsArray, ...params: Param[]): pg.QueryConfig {
  let text = strings[0] ?? "";
  const values: unknown[] = [];
  params.forEach((param, index) => {
    if (param instanceof SqlText) {
      text += `${param.text}${strings[index + 1] ?? ""}`;
      return;
    }
    // Times go as UTC ISO strings: the columns are timestamps without time zone holding UTC.
    values.push(param instanceof Date ? param.toISOString() : param);
    text += `$${values.length}${strings[index + 1] ?? ""}`;
  });
  return { text, values };
}

export type Db = pg.PoolClient;

/** Runs `work` in one transaction on one connection; rolls back on any error. */
export async function inTransaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
