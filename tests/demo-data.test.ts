// The demo store's data: UCI Online Retail rows become Shopify order and refund webhooks the worker
// accepts (prisma/demo/online-retail.ts). A small inline CSV in the file's own format, not the big file.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { demoWebhooks, planImport, signWebhookBody } from "../prisma/demo/import";
import {
  type DemoWebhook,
  type OrderWebhook,
  type RefundWebhook,
  type RetailRow,
  convertOnlineRetail,
  formatAmount,
  orderIdOf,
  parseAmount,
  webhookBody,
} from "../prisma/demo/online-retail";
import { ZOrderWebhook, ZRefundWebhook, parsePayload, parseWebhookBody, toOrderFacts, toRefund } from "~/shopify/webhook-payloads";
import { signBody } from "./support/webhooks";

const HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
const csv = (...lines: string[]) => [HEADER, ...lines].join("\n") + "\n";
const rowsOf = (text: string): RetailRow[] => parseCsv(text, { columns: true, skip_empty_lines: true });

// A customer (17850) buys twice and returns things twice; a guest buys once; the usual oddities.
const SHOP_DATA = csv(
  // 1 Dec 2010: customer 17850's first order — 6 × £2.55 + 8 × £2.75 + 3 × £0.10 = £37.60
  "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER ,6,2010-12-01 08:26:00,2.55,17850,United Kingdom",
  "536365,84406B,CREAM CUPID HEARTS COAT HANGER,8,2010-12-01 08:26:00,2.75,17850,United Kingdom",
  "536365,22633,HAND WARMER UNION JACK,3,2010-12-01 08:26:00,0.1,17850,United Kingdom",
  "536365,22632,FREE SAMPLE,1,2010-12-01 08:26:00,0.0,17850,United Kingdom",
  // a guest order (no CustomerID): 2 × £1.25 + 1 × £4.165 (three decimals, as in the file) = £6.665
  "536366,22633,HAND WARMER UNION JACK,2,2010-12-01 08:28:00,1.25,,United Kingdom",
  "536366,21777,RECIPE BOX WITH METAL HEART,1,2010-12-01 08:28:00,4.165,,United Kingdom",
  // a return by a customer who never ordered before, and one with no customer at all
  "C536367,22633,HAND WARMER UNION JACK,-1,2010-12-01 09:00:00,0.1,13047,United Kingdom",
  "C536368,POST,POSTAGE,-1,2010-12-01 09:01:00,18.0,,United Kingdom",
  // 2 Dec: stock adjustment, bad-debt adjustment, Amazon fee — none of them sales
  "536369,22139,RETROSPOT TEA SET CERAMIC 11 PC ,-12,2010-12-02 10:00:00,4.95,,United Kingdom",
  "A536370,B,Adjust bad debt,1,2010-12-02 10:05:00,11062.06,,United Kingdom",
  "536371,AMAZONFEE,AMAZON FEE,1,2010-12-02 10:10:00,13541.33,,United Kingdom",
  // 5 Dec: customer 17850's second order — 1 × £4.00
  "536380,21730,GLASS STAR FROSTED T-LIGHT HOLDER,1,2010-12-05 09:00:00,4.0,17850,United Kingdom",
  // 9 Dec: returns 10 hearts at £2.55 = £25.50 (to the first order, which holds 85123A, not to the
  // newer one) and 1 glass star (to the second order)
  "C536390,85123A,WHITE HANGING HEART T-LIGHT HOLDER ,-10,2010-12-09 11:00:00,2.55,17850,United Kingdom",
  "C536390,21730,GLASS STAR FROSTED T-LIGHT HOLDER,-1,2010-12-09 11:00:00,4.0,17850,United Kingdom",
  // 10 Dec: returns worth more than the first order has left: capped
  "C536391,84406B,CREAM CUPID HEARTS COAT HANGER,-20,2010-12-10 12:00:00,2.75,17850,United Kingdom",
  // 11 Dec (the last invoice): a new customer, rows of two invoices interleaved as in the file
  "536400,22728,ALARM CLOCK BAKELIKE PINK,2,2010-12-11 12:50:00,3.75,12583,France",
  "536401,22727,ALARM CLOCK BAKELIKE RED ,1,2010-12-11 12:50:00,3.75,12662,Germany",
  "536400,22726,ALARM CLOCK BAKELIKE GREEN,1,2010-12-11 12:51:00,3.75,12583,France",
);

const NOW = new Date("2026-11-25T18:00:00Z");

const orders = (webhooks: DemoWebhook[]) => webhooks.filter((w): w is OrderWebhook => w.topic === "orders/create");
const refunds = (webhooks: DemoWebhook[]) => webhooks.filter((w): w is RefundWebhook => w.topic === "refunds/create");
/** What the worker makes of the body: the same parsing and validation as app/jobs/process-webhook.server.ts. */
const workerOrder = (w: DemoWebhook) => toOrderFacts(parsePayload(ZOrderWebhook, parseWebhookBody(webhookBody(w))));
const workerRefund = (w: DemoWebhook) => toRefund(parsePayload(ZRefundWebhook, parseWebhookBody(webhookBody(w))));

describe("UCI Online Retail rows as Shopify webhooks", () => {
  const { webhooks, counts } = convertOnlineRetail(rowsOf(SHOP_DATA), { now: NOW });

  it("make one order per invoice, totals exact to the penny, in the shape the worker accepts", () => {
    const first = orders(webhooks).find((order) => order.invoiceNo === "536365")!;
    const facts = workerOrder(first);
    expect(first.total).toBe("37.60");
    expect(facts.totalPrice.toString()).toBe("37.6");
    expect(facts.id).toBe(500_000_000_000_536_365n);
    expect(facts.customerId).toBe(17850n);
    expect(facts.currency).toBe("GBP");
    expect(facts.financialStatus).toBe("paid");
    expect(facts.sourceName).toBe("web");
    expect(facts.lineItems.map((line) => [line.sku, line.title, line.quantity, line.amount.toString()])).toEqual([
      ["85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6, "15.3"],
      ["84406B", "CREAM CUPID HEARTS COAT HANGER", 8, "22"],
      ["22633", "HAND WARMER UNION JACK", 3, "0.3"],
    ]);
    // 18-digit ids are written as exact integers, never rounded through a double.
    expect(webhookBody(first)).toContain('"id":500000000000536365');
    for (const line of facts.lineItems) expect(line.productId! < 2n ** 63n && line.id < 2n ** 63n).toBe(true);
    // The same stock code is the same product in every order.
    const guest = orders(webhooks).find((order) => order.invoiceNo === "536366")!;
    expect(workerOrder(guest).lineItems[0]!.productId).toBe(facts.lineItems[2]!.productId);
  });

  it("make an invoice without a CustomerID a guest order", () => {
    const guest = orders(webhooks).find((order) => order.invoiceNo === "536366")!;
    expect(guest.customerId).toBeNull();
    expect(workerOrder(guest).customer).toBeNull();
    expect(guest.total).toBe("6.665");
    expect(counts.orders).toBe(5);
    expect(counts.guestOrders).toBe(1);
  });

  it("join the rows of one invoice even when another invoice's rows come between them", () => {
    const order = orders(webhooks).find((o) => o.invoiceNo === "536400")!;
    expect(workerOrder(order).lineItems.map((line) => line.sku)).toEqual(["22728", "22726"]);
    expect(order.total).toBe("11.25");
  });

  it("refund a return on the customer's earlier order that holds the product, never more than it has left", () => {
    const [hearts, star, capped] = refunds(webhooks);
    // C536390: the hearts go back to the first order (it holds 85123A), the star to the second.
    expect(hearts!.invoiceNo).toBe("C536390");
    expect(hearts!.orderId).toBe(orderIdOf("536365"));
    expect(hearts!.amount).toBe("25.50");
    expect(star!.orderId).toBe(orderIdOf("536380"));
    expect(star!.amount).toBe("4.00");
    // C536391: 20 × £2.75 = £55.00 returned, but the first order has only £37.60 − £25.50 = £12.10 left.
    expect(capped!.invoiceNo).toBe("C536391");
    expect(capped!.orderId).toBe(orderIdOf("536365"));
    expect(capped!.amount).toBe("12.10");
    expect(counts.cappedReturnRows).toBe(1);
    expect(counts.unrefundedReturns).toBe("42.90");
    expect(counts.refunds).toBe(3);
    expect(counts.refunded).toBe("41.60");

    const facts = workerRefund(capped!);
    expect(facts.orderId).toBe(orderIdOf("536365"));
    expect(facts.transactionsAmount.toString()).toBe("12.1");
    // The refund names the returned line of the order.
    expect((capped!.payload.refund_line_items as Array<{ line_item_id: bigint }>)[0]!.line_item_id).toBe(
      workerOrder(orders(webhooks)[0]!).lineItems[1]!.id,
    );
    // Refunds come after the orders they refund.
    const position = (w: DemoWebhook) => webhooks.indexOf(w);
    expect(position(hearts!)).toBeGreaterThan(webhooks.findIndex((w) => w.id === orderIdOf("536380")));
  });

  it("move every date by whole days so that the last invoice is today, keeping the time of day", () => {
    const last = orders(webhooks).find((order) => order.invoiceNo === "536400")!;
    expect(last.createdAt).toBe("2026-11-25T12:50:00+00:00");
    const first = workerOrder(orders(webhooks)[0]!);
    expect(first.processedAt.toISOString()).toBe("2026-11-15T08:26:00.000Z");
    expect(first.createdAt.toISOString()).toBe(first.processedAt.toISOString());
    expect(first.updatedAt.toISOString()).toBe(first.processedAt.toISOString());
    expect(workerRefund(refunds(webhooks)[0]!).createdAt.toISOString()).toBe("2026-11-23T11:00:00.000Z");
  });

  it("never place an order in the future: earlier today, the last invoice is at the current time", () => {
    const morning = new Date("2026-11-25T09:30:00Z");
    const early = convertOnlineRetail(rowsOf(SHOP_DATA), { now: morning });
    const last = orders(early.webhooks).find((order) => order.invoiceNo === "536400")!;
    expect(last.createdAt).toBe("2026-11-25T09:30:00+00:00");
    expect(orders(early.webhooks)[0]!.createdAt).toBe("2026-11-15T08:26:00+00:00");
  });

  it("count every row it does not send, by reason", () => {
    expect(counts.rows).toBe(18);
    expect(counts.skippedRows).toEqual({
      price_not_positive: 1,
      stock_adjustment: 1,
      accounting_entry: 2,
      return_without_customer: 1,
      return_without_earlier_order: 1,
      return_nothing_left: 0,
      return_not_negative: 0,
      late_row: 0,
    });
    const sent = counts.lineItems + counts.returnRows;
    const skipped = Object.values(counts.skippedRows).reduce((a, b) => a + b, 0);
    expect(sent + skipped).toBe(counts.rows);
  });

  it("skip a return when everything the customer bought is already refunded", () => {
    const { counts: more } = convertOnlineRetail(
      rowsOf(csv(
        "536500,22633,HAND WARMER UNION JACK,1,2010-12-01 08:00:00,2.0,14000,United Kingdom",
        "C536501,22633,HAND WARMER UNION JACK,-1,2010-12-01 09:00:00,2.0,14000,United Kingdom",
        "C536502,22633,HAND WARMER UNION JACK,-1,2010-12-01 10:00:00,2.0,14000,United Kingdom",
      )),
      { now: NOW },
    );
    expect(more.refunds).toBe(1);
    expect(more.skippedRows.return_nothing_left).toBe(1);
  });

  it("import only the first orders with maxOrders, with the returns among them", () => {
    const { webhooks: few, counts: fewCounts } = convertOnlineRetail(rowsOf(SHOP_DATA), { now: NOW, maxOrders: 2 });
    expect(orders(few).map((order) => order.invoiceNo)).toEqual(["536365", "536366"]);
    expect(fewCounts.orders).toBe(2);
    expect(fewCounts.refunds).toBe(0);
    // The returns between them were read (and skipped) — nothing after the third order was.
    expect(fewCounts.skippedRows.return_without_customer).toBe(1);
    expect(fewCounts.skippedRows.stock_adjustment).toBe(1);
    expect(fewCounts.rows).toBe(11);
  });

  it("add money exactly", () => {
    expect(formatAmount(parseAmount("0.1") * 3n + parseAmount("0.2") * 3n)).toBe("0.90");
    expect(formatAmount(parseAmount("4.165"))).toBe("4.165");
    expect(formatAmount(parseAmount("13541.33"))).toBe("13541.33");
    expect(() => parseAmount("1.23456")).toThrow();
  });
});

describe("the gzipped CSV, streamed", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tenure-demo-"));
  const csvPath = path.join(dir, "online_retail.csv.gz");
  writeFileSync(csvPath, gzipSync(SHOP_DATA));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives the same webhooks as the rows in memory, after a first pass that finds the last date", async () => {
    const plan = await planImport({ csvPath, now: NOW });
    expect(new Date(plan.lastInvoiceAt).toISOString()).toBe("2010-12-11T12:51:00.000Z");
    const streamed: DemoWebhook[] = [];
    for await (const webhook of demoWebhooks({ csvPath, now: NOW, shiftMs: plan.shiftMs })) streamed.push(webhook);
    const inMemory = convertOnlineRetail(rowsOf(SHOP_DATA), { now: NOW });
    expect(streamed.map(webhookBody)).toEqual(inMemory.webhooks.map(webhookBody));
    expect(plan.counts).toEqual(inMemory.counts);
  });

  it("knows from the first pass how many orders a limited import sends", async () => {
    const plan = await planImport({ csvPath, now: NOW, maxOrders: 3 });
    expect(plan.counts.orders).toBe(3);
    // The shift still puts the file's last invoice (not the last one imported) on today.
    expect(plan.shiftMs).toBe(Date.UTC(2026, 10, 25) - Date.UTC(2010, 11, 11));
  });

  it("signs bodies exactly as Shopify does (the same HMAC the integration tests send)", () => {
    const body = webhookBody(convertOnlineRetail(rowsOf(SHOP_DATA), { now: NOW }).webhooks[0]!);
    expect(signWebhookBody(body, "tenure-test-client-secret")).toBe(signBody(body, "tenure-test-client-secret"));
  });
});
