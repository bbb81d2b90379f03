import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Decimal, money } from "~/ltv/money";
import { type CustomerProfile, type LineItemFacts, moneyRefunded, type OrderFacts, type RefundFacts } from "~/ltv/order-facts";
import { parsePayload, toOrderFacts as webhookOrderFacts, ZOrderWebhook } from "~/shopify/webhook-payloads";
import {
  type BulkLine,
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

  it("the same order twice: the later line takes the earlier one's place and line items, and is handed on once", () => {
    const lines = [orderLine("1"), lineItemLine("11", "1"), orderLine("2"), orderLine("1", { name: "#1 again" }), lineItemLine("12", "1"), orderLine("3")];
    const emitted: ImportedOrder[] = [];
    const assembler = new BulkOrderAssembler({ windowOrders: 2, rememberedOrders: 10 }, { order: (o) => emitted.push(o), late: () => undefined, malformed: () => undefined });
    lines.forEach((line, index) => assembler.push(index, line));
    expect([emitted.map((o) => o.order.id), assembler.safeLines]).toEqual([[2n], 3]);
    assembler.finish();
    expect(emitted.map((o) => [o.order.id, o.order.name, o.order.lineItems.map((l) => l.id)])).toEqual([
      [2n, "#2", []],
      [1n, "#1 again", [11n, 12n]],
      [3n, "#3", []],
    ]);
    expect(emitted[1]!.versionHash).toBe(bulkVersionHash(lines[3]!, [lines[1]!, lines[4]!]));
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
        // Few distinct ids (collisions, repeats), ids up to 2^63 − 1, and ids a double cannot tell apart.
        const family = random();
        const small = BigInt(Math.floor(random() * capacity * 3));
        const id = family < 0.4 ? small : family < 0.8 ? 2n ** 63n - 1n - small * 4_294_967_296n : 2n ** 62n + small;
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

// The reference: parseBulkLine as it was with zod schemas (before the hand-written checks), verbatim
// but for names. The hand-written path must accept, refuse (with the same reasons) and convert
// exactly as it did.
const Reference = (() => {
  const MAX_ID = 2n ** 63n - 1n;
  const ZGid = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d{1,19}(\\?.*)?$`), `must be a ${type} GID`);
  const ZDate = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/, "must be an ISO-8601 time");
  const ZAmount = z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount");
  const ZShopAmount = z.object({ shopMoney: z.object({ amount: ZAmount }) });

  function idOf(value: string, path: string): bigint {
    const query = value.indexOf("?");
    const id = BigInt(value.slice(value.lastIndexOf("/", query === -1 ? undefined : query) + 1, query === -1 ? undefined : query));
    if (id > MAX_ID) throw new BulkLineError(`${path}: id beyond PostgreSQL's bigint`);
    return id;
  }
  const optionalIdOf = (value: { id: string } | null | undefined, path: string) => (value ? idOf(value.id, path) : null);
  function dateOf(value: string): Date {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new BulkLineError(`${value} is not a time`);
    return date;
  }
  const nullable = <T>(value: T | null | undefined): T | null => value ?? null;

  const ZBulkRefund = z.object({
    id: ZGid("Refund"),
    createdAt: ZDate.nullish(),
    totalRefundedSet: z.object({
      shopMoney: z.object({ amount: ZAmount }),
      presentmentMoney: z.object({ amount: ZAmount, currencyCode: z.string() }),
    }),
  });
  const ZBulkOrderLine = z.object({
    id: ZGid("Order"),
    name: z.string().nullish(),
    createdAt: ZDate,
    processedAt: ZDate.nullish(),
    updatedAt: ZDate,
    cancelledAt: ZDate.nullish(),
    test: z.boolean().nullish(),
    currencyCode: z.string().length(3),
    presentmentCurrencyCode: z.string().length(3).nullish(),
    displayFinancialStatus: z.string().nullish(),
    sourceName: z.string().nullish(),
    discountCodes: z.array(z.string()).nullish(),
    totalPriceSet: z.object({
      shopMoney: z.object({ amount: ZAmount, currencyCode: z.string() }),
      presentmentMoney: z.object({ amount: ZAmount, currencyCode: z.string() }).nullish(),
    }),
    subtotalPriceSet: ZShopAmount.nullish(),
    totalDiscountsSet: ZShopAmount.nullish(),
    totalTaxSet: ZShopAmount.nullish(),
    totalShippingPriceSet: ZShopAmount.nullish(),
    customer: z
      .object({
        id: ZGid("Customer"),
        email: z.string().nullish(),
        firstName: z.string().nullish(),
        lastName: z.string().nullish(),
        updatedAt: ZDate.nullish(),
      })
      .nullish(),
    refunds: z.array(ZBulkRefund).nullish(),
  });
  const ZBulkLineItemLine = z.object({
    id: ZGid("LineItem"),
    sku: z.string().nullish(),
    title: z.string().nullish(),
    name: z.string().nullish(),
    quantity: z.number().int(),
    product: z.object({ id: ZGid("Product") }).nullish(),
    variant: z.object({ id: ZGid("ProductVariant") }).nullish(),
    discountedTotalSet: ZShopAmount,
    __parentId: ZGid("Order"),
  });
  type ZBulkOrder = z.output<typeof ZBulkOrderLine>;

  function problemsOf(error: z.ZodError): string {
    return error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`)
      .join("; ");
  }

  function parseBulkLine(text: string): BulkLine {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new BulkLineError(`line is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new BulkLineError("line is not a JSON object");
    if ("__parentId" in value) {
      const parsed = ZBulkLineItemLine.safeParse(value);
      if (!parsed.success) throw new BulkLineError(`line item line is missing or has malformed fields — ${problemsOf(parsed.error)}`);
      const line = parsed.data;
      return {
        kind: "lineItem",
        orderId: idOf(line.__parentId, "__parentId"),
        lineItem: {
          id: idOf(line.id, "id"),
          productId: optionalIdOf(line.product, "product.id"),
          variantId: optionalIdOf(line.variant, "variant.id"),
          sku: nullable(line.sku),
          title: line.title ?? line.name ?? "",
          quantity: line.quantity,
          amount: money(line.discountedTotalSet.shopMoney.amount),
        } satisfies LineItemFacts,
      };
    }
    const parsed = ZBulkOrderLine.safeParse(value);
    if (!parsed.success) throw new BulkLineError(`order line is missing or has malformed fields — ${problemsOf(parsed.error)}`);
    return { kind: "order", order: toOrderFacts(parsed.data) };
  }

  function toRefundFacts(orderId: bigint, fallbackCreatedAt: Date, refund: z.output<typeof ZBulkRefund>): RefundFacts {
    const createdAt = refund.createdAt ? dateOf(refund.createdAt) : fallbackCreatedAt;
    return {
      id: idOf(refund.id, "refunds.id"),
      orderId,
      createdAt,
      processedAt: createdAt,
      transactionsAmount: money(refund.totalRefundedSet.presentmentMoney.amount),
      adjustmentsAmount: money(0),
    };
  }
  function toCustomerProfile(customer: NonNullable<ZBulkOrder["customer"]>): CustomerProfile {
    return {
      id: idOf(customer.id, "customer.id"),
      email: nullable(customer.email),
      firstName: nullable(customer.firstName),
      lastName: nullable(customer.lastName),
      updatedAt: customer.updatedAt ? dateOf(customer.updatedAt) : null,
    };
  }
  function toOrderFacts(order: ZBulkOrder): OrderFacts {
    const id = idOf(order.id, "id");
    const updatedAt = dateOf(order.updatedAt);
    const customer = order.customer ? toCustomerProfile(order.customer) : null;
    const totalPrice = money(order.totalPriceSet.shopMoney.amount);
    const shopAmount = (set: { shopMoney: { amount: string } } | null | undefined) => money(set?.shopMoney.amount ?? 0);
    const createdAt = dateOf(order.createdAt);
    return {
      id,
      customerId: customer?.id ?? null,
      name: nullable(order.name),
      currency: order.currencyCode,
      presentmentCurrency: order.presentmentCurrencyCode ?? order.currencyCode,
      totalPrice,
      presentmentTotalPrice: order.totalPriceSet.presentmentMoney ? money(order.totalPriceSet.presentmentMoney.amount) : totalPrice,
      subtotalPrice: shopAmount(order.subtotalPriceSet),
      totalDiscounts: shopAmount(order.totalDiscountsSet),
      totalTax: shopAmount(order.totalTaxSet),
      totalShipping: shopAmount(order.totalShippingPriceSet),
      financialStatus: order.displayFinancialStatus?.toLowerCase() ?? null,
      cancelledAt: order.cancelledAt ? dateOf(order.cancelledAt) : null,
      test: order.test ?? false,
      createdAt,
      processedAt: order.processedAt ? dateOf(order.processedAt) : createdAt,
      updatedAt,
      sourceName: nullable(order.sourceName),
      discountCodes: order.discountCodes ?? [],
      lineItems: [],
      refunds: (order.refunds ?? []).map((refund) => toRefundFacts(id, updatedAt, refund)),
      customer,
    };
  }

  function bulkVersionHash(orderLine: string, childLines: readonly string[]): string {
    const hash = createHash("sha256").update(orderLine);
    for (const child of [...childLines].sort()) hash.update("\n").update(child);
    return "bulk:" + hash.digest("hex");
  }
  return { parseBulkLine, bulkVersionHash };
})();

/** A line's outcome, exactly: bigints, each Decimal's sign, exponent and digits, each Date's time. */
function outcomeOf(parse: (text: string) => BulkLine, text: string): { facts: string } | { refused: string } {
  let parsed: BulkLine;
  try {
    parsed = parse(text);
  } catch (error) {
    if (!(error instanceof BulkLineError)) throw error;
    return { refused: error.message };
  }
  return {
    facts: JSON.stringify(parsed, function (this: Record<string, unknown>, key, replaced: unknown) {
      const original = this[key];
      if (typeof original === "bigint") return `${original}n`;
      if (original instanceof Decimal) return `Decimal(${original.s}, ${original.e}, [${original.d.join(",")}])`;
      if (original instanceof Date) return `Date(${original.getTime()})`;
      return replaced;
    }),
  };
}

describe("the hand-written checks and conversion, against the zod path they replaced", () => {
  const same = (lines: readonly string[]) => {
    const differences = lines
      .map((text) => ({ text, now: outcomeOf(parseBulkLine, text), before: outcomeOf(Reference.parseBulkLine, text) }))
      .filter(({ now, before }) => JSON.stringify(now) !== JSON.stringify(before));
    expect(differences.slice(0, 3)).toEqual([]);
    return lines.map((text) => outcomeOf(parseBulkLine, text));
  };
  const refused = (outcomes: ReturnType<typeof same>) => outcomes.filter((outcome) => "refused" in outcome).length;

  it("on Tenure's result fixture, Shopify's sample and this file's lines", () => {
    const lines = [
      ...fixtureLines("orders_bulk_tenure_query_result.jsonl"),
      ...fixtureLines("orders_bulk_query_result_sample.jsonl"),
      orderLine("1"),
      lineItemLine("11", "1"),
    ];
    expect(refused(same(lines))).toBe(9);
  });

  it("on the cases that matter to a merchant: null or missing, wrong types, bad GIDs and amounts, ids beyond 2^63", () => {
    const item = (fields: Record<string, unknown>) => {
      const line: Record<string, unknown> = { ...(JSON.parse(lineItemLine("11", "1")) as Record<string, unknown>), ...fields };
      for (const key of Object.keys(line)) if (line[key] === undefined) delete line[key];
      return JSON.stringify(line);
    };
    const order = (fields: Record<string, unknown>) => {
      const line = JSON.parse(orderLine("1", fields)) as Record<string, unknown>;
      for (const key of Object.keys(fields)) if (fields[key] === undefined) delete line[key];
      return JSON.stringify(line);
    };
    const accepted = [
      // Nullish fields, null or missing.
      order({ name: null, processedAt: null, cancelledAt: undefined, test: null, presentmentCurrencyCode: undefined, customer: null, refunds: null }),
      order({ name: undefined, processedAt: undefined, discountCodes: null, subtotalPriceSet: null, totalTaxSet: undefined }),
      order({ totalPriceSet: { shopMoney: { amount: "1.00", currencyCode: "EUR" }, presentmentMoney: null } }),
      item({ sku: null, title: undefined, name: "Tea towel (name)", product: undefined, variant: null }),
      item({ title: null, name: null }),
      // GIDs: a query string, leading zeros, the largest bigint.
      order({ id: "gid://shopify/Order/1?from=bulk" }),
      order({ id: "gid://shopify/Order/0000000000000000007" }),
      order({ customer: { id: "gid://shopify/Customer/9223372036854775807" } }),
      item({ variant: { id: "gid://shopify/ProductVariant/123456789012345678" } }),
      // Amounts, currencies (three characters: code points, not UTF-16 units) and times.
      ...["0", "-0.00", "007.50", "123456789012345678901234.5678"].map((amount) => item({ discountedTotalSet: { shopMoney: { amount } } })),
      ...["😀AB", "é€😀", "\ud83dAB"].map((currencyCode) => order({ currencyCode })),
      // Date's own parsing: February 30th is March 2nd.
      ...["2026-03-01T10:00:00.123+02:00", "2026-03-01T10:00:00-0230", "2026-02-30T10:00:00Z"].map((updatedAt) => order({ updatedAt })),
    ];
    const refused = [
      // Required fields, null or missing.
      order({ createdAt: null }),
      order({ updatedAt: undefined }),
      order({ currencyCode: null }),
      order({ totalPriceSet: undefined }),
      order({ totalPriceSet: { shopMoney: { amount: "1.00" } } }),
      item({ quantity: undefined }),
      item({ discountedTotalSet: null }),
      item({ __parentId: null }),
      // Wrong types.
      order({ test: "false" }),
      order({ name: 1001 }),
      order({ discountCodes: ["A", 1, null] }),
      order({ discountCodes: "WELCOME" }),
      order({ refunds: {} }),
      order({ customer: [] }),
      order({ totalPriceSet: "30.00" }),
      order({ totalPriceSet: { shopMoney: { amount: 30, currencyCode: "EUR" } } }),
      order({ currencyCode: ["E", "U"] }),
      order({ currencyCode: { length: 4 } }),
      item({ quantity: "1" }),
      item({ quantity: 1.5 }),
      item({ quantity: 2 ** 53 }),
      item({ quantity: -(2 ** 53) }),
      item({ product: "gid://shopify/Product/1" }),
      lineItemLine("11", "1").replace('"quantity":1', '"quantity":1e999'),
      // GIDs.
      order({ id: "gid://shopify/Order/1?a\nb" }),
      order({ id: "gid://shopify/Order/" }),
      order({ id: "gid://shopify/Order/12a" }),
      order({ id: "gid://shopify/Customer/1" }),
      order({ id: "gid://shopify/Order/00000000000000000007" }),
      order({ id: "gid://shopify/Order/9999999999999999999" }),
      order({ customer: { id: "gid://shopify/Customer/9223372036854775808" } }),
      item({ id: "gid://shopify/LineItem/9223372036854775808" }),
      item({ __parentId: "gid://shopify/Order/9223372036854775808" }),
      item({ variant: { id: "gid://shopify/Product/1" } }),
      // Amounts, currencies and times.
      ...["1.", ".5", "1e5", "+1", "1,00", "", " 1", "NaN"].map((amount) => item({ discountedTotalSet: { shopMoney: { amount } } })),
      ...["EU", "EURO", "", "😀A", "A\ud83d\ude00", "ABCDEFG"].map((currencyCode) => order({ currencyCode })),
      ...["2026-13-45T10:00:00Z", "2026-03-01 10:00:00Z", "2026-03-01T10:00:00"].map((updatedAt) => order({ updatedAt })),
      // Many problems: the first five are named.
      order({ id: 1, createdAt: 2, updatedAt: 3, currencyCode: 4, totalPriceSet: 5, customer: 6, refunds: 7 }),
    ];
    expect(same(accepted).map((outcome) => ("refused" in outcome ? outcome.refused : "accepted"))).toEqual(accepted.map(() => "accepted"));
    expect(same(refused).filter((outcome) => "facts" in outcome)).toEqual([]);
  });

  it("on the edges of the GID, time and amount patterns", () => {
    const gids = ["1", "0", "1234567890123456789", "12345678901234567890", "", "1?", "1?a/b?c", "1?a\nb", "1?a\rb", "1?a\u2028b", "1?a\u2029b", "1\n", "1/2", "/1", "1 ", "١"];
    const times = ["2026-03-01T10:00:00Z", "2026-03-01T10:00:00.Z", "2026-03-01T10:00:00.1234567Z", "2026-03-01T10:00:00+01:00", "2026-03-01T10:00:00+0100"]
      .concat(["2026-03-01T10:00:00+01:0", "2026-03-01T10:00:00+010:0", "2026-03-01T10:00:00+01000", "2026-03-01T10:00:00Z\n", "2026-03-01T10:00:00ZZ"])
      .concat(["2026-03-01T10:00:00", "2026-3-01T10:00:00Z", "12026-03-01T10:00:00Z", "2026-03-01t10:00:00Z", "2026-03-01T10:00:00.5-23:59", "2026-03-01T10:00:00-"]);
    const amounts = ["0", "-0", "-", "-.5", "--1", "1.5\n", "1..5", "1.5.", "01", "-01.10", "1.5 ", "\u0661"];
    const lines = [
      ...gids.flatMap((digits) => [orderLine("1", { id: `gid://shopify/Order/${digits}` }), lineItemLine(digits, "1")]),
      ...["gid://shopify/Orders/1", "gid://shopify/Order//1", "gid:/shopify/Order/1", "Gid://shopify/Order/1", "gid://shopify/Order/"].map((id) => orderLine("1", { id })),
      ...times.flatMap((time) => [orderLine("1", { updatedAt: time }), orderLine("1", { customer: { id: "gid://shopify/Customer/1", updatedAt: time } })]),
      ...amounts.flatMap((amount) => [orderLine("1", { totalTaxSet: { shopMoney: { amount } } }), lineItemLine("11", "1", amount)]),
    ];
    const outcomes = same(lines);
    expect([refused(outcomes), lines.length - refused(outcomes)]).toEqual([65, 28]);
  });

  it("on thousands of random lines, valid and not (seeded)", () => {
    let seed = 20_260_301;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const MISSING = Symbol("missing");
    let errorRate = 0;
    /** Mostly a valid value; otherwise null, missing, a value of another type or one of the bad values. */
    const field = (valid: () => unknown, bad: readonly unknown[] = []): unknown =>
      random() >= errorRate ? valid() : pick([null, MISSING, 0, 1.5, true, "", "text", [], ["x"], { length: "5" }, {}, ...bad, ...bad]);
    const object = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== MISSING));
    const digits = () => {
      const length = pick([1, 4, 13, 14, 18, 19, 19]);
      let text = String(1 + Math.floor(random() * 9));
      while (text.length < length) text += String(Math.floor(random() * 10));
      return text;
    };
    const gid = (type: string) => () => `gid://shopify/${type}/${digits()}${random() < 0.1 ? "?from=bulk" : ""}`;
    const badGids = (type: string) => [`gid://shopify/${type}/`, `gid://shopify/${type}/1x`, `gid://shopify/Other/1`, `gid://shopify/${type}/12345678901234567890`, `gid://shopify/${type}/1?a\nb`, `gid://shopify/${type}/9223372036854775808`];
    const time = () => pick(["2026-03-01T10:00:00Z", "2026-03-01T10:00:00.123Z", "2026-03-01T10:00:00+02:00", "2026-03-01T10:00:00-0230", "2025-12-31T23:59:59.5-01:00"]);
    const badTimes = ["2026-13-45T10:00:00Z", "2026-03-01T25:00:00Z", "2026-03-01 10:00:00Z", "2026-03-01T10:00Z", "2026-03-01T10:00:00z"];
    const amount = () => pick(["0", "0.0", "0.00", "-0.00", "4.95", "163.54", "-3.10", "007.50", "44.57", "123456789012345678901234.5678"]);
    const badAmounts = ["1.", ".5", "1e5", "+1", "1,00", " 1", "NaN", 12.5];
    const currency = () => pick(["EUR", "USD", "DKK", "é€😀"]);
    const badCurrencies = ["EU", "EURO", "😀A", "A\ud83d\ude00", "ABCDEFG"];
    const text = () => pick(["Tea towel", "Ada", "", "Grüße 😀", "PAID", "PARTIALLY_REFUNDED", "Ärger"]);
    const nullishText = () => (random() < 0.3 ? pick([null, MISSING]) : text());
    const money = (withCurrency: boolean) => () =>
      object({ amount: field(amount, badAmounts), ...(withCurrency ? { currencyCode: field(currency) } : {}) });
    const shopAmount = () => object({ shopMoney: field(money(false)) });
    const nullishSet = () => (random() < 0.2 ? pick([null, MISSING]) : field(shopAmount, [{ shopMoney: null }, { shopMoney: {} }]));
    const refund = () =>
      object({
        id: field(gid("Refund"), badGids("Refund")),
        createdAt: random() < 0.3 ? pick([null, MISSING]) : field(time, badTimes),
        totalRefundedSet: field(() => object({ shopMoney: field(money(false)), presentmentMoney: field(money(true)) })),
      });
    const order = () =>
      object({
        id: field(gid("Order"), badGids("Order")),
        name: field(nullishText),
        createdAt: field(time, badTimes),
        processedAt: random() < 0.3 ? pick([null, MISSING, "2026-03-01T10:00:00Z"]) : field(time, badTimes),
        updatedAt: field(time, badTimes),
        cancelledAt: random() < 0.7 ? pick([null, MISSING]) : field(time, badTimes),
        test: field(() => pick([true, false, null, MISSING]), ["true", 0]),
        currencyCode: field(currency, badCurrencies),
        presentmentCurrencyCode: random() < 0.3 ? pick([null, MISSING]) : field(currency, badCurrencies),
        displayFinancialStatus: field(nullishText),
        sourceName: field(nullishText),
        discountCodes: field(() => pick([[], ["WELCOME10"], ["A", "B"], null, MISSING]), [["A", 1], [null], "A"]),
        totalPriceSet: field(() =>
          object({ shopMoney: field(money(true)), presentmentMoney: random() < 0.3 ? pick([null, MISSING]) : field(money(true)) }),
        ),
        subtotalPriceSet: nullishSet(),
        totalDiscountsSet: nullishSet(),
        totalTaxSet: nullishSet(),
        totalShippingPriceSet: nullishSet(),
        customer:
          random() < 0.2
            ? pick([null, MISSING])
            : field(() =>
                object({
                  id: field(gid("Customer"), badGids("Customer")),
                  email: field(nullishText),
                  firstName: field(nullishText),
                  lastName: field(nullishText),
                  updatedAt: random() < 0.3 ? pick([null, MISSING]) : field(time, badTimes),
                }),
              ),
        refunds: field(() => pick([[], [], [refund()], [refund(), refund()], null, MISSING]), [[null], ["x"]]),
      });
    const lineItem = () =>
      object({
        id: field(gid("LineItem"), badGids("LineItem")),
        sku: field(nullishText),
        title: field(nullishText),
        name: field(nullishText),
        quantity: field(() => pick([1, 2, 0, -1, 3]), [1.5, "1", 2 ** 53, -(2 ** 53), 2 ** 53 - 1]),
        product: random() < 0.2 ? pick([null, MISSING]) : field(() => object({ id: field(gid("Product"), badGids("Product")) })),
        variant: random() < 0.2 ? pick([null, MISSING]) : field(() => object({ id: field(gid("ProductVariant"), badGids("ProductVariant")) })),
        discountedTotalSet: field(shopAmount),
        __parentId: field(gid("Order"), badGids("Order")),
      });
    const lines: string[] = [];
    for (let n = 0; n < 3_000; n += 1) {
      // Half the lines valid but for what the free choices below give (nulls, missing nullish fields, bad times), half with any field bad.
      errorRate = random() < 0.5 ? 0 : 0.1;
      const line = JSON.stringify(random() < 0.4 ? order() : lineItem());
      // Now and then a JSON number no double holds, or a line that is not an object.
      lines.push(random() < 0.02 ? line.replace(/"quantity":\d+/, '"quantity":1e999') : random() < 0.01 ? pick(["[]", "null", "1", '"x"', "{"]) : line);
    }
    const outcomes = same(lines);
    // Both sides of the line are well represented.
    expect(refused(outcomes)).toBeGreaterThan(1_000);
    expect(outcomes.length - refused(outcomes)).toBeGreaterThan(500);
  });

  it("gives the same version hashes, whatever the characters and the order the children come in", () => {
    const lines = ["{\"a\":\"é\"}", "{\"b\":\"😀\"}", "{\"c\":\"\ud83d\"}", "{\"d\":\"\ude00\"}", "\ud83d", "\ude00x", "plain"];
    for (let first = 0; first < lines.length; first += 1) {
      const children = lines.filter((_, index) => index !== first);
      for (const count of [0, 1, 2, children.length]) {
        const some = children.slice(0, count);
        expect(bulkVersionHash(lines[first]!, some)).toBe(Reference.bulkVersionHash(lines[first]!, some));
        expect(bulkVersionHash(lines[first]!, [...some].reverse())).toBe(Reference.bulkVersionHash(lines[first]!, some));
      }
    }
  });
});
