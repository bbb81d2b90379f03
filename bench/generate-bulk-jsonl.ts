// A deterministic, seeded Shopify orders bulk-operation result in the shape of Tenure's own bulk query
// (ordersBulkQuery, app/shopify/admin-operations.ts), for bench/backfill.ts and the backfill tests.
//
//   npx tsx bench/generate-bulk-jsonl.ts --orders 1000000 --out /tmp/orders.jsonl [--seed 42]
//
// N orders over three years, in id order as Shopify writes them; ~1/3 as many customers as orders
// (a few loyal, most one or two orders) and ~10 % guest orders; 1–5 line items each (~3); ~8 %
// refunded in part or in full; ~3 % cancelled, ~1 % test orders; ~5 % paid in another currency at
// exactly twice the shop's amounts (so converted refunds stay exact). Line items mostly follow their
// order at once; ~10 % come a few orders later and ~0.1 % tens of thousands of lines later.
// Amounts are whole cents, so the expected totals are exact integers of cents.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { seededRandom } from "../tests/support/simulate";

export type GeneratedExpectation = {
  orders: number;
  lines: number;
  lineItems: number;
  /** Customers with at least one order in the file (counted or not). */
  customers: number;
  /** Customers with at least one counted order. */
  customersWithCountedOrders: number;
  /** Σ net revenue (total − refunds, shop money) of counted orders that have a customer, in cents. */
  customersNetRevenueCents: string;
  /** The same over every counted order, guests included. */
  shopNetRevenueCents: string;
  countedOrders: number;
};

const SHOP_CURRENCY = "EUR";
const FOREIGN_CURRENCY = "DKK";
const FIRST_ORDER_ID = 5_000_000_000_000n;
const FIRST_CUSTOMER_ID = 7_000_000_000_000n;
const FIRST_LINE_ITEM_ID = 16_000_000_000_000n;
const FIRST_REFUND_ID = 900_000_000_000n;
const START = Date.UTC(2023, 0, 1);
const SPAN_MS = 3 * 365 * 86_400_000;

const cents = (value: number) => `${Math.trunc(value / 100)}.${String(value % 100).padStart(2, "0")}`;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const gid = (type: string, id: bigint) => `gid:\\/\\/shopify\\/${type}\\/${id}`;

/** Writes the result line by line through `write`; returns what an exact import must end with. */
export async function generateBulkResult(options: { orders: number; seed: number; write: (chunk: string) => Promise<void> }): Promise<GeneratedExpectation> {
  const random = seededRandom(options.seed);
  const customerCount = Math.max(1, Math.round(options.orders / 3));
  const customersSeen = new Set<number>();
  const customersCounted = new Set<number>();
  let customersNet = 0n;
  let shopNet = 0n;
  let counted = 0;
  let lines = 0;
  let lineItemCount = 0;
  let lineItemId = FIRST_LINE_ITEM_ID;
  let refundId = FIRST_REFUND_ID;
  // Line items held back to be written after a later order: order index → lines.
  const deferred = new Map<number, string[]>();
  let buffer = "";
  const emit = async (line: string) => {
    buffer += line + "\n";
    lines += 1;
    if (buffer.length > 1 << 20) {
      await options.write(buffer);
      buffer = "";
    }
  };

  for (let index = 0; index < options.orders; index += 1) {
    const orderId = FIRST_ORDER_ID + BigInt(index) * 7n;
    // Skewed customer choice: a few customers order often, most once or twice.
    const guest = random() < 0.1;
    const customer = guest ? -1 : Math.floor(Math.pow(random(), 1.6) * customerCount);
    const placed = START + Math.floor((index / options.orders) * SPAN_MS) + Math.floor(random() * 3_600_000);
    const updated = placed + Math.floor(random() * 72) * 3_600_000;
    const foreign = random() < 0.05;
    const rate = foreign ? 2 : 1;
    const cancelled = random() < 0.03;
    const test = random() < 0.01;

    const lineCount = 1 + Math.min(4, Math.floor(random() * 3) + Math.floor(random() * 2) + (random() < 0.3 ? 1 : 0));
    const lineItems: { id: bigint; amount: number }[] = [];
    for (let line = 0; line < lineCount; line += 1) {
      lineItems.push({ id: lineItemId, amount: 300 + Math.floor(random() * 6_000) });
      lineItemId += 3n;
    }
    const subtotal = lineItems.reduce((sum, line) => sum + line.amount, 0);
    const shipping = random() < 0.6 ? 495 : 0;
    const total = subtotal + shipping;
    const refunds: { id: bigint; cents: number; at: number }[] = [];
    if (random() < 0.08) {
      const full = random() < 0.3;
      refunds.push({ id: refundId, cents: full ? total : 1 + Math.floor(random() * (total - 1)), at: updated });
      refundId += 11n;
    }
    const refunded = refunds.reduce((sum, refund) => sum + refund.cents, 0);
    const status = refunded === 0 ? (cancelled ? "VOIDED" : "PAID") : refunded >= total ? "REFUNDED" : "PARTIALLY_REFUNDED";

    if (!guest) customersSeen.add(customer);
    if (!cancelled && !test) {
      counted += 1;
      shopNet += BigInt(total - refunded);
      if (!guest) {
        customersNet += BigInt(total - refunded);
        customersCounted.add(customer);
      }
    }

    const customerId = FIRST_CUSTOMER_ID + BigInt(customer) * 13n;
    const presentment = (value: number) => cents(value * rate);
    await emit(
      `{"id":"${gid("Order", orderId)}","name":"#${1001 + index}","createdAt":"${iso(placed)}","processedAt":"${iso(placed)}",` +
        `"updatedAt":"${iso(updated)}","cancelledAt":${cancelled ? `"${iso(updated)}"` : "null"},"test":${test},` +
        `"currencyCode":"${SHOP_CURRENCY}","presentmentCurrencyCode":"${foreign ? FOREIGN_CURRENCY : SHOP_CURRENCY}",` +
        `"displayFinancialStatus":"${status}","sourceName":"web","discountCodes":[],` +
        `"totalPriceSet":{"shopMoney":{"amount":"${cents(total)}","currencyCode":"${SHOP_CURRENCY}"},"presentmentMoney":{"amount":"${presentment(total)}","currencyCode":"${foreign ? FOREIGN_CURRENCY : SHOP_CURRENCY}"}},` +
        `"subtotalPriceSet":{"shopMoney":{"amount":"${cents(subtotal)}"}},"totalDiscountsSet":{"shopMoney":{"amount":"0.0"}},` +
        `"totalTaxSet":{"shopMoney":{"amount":"0.0"}},"totalShippingPriceSet":{"shopMoney":{"amount":"${cents(shipping)}"}},` +
        `"customer":${
          guest
            ? "null"
            : `{"id":"${gid("Customer", customerId)}","email":"customer${customer}@example.com","firstName":"Customer","lastName":"${customer}","updatedAt":"${iso(START)}"}`
        },` +
        `"refunds":[${refunds
          .map(
            (refund) =>
              `{"id":"${gid("Refund", refund.id)}","createdAt":"${iso(refund.at)}","totalRefundedSet":{"shopMoney":{"amount":"${cents(refund.cents)}"},"presentmentMoney":{"amount":"${presentment(refund.cents)}","currencyCode":"${foreign ? FOREIGN_CURRENCY : SHOP_CURRENCY}"}}}`,
          )
          .join(",")}]}`,
    );
    for (const line of lineItems) {
      const product = 8_000_000_000n + BigInt(Math.floor(Math.pow(random(), 2) * 2_000));
      const text =
        `{"id":"${gid("LineItem", line.id)}","sku":"SKU-${product}","title":"Product ${product}","quantity":1,` +
        `"product":{"id":"${gid("Product", product)}"},"variant":{"id":"${gid("ProductVariant", product * 10n)}"},` +
        `"discountedTotalSet":{"shopMoney":{"amount":"${cents(line.amount)}"}},"__parentId":"${gid("Order", orderId)}"}`;
      lineItemCount += 1;
      const draw = random();
      // Most right after their order; some a few orders later; a few far beyond any window.
      const later = draw < 0.001 ? 20_000 + Math.floor(random() * 20_000) : draw < 0.1 ? 1 + Math.floor(random() * 50) : 0;
      if (later === 0) await emit(text);
      else {
        const at = index + later;
        const held = deferred.get(at);
        if (held) held.push(text);
        else deferred.set(at, [text]);
      }
    }
    const due = deferred.get(index);
    if (due) {
      deferred.delete(index);
      for (const text of due) await emit(text);
    }
  }
  for (const at of [...deferred.keys()].sort((a, b) => a - b)) for (const text of deferred.get(at)!) await emit(text);
  if (buffer.length > 0) await options.write(buffer);
  return {
    orders: options.orders,
    lines,
    lineItems: lineItemCount,
    customers: customersSeen.size,
    customersWithCountedOrders: customersCounted.size,
    customersNetRevenueCents: customersNet.toString(),
    shopNetRevenueCents: shopNet.toString(),
    countedOrders: counted,
  };
}

/** Generates into a file; returns the expectation. */
export async function generateBulkFile(path: string, options: { orders: number; seed: number }): Promise<GeneratedExpectation> {
  const out = createWriteStream(path);
  const expectation = await generateBulkResult({
    ...options,
    write: async (chunk) => {
      if (!out.write(chunk)) await once(out, "drain");
    },
  });
  out.end();
  await once(out, "finish");
  return expectation;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { orders: { type: "string", default: "1000000" }, out: { type: "string" }, seed: { type: "string", default: "42" } } });
  if (!values.out) throw new Error("--out <file> is required");
  const expectation = await generateBulkFile(values.out, { orders: Number(values.orders), seed: Number(values.seed) });
  console.log(JSON.stringify(expectation));
}
