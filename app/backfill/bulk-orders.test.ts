import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { moneyRefunded } from "~/ltv/order-facts";
import { parsePayload, toOrderFacts as webhookOrderFacts, ZOrderWebhook } from "~/shopify/webhook-payloads";
import {
  BulkLineError,
  BulkOrderAssembler,
  type ImportedOrder,
  type LateLineItem,
  type MalformedLine,
  bulkVersionHash,
  parseBulkLine,
  RecentVersions,
} from "./bulk-orders";

const fixtureLines = (name: string) =>
  readFileSync(new URL(`../../tests/fixtures/shopify/bulk/${name}`, import.meta.url), "utf8").split("\n").filter((line) => line !== "");

function assemble(lines: readonly string[], options = { windowOrders: 100, rememberedOrders: 100 }) {
  const orders: ImportedOrder[] = [];
  const late: LateLineItem[] = [];
  const malformed: MalformedLine[] = [];
  const assembler = new BulkOrderAssembler(options, { order: (o) => orders.push(o), late: (l) => late.push(l), malformed: (m) => malformed.push(m) });
  lines.forEach((line, index) => assembler.push(index, line));
  assembler.finish();
  return { orders, late, malformed, assembler };
}

const orderLine = (id: string, fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    createdAt: "2026-03-01T10:00:00Z",
    processedAt: "2026-03-01T10:00:00Z",
    updatedAt: "2026-03-02T10:00:00Z",
    cancelledAt: null,
    test: false,
    currencyCode: "EUR",
    presentmentCurrencyCode: "EUR",
    displayFinancialStatus: "PAID",
    sourceName: "web",
    discountCodes: [],
    totalPriceSet: { shopMoney: { amount: "30.00", currencyCode: "EUR" }, presentmentMoney: { amount: "30.00", currencyCode: "EUR" } },
    subtotalPriceSet: { shopMoney: { amount: "30.00" } },
    totalDiscountsSet: { shopMoney: { amount: "0.00" } },
    totalTaxSet: { shopMoney: { amount: "0.00" } },
    totalShippingPriceSet: { shopMoney: { amount: "0.00" } },
    customer: { id: "gid://shopify/Customer/900", email: null, firstName: "Grace", lastName: "Hopper", updatedAt: null },
    refunds: [],
    ...fields,
  });
const lineItemLine = (id: string, orderId: string, amount = "10.00") =>
  JSON.stringify({
    id: `gid://shopify/LineItem/${id}`,
    sku: null,
    title: "Tea towel",
    quantity: 1,
    product: null,
    variant: null,
    discountedTotalSet: { shopMoney: { amount } },
    __parentId: `gid://shopify/Order/${orderId}`,
  });

describe("Shopify's public bulk result sample (another app's field selection)", () => {
  const sample = fixtureLines("orders_bulk_query_result_sample.jsonl");

  it("is refused line by line with the missing fields named, never a crash", () => {
    const { orders, late, malformed } = assemble(sample);
    expect(orders).toEqual([]);
    expect(late).toEqual([]);
    expect(malformed.map((m) => m.line)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(malformed[0]!.reason).toMatch(/createdAt/);
    expect(malformed[0]!.reason).toMatch(/totalPriceSet/);
    expect(malformed[1]!.reason).toMatch(/discountedTotalSet/);
    expect(malformed[1]!.text).toBe(sample[1]);
  });
});

describe("a result of Tenure's own bulk query (the sample's orders, our field selection)", () => {
  const lines = fixtureLines("orders_bulk_tenure_query_result.jsonl");
  const { orders, late, malformed } = assemble(lines);
  const byName = new Map(orders.map((o) => [o.order.name, o]));

  it("gives three orders with every line item attached, one of them arriving after the next order", () => {
    expect(malformed).toEqual([]);
    expect(late).toEqual([]);
    expect(orders.map((o) => [o.order.id, o.order.lineItems.map((line) => line.sku)])).toEqual([
      [6280604516516n, ["WH09-XS-Green", "WT08-XS-Black"]],
      [6280605434020n, ["MSH02-32-Black", "MH09-XS-Blue"]],
      [6280606187684n, ["WSH04-28-Black", "WH09-XS-Green"]],
    ]);
  });

  it("keeps money to the cent and the webhook's financial_status vocabulary", () => {
    const refunded = byName.get("HCDEV#2612")!.order;
    expect(refunded.totalPrice.toFixed(2)).toBe("101.50");
    expect(refunded.lineItems.map((line) => line.amount.toFixed(2))).toEqual(["55.00", "46.50"]);
    expect(refunded.financialStatus).toBe("refunded");
    expect(refunded.refunds).toEqual([
      expect.objectContaining({ id: 926474535076n, orderId: 6280605434020n, createdAt: new Date("2024-08-13T11:16:14Z"), processedAt: new Date("2024-08-13T11:16:14Z") }),
    ]);
    expect(refunded.refunds[0]!.transactionsAmount.toFixed(2)).toBe("101.50");
    expect(refunded.refunds[0]!.adjustmentsAmount.toFixed(2)).toBe("0.00");
    // Fully refunded: nothing left for the customer's net revenue.
    expect(refunded.totalPrice.minus(moneyRefunded(refunded, refunded.refunds)).toFixed(2)).toBe("0.00");
    expect(byName.get("HCDEV#2611")!.order.financialStatus).toBe("authorized");
  });

  it("a cancelled guest order has no customer and keeps its cancellation time", () => {
    const cancelled = byName.get("HCDEV#2613")!.order;
    expect(cancelled.customerId).toBeNull();
    expect(cancelled.customer).toBeNull();
    expect(cancelled.cancelledAt).toEqual(new Date("2024-08-13T11:16:47Z"));
    expect(cancelled.totalShipping.toFixed(2)).toBe("20.00");
  });

  it("the customer's profile comes with the order", () => {
    expect(byName.get("HCDEV#2611")!.order.customer).toEqual({
      id: 7308443123876n,
      email: "russell.winfield@example.com",
      firstName: "Russell",
      lastName: "Winfield",
      updatedAt: new Date("2024-08-13T11:16:20Z"),
    });
  });

  it("the version hash is a content hash that does not depend on the order children arrive in", () => {
    const again = assemble(lines).orders.map((o) => o.versionHash);
    expect(again).toEqual(orders.map((o) => o.versionHash));
    expect(orders[0]!.versionHash).toMatch(/^bulk:[0-9a-f]{64}$/);
    expect(bulkVersionHash(lines[0]!, [lines[2]!, lines[1]!])).toBe(orders[0]!.versionHash);
    expect(bulkVersionHash(lines[0]!, [lines[1]!])).not.toBe(orders[0]!.versionHash);
  });
});

describe("the same order as a webhook and as a bulk line", () => {
  it("gives the same facts: shop money, presentment total for converting refunds, line amounts net of discounts", () => {
    // A USD buyer in a EUR shop: totals in both currencies, one line with a discount, one refund of $22.00.
    const webhook = parsePayload(ZOrderWebhook, {
      id: 5_100_000_000_000_000_001n,
      name: "#1001",
      currency: "EUR",
      presentment_currency: "USD",
      total_price: "40.00",
      total_price_set: { shop_money: { amount: "40.00", currency_code: "EUR" }, presentment_money: { amount: "44.00", currency_code: "USD" } },
      subtotal_price_set: { shop_money: { amount: "36.00", currency_code: "EUR" } },
      total_discounts_set: { shop_money: { amount: "4.00", currency_code: "EUR" } },
      total_tax_set: { shop_money: { amount: "0.00", currency_code: "EUR" } },
      total_shipping_price_set: { shop_money: { amount: "4.00", currency_code: "EUR" } },
      financial_status: "partially_refunded",
      cancelled_at: null,
      test: false,
      created_at: "2026-02-01T09:00:00Z",
      processed_at: "2026-02-01T09:00:00Z",
      updated_at: "2026-02-03T09:00:00Z",
      source_name: "web",
      discount_codes: [{ code: "WELCOME10" }],
      line_items: [
        {
          id: 5_100_000_000_000_000_101n,
          product_id: 5_100_000_000_000_000_201n,
          variant_id: 5_100_000_000_000_000_301n,
          sku: "MUG-1",
          title: "Ceramic mug",
          quantity: 2,
          price_set: { shop_money: { amount: "20.00", currency_code: "EUR" } },
          discount_allocations: [{ amount_set: { shop_money: { amount: "4.00", currency_code: "EUR" } } }],
        },
      ],
      refunds: [
        {
          id: 5_100_000_000_000_000_401n,
          order_id: 5_100_000_000_000_000_001n,
          created_at: "2026-02-03T09:00:00Z",
          processed_at: "2026-02-03T09:00:00Z",
          transactions: [{ kind: "refund", status: "success", amount: "22.00" }],
          order_adjustments: [],
        },
      ],
      customer: { id: 5_100_000_000_000_000_501n, email: "ada@example.com", first_name: "Ada", last_name: "Lovelace", updated_at: "2026-02-01T09:00:00Z" },
    });
    const bulk = assemble([
      orderLine("5100000000000000001", {
        name: "#1001",
        currencyCode: "EUR",
        presentmentCurrencyCode: "USD",
        createdAt: "2026-02-01T09:00:00Z",
        processedAt: "2026-02-01T09:00:00Z",
        updatedAt: "2026-02-03T09:00:00Z",
        displayFinancialStatus: "PARTIALLY_REFUNDED",
        discountCodes: ["WELCOME10"],
        totalPriceSet: { shopMoney: { amount: "40.00", currencyCode: "EUR" }, presentmentMoney: { amount: "44.00", currencyCode: "USD" } },
        subtotalPriceSet: { shopMoney: { amount: "36.00" } },
        totalDiscountsSet: { shopMoney: { amount: "4.00" } },
        totalShippingPriceSet: { shopMoney: { amount: "4.00" } },
        customer: { id: "gid://shopify/Customer/5100000000000000501", email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", updatedAt: "2026-02-01T09:00:00Z" },
        refunds: [
          {
            id: "gid://shopify/Refund/5100000000000000401",
            createdAt: "2026-02-03T09:00:00Z",
            totalRefundedSet: { shopMoney: { amount: "20.00" }, presentmentMoney: { amount: "22.00", currencyCode: "USD" } },
          },
        ],
      }),
      JSON.stringify({
        id: "gid://shopify/LineItem/5100000000000000101",
        sku: "MUG-1",
        title: "Ceramic mug",
        quantity: 2,
        product: { id: "gid://shopify/Product/5100000000000000201" },
        variant: { id: "gid://shopify/ProductVariant/5100000000000000301" },
        discountedTotalSet: { shopMoney: { amount: "36.00" } },
        __parentId: "gid://shopify/Order/5100000000000000001",
      }),
    ]).orders[0]!.order;
    const expected = webhookOrderFacts(webhook);
    // Decimals compare by value: 36 and 36.00 are the same money.
    const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
    const normalise = (facts: typeof expected) => plain({ ...facts, lineItems: facts.lineItems.map((l) => ({ ...l, amount: l.amount.toFixed(4) })), ...amounts(facts) });
    const amounts = (facts: typeof expected) => ({
      totalPrice: facts.totalPrice.toFixed(4),
      presentmentTotalPrice: facts.presentmentTotalPrice.toFixed(4),
      subtotalPrice: facts.subtotalPrice.toFixed(4),
      totalDiscounts: facts.totalDiscounts.toFixed(4),
      totalTax: facts.totalTax.toFixed(4),
      totalShipping: facts.totalShipping.toFixed(4),
      refunds: facts.refunds.map((r) => ({ ...r, transactionsAmount: r.transactionsAmount.toFixed(4), adjustmentsAmount: r.adjustmentsAmount.toFixed(4) })),
    });
    expect(normalise(bulk)).toEqual(normalise(expected));
    // €40 paid, $22 of $44 refunded at the order's own rate: €20.00.
    expect(moneyRefunded(bulk, bulk.refunds).toFixed(2)).toBe("20.00");
  });

  it("keeps ids beyond 2^53 exact", () => {
    const [imported] = assemble([orderLine("9007199254740993123"), lineItemLine("9223372036854775807", "9007199254740993123")]).orders;
    expect(imported!.order.id).toBe(9_007_199_254_740_993_123n);
    expect(imported!.order.lineItems[0]!.id).toBe(9_223_372_036_854_775_807n);
  });
});

describe("line items far from their order", () => {
  it("are attached while the order is in the window, and come out late (with the version written) once it has left", () => {
    const lines = [orderLine("1"), orderLine("2"), lineItemLine("11", "1"), orderLine("3"), lineItemLine("12", "1"), lineItemLine("31", "3")];
    const { orders, late } = assemble(lines, { windowOrders: 2, rememberedOrders: 10 });
    expect(orders.map((o) => [o.order.id, o.order.lineItems.map((l) => l.id)])).toEqual([
      [1n, [11n]],
      [2n, []],
      [3n, [31n]],
    ]);
    expect(late).toEqual([expect.objectContaining({ orderId: 1n, line: 4, orderUpdatedAt: new Date("2026-03-02T10:00:00Z"), text: lines[4] })]);
    expect(late[0]!.lineItem.id).toBe(12n);
  });

  it("once the order is forgotten too, a late line item carries no version to check against", () => {
    const { late } = assemble([orderLine("1"), orderLine("2"), orderLine("3"), lineItemLine("11", "1")], { windowOrders: 1, rememberedOrders: 1 });
    expect(late).toEqual([expect.objectContaining({ orderId: 1n, orderUpdatedAt: null })]);
  });

  it("the resume point never passes an order still waiting for its line items", () => {
    const assembler = new BulkOrderAssembler({ windowOrders: 2, rememberedOrders: 10 }, { order: () => undefined, late: () => undefined, malformed: () => undefined });
    assembler.push(0, orderLine("1"));
    assembler.push(1, lineItemLine("11", "1"));
    expect(assembler.safeLines).toBe(0);
    assembler.push(2, orderLine("2"));
    assembler.push(3, orderLine("3"));
    expect([assembler.safeLines, assembler.ordersEmitted]).toEqual([2, 1]);
    assembler.finish();
    expect([assembler.safeLines, assembler.ordersEmitted]).toEqual([4, 3]);
  });
});

describe("malformed lines", () => {
  it.each([
    ["truncated JSON", '{"id":"gid://shopify/Order/1","name":', /not valid JSON/],
    ["not an object", "[1,2]", /not a JSON object/],
    ["an amount as a float number", orderLine("1", { totalPriceSet: { shopMoney: { amount: 30.1, currencyCode: "EUR" } } }), /totalPriceSet/],
    ["an order GID where a customer's belongs", orderLine("1", { customer: { id: "gid://shopify/Order/5" } }), /customer\.id: must be a Customer GID/],
    ["a line item without its amount", JSON.stringify({ id: "gid://shopify/LineItem/1", quantity: 1, __parentId: "gid://shopify/Order/1" }), /discountedTotalSet/],
    ["an id beyond PostgreSQL's bigint", orderLine("9223372036854775808"), /id: id beyond PostgreSQL's bigint/],
    ["a time that does not exist", orderLine("1", { updatedAt: "2026-13-45T10:00:00Z" }), /2026-13-45T10:00:00Z is not a time/],
  ])("%s is reported with its reason and text, and the rest goes on", (_label, text, reason) => {
    expect(() => parseBulkLine(text)).toThrow(BulkLineError);
    const { orders, malformed } = assemble([text, orderLine("2")]);
    expect(malformed).toEqual([{ line: 0, text, reason: expect.stringMatching(reason) }]);
    expect(orders.map((o) => o.order.id)).toEqual([2n]);
  });

  it("blank lines are neither orders nor failures", () => {
    const { orders, malformed } = assemble(["", orderLine("2"), "  "]);
    expect([orders.length, malformed.length]).toEqual([1, 0]);
  });
});

describe("RecentVersions (the assembler's memory of orders handed on)", () => {
  it("answers like a Map that forgets its oldest entry beyond capacity, on random ids and repeats", () => {
    let seed = 12345;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const capacity of [1, 7, 64, 1000]) {
      const recent = new RecentVersions(capacity);
      const reference = new Map<bigint, number>();
      for (let step = 0; step < 20_000; step += 1) {
        // Few distinct ids (collisions, repeats) and ids up to 2^63 − 1.
        const id = random() < 0.5 ? BigInt(Math.floor(random() * capacity * 3)) : 2n ** 63n - 1n - BigInt(Math.floor(random() * capacity * 3)) * 4_294_967_296n;
        if (random() < 0.6) {
          const time = Math.floor(random() * 1e12);
          recent.set(id, new Date(time));
          if (reference.has(id)) reference.set(id, time);
          else {
            if (reference.size === capacity) reference.delete(reference.keys().next().value!);
            reference.set(id, time);
          }
        } else {
          expect(recent.get(id)?.getTime() ?? null).toBe(reference.get(id) ?? null);
        }
      }
      expect(recent.size).toBe(reference.size);
      for (const [id, time] of reference) expect(recent.get(id)?.getTime()).toBe(time);
    }
  });
});
