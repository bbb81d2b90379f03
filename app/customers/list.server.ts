// The customer lists — all customers, a segment, a playbook's audience — read a page at a time with
// keyset pagination, so a page costs the same on page 1 and page 20,000 of a 1,000,000-customer shop.
//
// Order. Every sort orders by (value, id) in the chosen direction, ties broken by id, which is exactly
// an index: Customer_{ltv,clv,orders,last_order,alive}_keyset_idx (shopDomain, value DESC, id DESC),
// read forwards or backwards. A segment is read in historical-LTV order only, from
// Customer_{rfm_group,value_tier}_keyset_idx (sortsFor in ./list-query.ts says why). Customers
// without a value (no prediction, no order) come after all values in both directions: the list is two
// sections — values, then missing values by id — each one index range, read one after the other (a
// page that crosses from one to the other runs two queries). A playbook's audience has no index in
// customer order: it is read from its members and sorted, at a cost that grows with its size.
//
// Cursor. nextCursor is the last row's place, previousCursor the first row's; a query resumes strictly
// after (or before) it, so every customer appears exactly once however the pages are walked.
import { CUSTOMER_CSV_COLUMNS, customerCsvRow } from "~/ltv/customer-csv";
import { money } from "~/ltv/money";
import { pool } from "~/pg.server";
import { csvText } from "./csv";
import {
  type CursorPosition,
  type CustomerListQuery,
  type CustomerSearch,
  type CustomerSort,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  SORT_KEYS,
  type SortDirection,
  appliedSort,
  decodeCursor,
  encodeCursor,
  parseSearch,
} from "./list-query";

/** One customer as the list pages show it. Money as exact decimal strings; times as ISO-8601 UTC. */
export type CustomerListRow = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  redacted: boolean;
  ordersCount: number;
  historicalLtv: string;
  predictedClv: string | null;
  lastOrderAt: string | null;
  probabilityAlive: number | null;
  rfmGroup: string | null;
  valueTier: string | null;
};

export type CustomerListPage = {
  rows: CustomerListRow[];
  nextCursor: string | null;
  previousCursor: string | null;
  sort: CustomerSort;
  direction: SortDirection;
  /** What the search became: nothing, too short to use, or a match on id and/or text. */
  search: CustomerSearch;
};

// Fixed identifiers only: nothing from the request is ever written into the SQL text.
const SORT_COLUMN: Record<CustomerSort, string> = {
  historical_ltv: `c."netRevenue"`,
  predicted_clv: `c."predictedClv12m"`,
  orders: `c."ordersCount"`,
  last_order: `c."lastOrderAt"`,
  probability_alive: `c."probabilityAlive"`,
};
const SORT_CAST: Record<(typeof SORT_KEYS)[CustomerSort]["type"], string> = {
  numeric: "numeric",
  integer: "int",
  timestamp: "timestamp",
  float: "float8",
};

/** The text Customer_search_trgm_idx indexes (migration 20261125170000): written exactly as there. */
const SEARCH_TEXT = `lower(coalesce(c."email",'') || ' ' || coalesce(c."firstName",'') || ' ' || coalesce(c."lastName",''))`;

const UTC = (column: string) => `(${column} AT TIME ZONE 'UTC')`;

const COLUMNS = `c."id"::text AS id, c."email", c."firstName", c."lastName", (c."redactedAt" IS NOT NULL) AS redacted,
  c."ordersCount", c."netRevenue"::text AS "netRevenue", c."grossSales"::text AS "grossSales", c."refunds"::text AS refunds,
  c."averageOrderValue"::text AS "averageOrderValue", ${UTC(`c."firstOrderAt"`)} AS "firstOrderAt",
  ${UTC(`c."lastOrderAt"`)} AS "lastOrderAt", c."tenureDays", c."purchaseFrequency", c."probabilityAlive",
  c."expectedPurchases12m", c."predictedClv12m"::text AS "predictedClv12m", c."rfmGroup", c."valueTier", c."churnRisk"`;

type CustomerRecord = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  redacted: boolean;
  ordersCount: number;
  netRevenue: string;
  grossSales: string;
  refunds: string;
  averageOrderValue: string | null;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  tenureDays: number | null;
  purchaseFrequency: number | null;
  probabilityAlive: number | null;
  expectedPurchases12m: number | null;
  predictedClv12m: string | null;
  rfmGroup: string | null;
  valueTier: string | null;
  churnRisk: string | null;
  sortKey: string | null;
};

type Section = "values" | "missing";
type Located = CustomerRecord & { section: Section };

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The WHERE conditions every section shares: the shop, the segment, the search (not the audience). */
function filters(query: CustomerListQuery, search: CustomerSearch, params: Params): string[] {
  const where = [`c."shopDomain" = ${params.add(query.shop)}`];
  if (query.segment?.kind === "rfm") where.push(`c."rfmGroup" = ${params.add(query.segment.key)}`);
  if (query.segment?.kind === "tier") where.push(`c."valueTier" = ${params.add(query.segment.key)}`);
  if (search.kind === "match") {
    const byId = search.id === null ? null : `c."id" = ${params.add(search.id)}::bigint`;
    const byText = search.pattern === null ? null : `${SEARCH_TEXT} LIKE ${params.add(search.pattern)}`;
    where.push(byId && byText ? `(${byId} OR ${byText})` : (byId ?? byText) as string);
  }
  return where;
}

type SectionRead = {
  query: CustomerListQuery;
  search: CustomerSearch;
  section: Section;
  travel: "next" | "previous";
  from: CursorPosition | null;
  limit: number;
};

/** One section's conditions, from `from` on, and the sort column and order to read it in. */
function sectionQuery({ query, search, section, travel, from }: SectionRead, params: Params) {
  const where = filters(query, search, params);
  const column = SORT_COLUMN[query.sort];
  const key = SORT_KEYS[query.sort];
  // Reading forwards follows the list's direction; reading backwards, the opposite one.
  const ascending = (query.direction === "asc") === (travel === "next");
  const order = ascending ? "ASC" : "DESC";
  const after = ascending ? ">" : "<";
  if (section === "values") {
    if (key.nullable) where.push(`${column} IS NOT NULL`);
    if (from) where.push(`(${column}, c."id") ${after} (${params.add(from.value)}::${SORT_CAST[key.type]}, ${params.add(from.id)}::bigint)`);
  } else {
    where.push(`${column} IS NULL`);
    if (from) where.push(`c."id" ${after} ${params.add(from.id)}::bigint`);
  }
  return { conditions: where.join("\n      AND "), column, order };
}

/** How many customers, in list order, an audience page looks through before reading the whole audience. */
const AUDIENCE_PROBE = 5000;

/**
 * Up to `limit` rows of one section, strictly after `from` in the travel direction (from the section's
 * start without `from`), in travel order.
 */
async function readSection(read: SectionRead): Promise<Located[]> {
  const located = (rows: CustomerRecord[]) => rows.map((row) => ({ ...row, section: read.section }));
  if (!read.query.audience) {
    const params = new Params();
    const { conditions, column, order } = sectionQuery(read, params);
    // Ordering by the (constant) column too keeps the ORDER BY identical to the index's.
    const result = await pool.query<CustomerRecord>(
      `SELECT ${COLUMNS}, ${column}::text AS "sortKey"
      FROM "Customer" c
      WHERE ${conditions}
      ORDER BY ${column} ${order}, c."id" ${order}
      LIMIT ${params.add(read.limit)}`,
      params.values,
    );
    return located(result.rows);
  }
  // A playbook's audience has no index in customer order. First, the next AUDIENCE_PROBE customers
  // in list order (one index range) are checked for members: enough when the audience sits near
  // the front of the order (win-back customers by historical LTV, say).
  const playbook = read.query.audience.playbook;
  const probeParams = new Params();
  const probe = sectionQuery(read, probeParams);
  // Membership is probed per scanned customer (a scalar subquery on SuggestionMember's primary key),
  // not by hashing the whole audience; the full rows are read for the page's members only.
  const shop = probeParams.add(read.query.shop);
  const probed = await pool.query<CustomerRecord & { scanned: number }>(
    `WITH scan AS MATERIALIZED (
      SELECT c."id" AS "scanId", ${probe.column} AS "scanValue"
      FROM "Customer" c
      WHERE ${probe.conditions}
      ORDER BY ${probe.column} ${probe.order}, c."id" ${probe.order}
      LIMIT ${probeParams.add(AUDIENCE_PROBE)}),
    found AS MATERIALIZED (
      SELECT s."scanId", s."scanValue" FROM scan s
      WHERE (SELECT true FROM "SuggestionMember" m
             WHERE m."shopDomain" = ${shop} AND m."playbook" = ${probeParams.add(playbook)} AND m."customerId" = s."scanId" LIMIT 1)
      ORDER BY s."scanValue" ${probe.order}, s."scanId" ${probe.order}
      LIMIT ${probeParams.add(read.limit)})
    SELECT ${COLUMNS}, ${probe.column}::text AS "sortKey", (SELECT count(*) FROM scan)::int AS scanned
    FROM found f JOIN "Customer" c ON c."shopDomain" = ${shop} AND c."id" = f."scanId"
    ORDER BY f."scanValue" ${probe.order}, f."scanId" ${probe.order}`,
    probeParams.values,
  );
  const scanned = probed.rows[0]?.scanned ?? AUDIENCE_PROBE;
  if (probed.rows.length >= read.limit || scanned < AUDIENCE_PROBE) return located(probed.rows);
  // Otherwise the audience is read from its members and sorted. The OFFSET 0 fence keeps PostgreSQL
  // from walking the shop in sort order looking for members instead, which takes seconds when the
  // audience sits at the far end of that order (win-back customers by P(alive), one-time buyers by
  // historical LTV). The cost grows with the audience's size, not the shop's.
  const params = new Params();
  const { conditions, column, order } = sectionQuery(read, params);
  const result = await pool.query<CustomerRecord>(
    `SELECT * FROM (
      SELECT ${COLUMNS}, ${column}::text AS "sortKey", ${column} AS "sortValue", c."id" AS "sortId"
      FROM "SuggestionMember" m JOIN "Customer" c ON c."shopDomain" = m."shopDomain" AND c."id" = m."customerId"
      WHERE ${conditions} AND m."playbook" = ${params.add(playbook)}
      OFFSET 0) AS members
    ORDER BY "sortValue" ${order}, "sortId" ${order}
    LIMIT ${params.add(read.limit)}`,
    params.values,
  );
  return located(result.rows);
}

/** Up to `limit` rows after `from` (or from one end), crossing from one section into the next. */
async function readRun(query: CustomerListQuery, search: CustomerSearch, travel: "next" | "previous", from: (CursorPosition & { section: Section }) | null, limit: number) {
  const sections: Section[] = SORT_KEYS[query.sort].nullable ? ["values", "missing"] : ["values"];
  if (travel === "previous") sections.reverse();
  const start = from ? sections.indexOf(from.section) : 0;
  const rows: Located[] = [];
  for (let index = Math.max(0, start); index < sections.length && rows.length < limit; index++) {
    const section = sections[index] as Section;
    rows.push(...(await readSection({ query, search, section, travel, from: index === start ? from : null, limit: limit - rows.length })));
  }
  return rows;
}

const position = (row: Located) => ({ value: row.sortKey, id: row.id });

function cursorFor(query: CustomerListQuery, travel: "next" | "previous", row: Located | undefined): string | null {
  if (!row) return null;
  return encodeCursor({ sort: query.sort, direction: query.direction, travel, position: position(row) });
}

const sectionOf = (value: string | null): Section => (value === null ? "missing" : "values");

async function readPage(query: CustomerListQuery & { sort: CustomerSort }): Promise<{ rows: Located[]; nextCursor: string | null; previousCursor: string | null; search: CustomerSearch }> {
  const search = parseSearch(query.search);
  const limit = Math.min(Math.max(1, Math.floor(query.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const cursor = decodeCursor(query.cursor, query);
  const from = cursor ? { ...cursor.position, section: sectionOf(cursor.position.value) } : null;

  if (cursor?.travel === "previous" && from) {
    const before = await readRun(query, search, "previous", from, limit + 1);
    // Fewer than a page before the cursor (customers changed since): show the first page instead.
    if (before.length >= limit) {
      const rows = before.slice(0, limit).reverse();
      return { rows, search, previousCursor: before.length > limit ? cursorFor(query, "previous", rows[0]) : null, nextCursor: cursorFor(query, "next", rows[rows.length - 1]) };
    }
    return readPage({ ...query, cursor: null });
  }
  const rows = await readRun(query, search, "next", from, limit + 1);
  // Nothing after the cursor any more (customers changed since): show the last page before it.
  if (cursor && from && rows.length === 0) {
    return readPage({ ...query, cursor: encodeCursor({ ...cursor, travel: "previous" }) });
  }
  const page = rows.slice(0, limit);
  return {
    rows: page,
    search,
    nextCursor: rows.length > limit ? cursorFor(query, "next", page[page.length - 1]) : null,
    previousCursor: from ? cursorFor(query, "previous", page[0]) : null,
  };
}

/** One page of a customer list. Any cursor made for another sort or direction starts at page 1. */
export async function listCustomers(request: CustomerListQuery): Promise<CustomerListPage> {
  const query = { ...request, sort: appliedSort(request) };
  const page = await readPage(query);
  return {
    rows: page.rows.map(listRow),
    nextCursor: page.nextCursor,
    previousCursor: page.previousCursor,
    sort: query.sort,
    direction: query.direction,
    search: page.search,
  };
}

function listRow(record: CustomerRecord): CustomerListRow {
  return {
    id: record.id,
    email: record.email,
    firstName: record.firstName,
    lastName: record.lastName,
    redacted: record.redacted,
    ordersCount: record.ordersCount,
    historicalLtv: record.netRevenue,
    predictedClv: record.predictedClv12m,
    lastOrderAt: record.lastOrderAt?.toISOString() ?? null,
    probabilityAlive: record.probabilityAlive,
    rfmGroup: record.rfmGroup,
    valueTier: record.valueTier,
  };
}

/**
 * How many customers a segment holds (an index-only count on the segment's keyset index): for the
 * segment page when the shop's report has no figures for it yet.
 */
export async function countSegmentCustomers(query: Pick<CustomerListQuery, "shop" | "segment">): Promise<number> {
  const column = query.segment?.kind === "tier" ? `"valueTier"` : `"rfmGroup"`;
  const result = await pool.query<{ count: string }>(`SELECT count(*)::text AS count FROM "Customer" WHERE "shopDomain" = $1 AND ${column} = $2`, [
    query.shop,
    query.segment?.key ?? null,
  ]);
  return Number(result.rows[0]?.count ?? 0);
}

// ---------------------------------------------------------------------------------------------------
// CSV

/** The merchant's export: who the customer is (when Shopify shared it), then the CLI export's columns. */
// Kept here too: the suggestion page imports it from this module.
export { csvFilename } from "./csv";

export const CUSTOMER_LIST_CSV_COLUMNS = ["customer_id", "email", "first_name", "last_name", ...CUSTOMER_CSV_COLUMNS.slice(1)] as const;

const CSV_BATCH = 2000;

function csvLine(record: CustomerRecord, now: Date): string {
  const figures = customerCsvRow(
    {
      id: BigInt(record.id),
      ordersCount: record.ordersCount,
      netRevenue: money(record.netRevenue),
      grossSales: money(record.grossSales),
      refunds: money(record.refunds),
      firstOrderAt: record.firstOrderAt,
      lastOrderAt: record.lastOrderAt,
      averageOrderValue: record.averageOrderValue === null ? null : money(record.averageOrderValue),
      purchaseFrequency: record.purchaseFrequency,
      tenureDays: record.tenureDays,
      probabilityAlive: record.probabilityAlive,
      expectedPurchases12m: record.expectedPurchases12m,
      predictedClv12m: record.predictedClv12m === null ? null : money(record.predictedClv12m),
      rfmGroup: record.rfmGroup,
      valueTier: record.valueTier,
      churnRisk: record.churnRisk,
    },
    now,
  );
  const rest = figures.slice(figures.indexOf(",") + 1);
  return `${record.id},${csvText(record.email)},${csvText(record.firstName)},${csvText(record.lastName)},${rest}`;
}

/** Every customer of the query, in the list's order, a keyset batch at a time. */
export async function* customersInOrder(request: Omit<CustomerListQuery, "cursor" | "limit">, batchSize = CSV_BATCH): AsyncGenerator<CustomerRecord[]> {
  const query = { ...request, sort: appliedSort(request) };
  const search = parseSearch(query.search);
  // A search too short to use exports what the page shows: everyone.
  let from: (CursorPosition & { section: Section }) | null = null;
  for (;;) {
    const rows = await readRun(query, search, "next", from, batchSize);
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    from = { ...position(last), section: last.section };
  }
}

/**
 * The query's customers as a CSV download, streamed: one batch is read when the client has taken the
 * previous one, so a 500,000-customer segment never sits in memory.
 */
export function streamCustomersCsv(query: Omit<CustomerListQuery, "cursor" | "limit">, options: { filename: string; now?: Date }): Response {
  const now = options.now ?? new Date();
  const encoder = new TextEncoder();
  const batches = customersInOrder(query);
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${CUSTOMER_LIST_CSV_COLUMNS.join(",")}\n`));
        return;
      }
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map((record) => `${csvLine(record, now)}\n`).join("")));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${options.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
