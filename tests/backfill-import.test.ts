// The order-history backfill, from a bulk-operation result file to customers' figures in PostgreSQL,
// alongside the webhooks that keep arriving while it runs.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { pool } from "~/pg.server";
import { money } from "~/ltv/money";
import { IMPORT_TUNING, importBulkResult, linesOf } from "~/backfill/import-bulk-result.server";
import { applyOrderEvents, recomputeCustomers } from "~/orders/apply-order-events.server";
import { recomputeShopCustomers } from "~/orders/recompute-shop-customers.server";
import { storedLineItems } from "~/orders/line-items";
import { importOrdersIn } from "~/orders/import-orders.server";
import { BulkOrderAssembler, type ImportedOrder } from "~/backfill/bulk-orders";
import { applyOrderDeletion, versionHashOf } from "~/orders/store.server";
import { parsePayload, parseWebhookBody, toOrderFacts, toRefund, ZOrderWebhook, ZRefundWebhook } from "~/shopify/webhook-payloads";
import { generateBulkResult } from "../bench/generate-bulk-jsonl";
import { orderPayload, refundPayload, toJson } from "./support/orders";


const defaults = { ...IMPORT_TUNING };
afterEach(() => Object.assign(IMPORT_TUNING, defaults));
afterAll(async () => {
  await prisma.$disconnect();
});

async function generatedHistory(orders: number, seed: number): Promise<string[]> {
  let text = "";
  await generateBulkResult({ orders, seed, write: async (chunk) => void (text += chunk) });
  return text.split("\n").filter((line) => line !== "");
}

async function* linesFrom(lines: readonly string[], before?: (index: number) => Promise<void>): AsyncIterable<string> {
  for (const [index, line] of lines.entries()) {
    await before?.(index);
    yield line;
  }
}

async function importLines(shop: string, lines: readonly string[], options: { skipLines?: number; onCheckpoint?: (linesCommitted: number) => Promise<void> } = {}) {
  return importBulkResult({ shop, lines: linesFrom(lines), skipLines: options.skipLines ?? 0, onCheckpoint: async (p) => options.onCheckpoint?.(p.linesCommitted) });
}

/** Each customer's expected figures from the file itself, in integer cents: counted orders, net of refunds. */
function expectedPerCustomer(lines: readonly string[]): Map<string, { orders: number; netCents: bigint }> {
  const toCents = (amount: string) => BigInt(Math.round(Number(amount) * 100)); // whole cents in, exact out
  const figures = new Map<string, { orders: number; netCents: bigint }>();
  for (const line of lines) {
    const order = JSON.parse(line);
    if (order.__parentId || !order.customer) continue;
    const customerId = order.customer.id.split("/").pop();
    const entry = figures.get(customerId) ?? { orders: 0, netCents: 0n };
    figures.set(customerId, entry);
    if (order.test || order.cancelledAt) continue;
    const total = toCents(order.totalPriceSet.shopMoney.amount);
    const rate = Number(order.totalPriceSet.presentmentMoney.amount) / Number(order.totalPriceSet.shopMoney.amount);
    const refunded = order.refunds.reduce((sum: bigint, refund: { totalRefundedSet: { presentmentMoney: { amount: string } } }) => sum + toCents(String(Number(refund.totalRefundedSet.presentmentMoney.amount) / rate)), 0n);
    entry.orders += 1;
    entry.netCents += total - refunded;
  }
  return figures;
}

async function lineItemCount(shop: string): Promise<number> {
  const { rows } = await pool.query<{ lines: string }>(`SELECT COALESCE(sum(json_array_length("lineItems")), 0) AS lines FROM "Order" WHERE "shopDomain" = $1`, [shop]);
  return Number(rows[0]!.lines);
}

async function lineItemsOf(shop: string, orderId: bigint) {
  const order = await prisma.order.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id: orderId } }, select: { lineItems: true } });
  return storedLineItems(order.lineItems);
}

async function customerFigures(shop: string) {
  const customers = await prisma.customer.findMany({ where: { shopDomain: shop }, orderBy: { id: "asc" } });
  return new Map(customers.map((c) => [c.id.toString(), { orders: c.ordersCount, netCents: BigInt(c.netRevenue.times(100).toFixed(0)) }]));
}

/** Everything the import writes for a shop, as text: equal snapshots mean nothing changed. */
async function snapshot(shop: string) {
  const { rows } = await pool.query<{ orders: string; lines: string; refunds: string; customers: string }>(
    `SELECT (SELECT md5(string_agg(concat_ws('|', id, "customerId", "totalPrice", refunded, "versionHash", "shopifyUpdatedAt", "storedAt", "financialStatus", "cancelledAt", test), ',' ORDER BY id)) FROM "Order" WHERE "shopDomain" = $1) AS orders,
            (SELECT md5(string_agg("lineItems"::text, ',' ORDER BY id)) FROM "Order" WHERE "shopDomain" = $1) AS lines,
            (SELECT md5(string_agg(concat_ws('|', id, "orderId", "transactionsAmount"), ',' ORDER BY id)) FROM "Refund" WHERE "shopDomain" = $1) AS refunds,
            (SELECT md5(string_agg(concat_ws('|', id, email, "ordersCount", "netRevenue", "firstOrderAt", "lastOrderAt", "figuresUpdatedAt"), ',' ORDER BY id)) FROM "Customer" WHERE "shopDomain" = $1) AS customers`,
    [shop],
  );
  return rows[0]!;
}

/** A webhook delivery of an order version, applied as the worker applies it. */
async function deliverWebhook(shop: string, spec: Parameters<typeof orderPayload>[0]) {
  const body = toJson(orderPayload(spec));
  const order = toOrderFacts(parsePayload(ZOrderWebhook, parseWebhookBody(body)));
  return applyOrderEvents([{ kind: "order", shop, order, versionHash: versionHashOf(body) }]);
}

const bulkOrder = (id: bigint, customerId: bigint | null, total: string, updatedAt: string) =>
  JSON.stringify({
    id: `gid://shopify/Order/${id}`,
    name: `#${id % 10_000n}`,
    createdAt: "2026-05-01T10:00:00Z",
    processedAt: "2026-05-01T10:00:00Z",
    updatedAt,
    cancelledAt: null,
    test: false,
    currencyCode: "EUR",
    presentmentCurrencyCode: "EUR",
    displayFinancialStatus: "PAID",
    sourceName: "web",
    discountCodes: [],
    totalPriceSet: { shopMoney: { amount: total, currencyCode: "EUR" }, presentmentMoney: { amount: total, currencyCode: "EUR" } },
    subtotalPriceSet: { shopMoney: { amount: total } },
    totalDiscountsSet: { shopMoney: { amount: "0.00" } },
    totalTaxSet: { shopMoney: { amount: "0.00" } },
    totalShippingPriceSet: { shopMoney: { amount: "0.00" } },
    customer: customerId === null ? null : { id: `gid://shopify/Customer/${customerId}`, email: null, firstName: "Ada", lastName: "Lovelace", updatedAt: null },
    refunds: [],
  });
const bulkLineItem = (id: bigint, orderId: bigint, amount: string) =>
  JSON.stringify({
    id: `gid://shopify/LineItem/${id}`,
    sku: "MUG",
    title: "Ceramic mug",
    quantity: 1,
    product: { id: "gid://shopify/Product/7001" },
    variant: null,
    discountedTotalSet: { shopMoney: { amount } },
    __parentId: `gid://shopify/Order/${orderId}`,
  });

describe("a merchant installs Tenure with three years of history", () => {
  it("every customer ends with the net revenue and order count of their counted orders, to the cent", async () => {
    const shop = "history.myshopify.com";
    const lines = await generatedHistory(3_000, 7);
    const result = await importLines(shop, lines);
    expect(result).toMatchObject({ linesRead: lines.length, ordersImported: 3_000, malformedLines: 0 });
    const expected = expectedPerCustomer(lines);
    expect(expected.size).toBeGreaterThan(500);
    expect(await customerFigures(shop)).toEqual(expected);
    expect(await lineItemCount(shop)).toBe(lines.filter((line) => line.includes("__parentId")).length);
  });

  it("importing the same file again changes nothing, not even a timestamp", async () => {
    const shop = "twice.myshopify.com";
    const lines = await generatedHistory(1_500, 11);
    await importLines(shop, lines);
    const first = await snapshot(shop);
    await importLines(shop, lines);
    expect(await snapshot(shop)).toEqual(first);
  });

  it("an import interrupted after a checkpoint and resumed from it ends exactly as one that ran through", async () => {
    IMPORT_TUNING.windowOrders = 50;
    IMPORT_TUNING.batchOrders = 300; // several checkpoints in 2,000 orders
    const lines = await generatedHistory(2_000, 13);
    await importLines("uninterrupted.myshopify.com", lines);

    const shop = "interrupted.myshopify.com";
    let committed = 0;
    let checkpoints = 0;
    await expect(
      importLines(shop, lines, {
        onCheckpoint: async (linesCommitted) => {
          expect(linesCommitted).toBeGreaterThanOrEqual(committed);
          committed = linesCommitted;
          checkpoints += 1;
          if (checkpoints === 4) throw new Error("the worker was stopped");
        },
      }),
    ).rejects.toThrow("the worker was stopped");
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(lines.length);
    const resumed = await importLines(shop, lines, { skipLines: committed });
    expect(resumed.linesRead).toBe(lines.length);

    const [a, b] = await Promise.all([snapshot("uninterrupted.myshopify.com"), snapshot(shop)]);
    expect({ ...b, orders: undefined, customers: undefined }).toEqual({ ...a, orders: undefined, customers: undefined });
    expect(await customerFigures(shop)).toEqual(await customerFigures("uninterrupted.myshopify.com"));
    const versions = async (s: string) => (await prisma.order.findMany({ where: { shopDomain: s }, orderBy: { id: "asc" }, select: { id: true, totalPrice: true, refunded: true } })).map((o) => `${o.id} ${o.totalPrice} ${o.refunded}`);
    expect(await versions(shop)).toEqual(await versions("uninterrupted.myshopify.com"));
  });
});

describe("webhooks keep arriving while the history imports", () => {
  const customer = 6_100_000_000_000_000_001n;
  const edited = 6_100_000_000_000_000_101n;
  const other = 6_100_000_000_000_000_102n;

  it("a newer edit delivered mid-import is kept over the file's older copy, and a late, older delivery changes nothing", async () => {
    const shop = "busy.myshopify.com";
    // The file was written before the merchant edited order `edited` from €50.00 to €80.00.
    const lines = [
      bulkOrder(other, customer, "20.00", "2026-05-01T12:00:00Z"),
      bulkLineItem(1n, other, "20.00"),
      bulkOrder(edited, customer, "50.00", "2026-05-01T12:00:00Z"),
      bulkLineItem(2n, edited, "50.00"),
    ];
    await importBulkResult({
      shop,
      lines: linesFrom(lines, async (index) => {
        if (index === 1)
          await deliverWebhook(shop, { id: edited, customerId: customer, total: "80.00", createdAt: "2026-05-01T10:00:00Z", updatedAt: "2026-05-02T09:00:00Z" });
      }),
      skipLines: 0,
      onCheckpoint: async () => undefined,
    });
    const figures = await prisma.customer.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id: customer } } });
    expect(figures.netRevenue.toFixed(2)).toBe("100.00"); // €80.00 + €20.00
    expect(figures.ordersCount).toBe(2);
    const lineItems = await lineItemsOf(shop, edited);
    expect(lineItems.map((l) => money(l.amount).toFixed(2))).toEqual(["80.00"]); // the webhook's line, not the file's

    // Shopify re-delivers an orders/create from before the import: older than the imported copy.
    const outcome = await deliverWebhook(shop, { id: other, customerId: customer, total: "5.00", createdAt: "2026-05-01T10:00:00Z", updatedAt: "2026-05-01T10:00:00Z" });
    expect(outcome).toEqual(["stale"]);
    const after = await prisma.customer.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id: customer } } });
    expect(after.netRevenue.toFixed(2)).toBe("100.00");
  });
});

describe("line items far from their order", () => {
  it("still attach after the order has been written, but never to a newer webhook version or to nothing", async () => {
    IMPORT_TUNING.windowOrders = 2;
    const shop = "scattered.myshopify.com";
    const guest = null;
    const ids = [1n, 2n, 3n, 4n, 5n, 6n].map((n) => 6_200_000_000_000_000_000n + n);
    const [first, second, ...rest] = ids as [bigint, bigint, ...bigint[]];
    const lines = [
      bulkOrder(first, guest, "30.00", "2026-05-01T12:00:00Z"),
      bulkOrder(second, guest, "40.00", "2026-05-01T12:00:00Z"),
      ...rest.map((id) => bulkOrder(id, guest, "10.00", "2026-05-01T12:00:00Z")),
      bulkLineItem(11n, first, "30.00"), // four orders later: `first` left the window long ago
      bulkLineItem(21n, second, "40.00"), // `second` was edited by a webhook meanwhile
      bulkLineItem(99n, 6_299_000_000_000_000_000n, "9.00"), // an order the file never had
    ];
    await importBulkResult({
      shop,
      lines: linesFrom(lines, async (index) => {
        if (index === 7) await deliverWebhook(shop, { id: second, customerId: null, total: "45.00", createdAt: "2026-05-01T10:00:00Z", updatedAt: "2026-05-03T09:00:00Z", lineItems: [{ id: 22n, productId: 7001n, title: "Teapot", quantity: 1, price: "45.00" }] });
      }),
      skipLines: 0,
      onCheckpoint: async () => undefined,
    });
    const lineIds = async (orderId: bigint) => (await lineItemsOf(shop, orderId)).map((l) => l.id);
    expect(await lineIds(first)).toEqual(["11"]);
    expect(await lineIds(second)).toEqual(["22"]);
    const orphan = await prisma.failedJob.findFirstOrThrow({ where: { shopDomain: shop, topic: "BULK_IMPORT" } });
    expect(orphan.reason).toMatch(/line 9: line item of order 6299000000000000000, which is not in the result/);
    expect(orphan.rawBody).toBe(lines[8]);
  });
});

describe("a result file with a broken line", () => {
  it("records the line with its reason and body, imports the rest, and does not record it twice on a second pass", async () => {
    const shop = "broken.myshopify.com";
    const good = 6_300_000_000_000_000_001n;
    const lines = [bulkOrder(good, 6_300_000_000_000_000_900n, "12.50", "2026-05-01T12:00:00Z"), '{"id":"gid://shopify/Order/1","totalPriceSet":', bulkLineItem(31n, good, "12.50")];
    const result = await importLines(shop, lines);
    expect(result).toMatchObject({ linesRead: 3, ordersImported: 1, malformedLines: 1 });
    const failures = await prisma.failedJob.findMany({ where: { shopDomain: shop } });
    expect(failures.map((f) => [f.topic, f.rawBody, f.attempts])).toEqual([["BULK_IMPORT", lines[1], 1]]);
    expect(failures[0]!.reason).toMatch(/^line 2: line is not valid JSON/);
    const customer = await prisma.customer.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id: 6_300_000_000_000_000_900n } } });
    expect(customer.netRevenue.toFixed(2)).toBe("12.50");

    await importLines(shop, lines);
    expect(await prisma.failedJob.count({ where: { shopDomain: shop } })).toBe(1);
  });

  it("reads a file stream line by line, whatever the chunks cut: lines, CRLF, or a character in two", async () => {
    const { Readable } = await import("node:stream");
    const euro = Buffer.from("€"); // three bytes
    const chunks = [
      Buffer.from('{"a":1}\n{"b"'),
      Buffer.from(':2}\r\n\n{"c":"'),
      euro.subarray(0, 1),
      Buffer.concat([euro.subarray(1), Buffer.from('"}\r')]),
      Buffer.from('\n{"d":4}'),
    ];
    const read: string[] = [];
    for await (const lines of linesOf(Readable.from(chunks))) read.push(...lines);
    expect(read).toEqual(['{"a":1}', '{"b":2}', "", '{"c":"€"}', '{"d":4}']);
    const web = new Blob([Buffer.from('{"e":5}\n{"f":6}\n')]).stream();
    const fromWeb: string[] = [];
    for await (const lines of linesOf(web)) fromWeb.push(...lines);
    expect(fromWeb).toEqual(['{"e":5}', '{"f":6}']);
  });
});

/** Every customer's stored figures, as text. */
async function figureRows(shop: string): Promise<string[]> {
  const { rows } = await pool.query<{ row: string }>(
    `SELECT concat_ws('|', id, "ordersCount", "grossSales", refunds, "netRevenue", "averageOrderValue", "firstOrderAt", "lastOrderAt",
                      "tenureDays", "purchaseFrequency") AS row
     FROM "Customer" WHERE "shopDomain" = $1 ORDER BY id`,
    [shop],
  );
  return rows.map((r) => r.row);
}

/** The figures the webhook path's exact per-customer recomputation (computeCustomerFigures) gives from the stored facts. */
async function exactFigureRows(shop: string): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: string }>(`SELECT id::text AS id FROM "Customer" WHERE "shopDomain" = $1`, [shop]);
    await recomputeCustomers(client, rows.map((r) => ({ shop, id: BigInt(r.id) })));
    const { rows: figures } = await client.query<{ row: string }>(
      `SELECT concat_ws('|', id, "ordersCount", "grossSales", refunds, "netRevenue", "averageOrderValue", "firstOrderAt", "lastOrderAt",
                        "tenureDays", "purchaseFrequency") AS row
       FROM "Customer" WHERE "shopDomain" = $1 ORDER BY id`,
      [shop],
    );
    return figures.map((r) => r.row);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

describe("customers are recomputed once, after the import's last batch", () => {
  it("a run stopped after its last checkpoint, before the recomputation, is finished exactly by the resumed run", async () => {
    IMPORT_TUNING.batchOrders = 200;
    const shop = "stopped-at-the-end.myshopify.com";
    const lines = await generatedHistory(1_000, 17);
    await expect(
      importLines(shop, lines, {
        onCheckpoint: async (linesCommitted) => {
          if (linesCommitted === lines.length) throw new Error("the worker was stopped");
        },
      }),
    ).rejects.toThrow("the worker was stopped");
    // Batches write facts only: the figures are not there yet.
    expect(await customerFigures(shop)).not.toEqual(expectedPerCustomer(lines));
    const resumed = await importLines(shop, lines, { skipLines: lines.length });
    expect(resumed).toMatchObject({ linesRead: lines.length, ordersImported: 0, malformedLines: 0 });
    expect(await customerFigures(shop)).toEqual(expectedPerCustomer(lines));
    expect(await figureRows(shop)).toEqual(await exactFigureRows(shop));
  });

  it("gives what computeCustomerFigures gives, on random histories with moves, ties, cancellations, tests, deletions and refunds", async () => {
    let seed = 99;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    for (const round of [1, 2, 3]) {
      const shop = `random-history-${round}.myshopify.com`;
      const customers = Array.from({ length: 25 }, (_, i) => 6_300_000_000_000_000_000n + BigInt(i) * 7n);
      const orderIds = Array.from({ length: 120 }, (_, i) => 6_310_000_000_000_000_000n + BigInt(i));
      const days = ["2025-01-01T00:00:00Z", "2025-01-01T00:00:00.001Z", "2025-03-05T11:22:33.456Z", "2025-07-14T08:00:00Z", "2026-02-28T23:59:59.999Z"];
      for (let step = 0; step < 300; step += 1) {
        const id = pick(orderIds);
        const roll = random();
        if (roll < 0.05) {
          await applyOrderDeletion({ shop, orderId: id });
        } else if (roll < 0.2) {
          const body = toJson(refundPayload({ id: 6_320_000_000_000_000_000n + BigInt(step) * 4n, orderId: id, amount: (random() * 30).toFixed(2), createdAt: "2026-03-01T00:00:00Z" }));
          await applyOrderEvents([{ kind: "refund", shop, refund: toRefund(parsePayload(ZRefundWebhook, parseWebhookBody(body))) }]);
        } else {
          const when = pick(days);
          await deliverWebhook(shop, {
            id,
            customerId: random() < 0.1 ? null : pick(customers),
            total: (random() * 300).toFixed(2),
            createdAt: when,
            processedAt: when,
            updatedAt: new Date(Date.UTC(2026, 0, 1) + step * 1000).toISOString(),
            cancelledAt: random() < 0.1 ? "2026-01-02T00:00:00Z" : null,
            test: random() < 0.05,
          });
        }
      }
      const exact = await figureRows(shop);
      expect(exact).toEqual(await exactFigureRows(shop));
      await pool.query(`UPDATE "Customer" SET "ordersCount" = 0, "grossSales" = 0, refunds = 0, "netRevenue" = 0, "averageOrderValue" = NULL,
                          "firstOrderAt" = NULL, "lastOrderAt" = NULL, "tenureDays" = NULL, "purchaseFrequency" = NULL WHERE "shopDomain" = $1`, [shop]);
      await recomputeShopCustomers(shop, 4); // small chunks: many chunk boundaries
      expect(await figureRows(shop)).toEqual(exact);
    }
  });
});

describe("a burst of webhooks for the import's own customers while it runs", () => {
  it("neither deadlocks nor loses an update: every figure is exact at the end", async () => {
    IMPORT_TUNING.batchOrders = 100;
    const shop = "burst.myshopify.com";
    const lines = await generatedHistory(1_500, 23);
    const fileOrders = lines.filter((line) => !line.includes("__parentId")).map((line) => JSON.parse(line) as { id: string; customer: { id: string } | null });
    const withCustomer = fileOrders.filter((o) => o.customer !== null);
    const idOf = (gid: string) => BigInt(gid.split("/").pop()!);
    const bursts: Promise<unknown>[] = [];
    const edited = new Map<bigint, string>();
    await importBulkResult({
      shop,
      lines: linesFrom(lines, async (index) => {
        if (index % 150 !== 0) return;
        // Not awaited: several multi-event webhook batches run alongside the import's batches.
        const events = Array.from({ length: 6 }, (_, k) => {
          const source = withCustomer[(index * 7 + k * 131) % withCustomer.length]!;
          const customerId = idOf(source.customer!.id);
          const isEdit = k % 2 === 0;
          const id = isEdit ? idOf(source.id) : 6_400_000_000_000_000_000n + BigInt(index * 10 + k);
          const total = `${(index % 97) + k}.25`;
          if (isEdit) edited.set(id, total);
          const body = toJson(orderPayload({ id, customerId, total, createdAt: "2026-06-01T10:00:00Z", updatedAt: "2030-01-01T00:00:00Z" }));
          return { kind: "order" as const, shop, order: toOrderFacts(parsePayload(ZOrderWebhook, parseWebhookBody(body))), versionHash: versionHashOf(body) };
        });
        bursts.push(applyOrderEvents(events));
      }),
      skipLines: 0,
      onCheckpoint: async () => undefined,
    });
    await Promise.all(bursts);
    expect(bursts.length).toBeGreaterThan(20);
    // Webhook versions are newer than the file's: they are what is stored, whichever landed first.
    for (const [id, total] of edited) {
      const order = await prisma.order.findUniqueOrThrow({ where: { shopDomain_id: { shopDomain: shop, id } } });
      expect(order.totalPrice.toFixed(2)).toBe(total);
    }
    // Webhooks that landed after the last chunk recomputed their own customers; all are exact.
    expect(await figureRows(shop)).toEqual(await exactFigureRows(shop));
    expect(await prisma.order.count({ where: { shopDomain: shop } })).toBe(fileOrders.length + bursts.length * 3);
  });
});

describe("the staging tables of a connection", () => {
  it("are there again for the next batch after a batch that created them rolled back", async () => {
    const shop = "rolled-back.myshopify.com";
    const orders: ImportedOrder[] = [];
    const assembler = new BulkOrderAssembler({ windowOrders: 10, rememberedOrders: 10 }, { order: (o) => orders.push(o), late: () => undefined, malformed: () => undefined });
    (await generatedHistory(30, 31)).forEach((line, index) => assembler.push(index, line));
    assembler.finish();
    const client = await pool.connect();
    try {
      await client.query("DISCARD TEMP"); // a connection that never staged anything
      await client.query("BEGIN");
      await importOrdersIn(client, { shop, orders, lateLineItems: [] });
      await client.query("ROLLBACK");
      await client.query("BEGIN");
      const outcome = await importOrdersIn(client, { shop, orders, lateLineItems: [] });
      await client.query("COMMIT");
      expect(outcome.stored).toBe(30);
    } finally {
      client.release();
    }
    expect(await prisma.order.count({ where: { shopDomain: shop } })).toBe(30);
  });
});
