// Lines of an orders bulk-operation result (ordersBulkQuery in app/shopify/admin-operations.ts) →
// the same OrderFacts the webhook path builds for the same order. Pure: no I/O.
//
// The result is JSONL: order objects (refunds inline as a list), and line items as their own lines
// with `__parentId` = the order's GID. Children follow their parent, but not necessarily right after
// it, so BulkOrderAssembler holds a bounded window of recent orders to attach them to.
//
// Ids are GID strings here, never JSON numbers, so JSON.parse is lossless (the one number is
// `quantity`); they become bigint exactly, through idFromGid's digits.
import { hash } from "node:crypto";
import { type Money, money, ZERO } from "~/ltv/money";
import type { CustomerProfile, LineItemFacts, OrderFacts, RefundFacts } from "~/ltv/order-facts";

export class BulkLineError extends Error {
  override name = "BulkLineError";
}

const MAX_ID = 2n ** 63n - 1n; // PostgreSQL BIGINT, which holds every Shopify id

// The shapes below are checked by hand, then values are converted by the mapping further down. The
// checks accept and refuse exactly what the zod schemas they replace did, with zod's messages
// (bulk-orders.test.ts compares the two on thousands of random lines): zod cost ~1.5 µs a line, and a
// result has millions of lines.
type Nullish<T> = T | null | undefined;
type ShopAmount = { shopMoney: { amount: string } };
type BulkMoney = { amount: string; currencyCode: string };

type BulkRefund = {
  id: string;
  createdAt?: Nullish<string>;
  totalRefundedSet: { shopMoney: { amount: string }; presentmentMoney: BulkMoney };
};

/** An order line, as checked by orderLineIssues. */
export type BulkOrderFields = {
  id: string;
  name?: Nullish<string>;
  createdAt: string;
  processedAt?: Nullish<string>;
  updatedAt: string;
  cancelledAt?: Nullish<string>;
  test?: Nullish<boolean>;
  currencyCode: string;
  presentmentCurrencyCode?: Nullish<string>;
  displayFinancialStatus?: Nullish<string>;
  sourceName?: Nullish<string>;
  discountCodes?: Nullish<string[]>;
  totalPriceSet: { shopMoney: BulkMoney; presentmentMoney?: Nullish<BulkMoney> };
  subtotalPriceSet?: Nullish<ShopAmount>;
  totalDiscountsSet?: Nullish<ShopAmount>;
  totalTaxSet?: Nullish<ShopAmount>;
  totalShippingPriceSet?: Nullish<ShopAmount>;
  customer?: Nullish<{
    id: string;
    email?: Nullish<string>;
    firstName?: Nullish<string>;
    lastName?: Nullish<string>;
    updatedAt?: Nullish<string>;
  }>;
  refunds?: Nullish<BulkRefund[]>;
};

/** A line-item line, as checked by lineItemLineIssues. */
export type BulkLineItemFields = {
  id: string;
  sku?: Nullish<string>;
  title?: Nullish<string>;
  name?: Nullish<string>;
  quantity: number;
  product?: Nullish<{ id: string }>;
  variant?: Nullish<{ id: string }>;
  discountedTotalSet: ShopAmount;
  __parentId: string;
};

// The schemas' patterns and their messages, built once (irregexp's code beats a scan by hand in JavaScript).
type Pattern = { readonly regex: RegExp; readonly message: string };
const gid = (type: string): Pattern => ({ regex: new RegExp(`^gid://shopify/${type}/\\d{1,19}(\\?.*)?$`), message: `must be a ${type} GID` });
const ORDER_GID = gid("Order");
const LINE_ITEM_GID = gid("LineItem");
const CUSTOMER_GID = gid("Customer");
const REFUND_GID = gid("Refund");
const PRODUCT_GID = gid("Product");
const VARIANT_GID = gid("ProductVariant");
const TIME: Pattern = { regex: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/, message: "must be an ISO-8601 time" };
const AMOUNT: Pattern = { regex: /^-?\d+(\.\d+)?$/, message: "must be a decimal amount" };

/** "path: message" of each problem found, in the order zod reported them (fields in schema order). */
type Issues = string[];
type Fields = { readonly [key: string]: unknown };

/** What zod says it received instead (JSON.parse gives no other kinds of values). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value); // NaN, ±Infinity (a JSON 1e999)
  return typeof value;
}
function wrongType(issues: Issues, path: string, expected: string, value: unknown): void {
  issues.push(`${path}: Invalid input: expected ${expected}, received ${kindOf(value)}`);
}
const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null && !Array.isArray(value);

/** The object at `path`, or null after recording that it is not one (callers skip null/undefined for nullish fields). */
function objectAt(value: unknown, path: string, issues: Issues): Fields | null {
  if (isFields(value)) return value;
  wrongType(issues, path, "object", value);
  return null;
}
function checkString(value: unknown, path: string, issues: Issues): void {
  if (typeof value !== "string") wrongType(issues, path, "string", value);
}
function checkNullishString(value: unknown, path: string, issues: Issues): void {
  if (value != null && typeof value !== "string") wrongType(issues, path, "string", value);
}
function checkMatch(value: unknown, pattern: Pattern, path: string, issues: Issues): void {
  if (typeof value !== "string") wrongType(issues, path, "string", value);
  else if (!pattern.regex.test(value)) issues.push(`${path}: ${pattern.message}`);
}
function checkNullishMatch(value: unknown, pattern: Pattern, path: string, issues: Issues): void {
  if (value != null) checkMatch(value, pattern, path, issues);
}
/**
 * zod's z.string().length(3): a string's length in code points (a surrogate pair is one character).
 * Like zod, a value of another type that has a `length` (an array, an object with that key) is
 * measured as well, after the type problem.
 */
function checkCurrency(value: unknown, path: string, issues: Issues): void {
  let length: unknown;
  let measured: string;
  if (typeof value === "string") {
    let units = value.length;
    if (units >= 3 && units <= 6) {
      for (let i = 0; i < value.length - 1; i++) {
        if ((value.charCodeAt(i) & 0xfc00) === 0xd800 && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
          units -= 1;
          i += 1;
        }
      }
    }
    length = units;
    measured = "string to have exactly 3 characters";
  } else {
    wrongType(issues, path, "string", value);
    if (value == null) return;
    length = (value as { length?: unknown }).length;
    if (length === undefined) return;
    measured = Array.isArray(value) ? "array to have exactly 3 items" : "unknown to be exactly 3";
  }
  if (length === 3) return;
  issues.push(`${path}: Too ${(length as number) > 3 ? "big" : "small"}: expected ${measured}`);
}
/** zod's z.number().int(): finite, whole and within ±(2^53 − 1). */
function checkInteger(value: unknown, path: string, issues: Issues): void {
  if (typeof value !== "number" || !Number.isFinite(value)) wrongType(issues, path, "number", value);
  else if (!Number.isInteger(value)) wrongType(issues, path, "int", value);
  else if (value > Number.MAX_SAFE_INTEGER) issues.push(`${path}: Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
  else if (value < Number.MIN_SAFE_INTEGER) issues.push(`${path}: Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
}
/** { shopMoney: { amount } } */
function checkShopAmount(value: unknown, path: string, issues: Issues): void {
  const set = objectAt(value, path, issues);
  if (!set) return;
  const shopMoney = set.shopMoney;
  if (isFields(shopMoney)) checkMatch(shopMoney.amount, AMOUNT, `${path}.shopMoney.amount`, issues);
  else wrongType(issues, `${path}.shopMoney`, "object", shopMoney);
}
function checkNullishShopAmount(value: unknown, path: string, issues: Issues): void {
  if (value != null) checkShopAmount(value, path, issues);
}
/** { amount, currencyCode } */
function checkMoney(value: unknown, path: string, issues: Issues): void {
  const set = objectAt(value, path, issues);
  if (!set) return;
  checkMatch(set.amount, AMOUNT, `${path}.amount`, issues);
  checkString(set.currencyCode, `${path}.currencyCode`, issues);
}
function checkNullishId(value: unknown, pattern: Pattern, path: string, issues: Issues): void {
  if (value == null) return;
  const fields = objectAt(value, path, issues);
  if (fields) checkMatch(fields.id, pattern, `${path}.id`, issues);
}

function refundIssues(value: unknown, path: string, issues: Issues): void {
  const refund = objectAt(value, path, issues);
  if (!refund) return;
  checkMatch(refund.id, REFUND_GID, `${path}.id`, issues);
  checkNullishMatch(refund.createdAt, TIME, `${path}.createdAt`, issues);
  const total = objectAt(refund.totalRefundedSet, `${path}.totalRefundedSet`, issues);
  if (!total) return;
  checkShopAmount(total, `${path}.totalRefundedSet`, issues);
  checkMoney(total.presentmentMoney, `${path}.totalRefundedSet.presentmentMoney`, issues);
}

/** The problems of an order line (ZBulkOrderLine as it was), none when it has the shape of BulkOrderFields. */
function orderLineIssues(line: Fields, issues: Issues): void {
  checkMatch(line.id, ORDER_GID, "id", issues);
  checkNullishString(line.name, "name", issues);
  checkMatch(line.createdAt, TIME, "createdAt", issues);
  checkNullishMatch(line.processedAt, TIME, "processedAt", issues);
  checkMatch(line.updatedAt, TIME, "updatedAt", issues);
  checkNullishMatch(line.cancelledAt, TIME, "cancelledAt", issues);
  if (line.test != null && typeof line.test !== "boolean") wrongType(issues, "test", "boolean", line.test);
  checkCurrency(line.currencyCode, "currencyCode", issues);
  if (line.presentmentCurrencyCode != null) checkCurrency(line.presentmentCurrencyCode, "presentmentCurrencyCode", issues);
  checkNullishString(line.displayFinancialStatus, "displayFinancialStatus", issues);
  checkNullishString(line.sourceName, "sourceName", issues);
  const codes = line.discountCodes;
  if (codes != null) {
    if (!Array.isArray(codes)) wrongType(issues, "discountCodes", "array", codes);
    else for (let i = 0; i < codes.length; i++) if (typeof codes[i] !== "string") wrongType(issues, `discountCodes.${i}`, "string", codes[i]);
  }
  const total = objectAt(line.totalPriceSet, "totalPriceSet", issues);
  if (total) {
    checkMoney(total.shopMoney, "totalPriceSet.shopMoney", issues);
    if (total.presentmentMoney != null) checkMoney(total.presentmentMoney, "totalPriceSet.presentmentMoney", issues);
  }
  checkNullishShopAmount(line.subtotalPriceSet, "subtotalPriceSet", issues);
  checkNullishShopAmount(line.totalDiscountsSet, "totalDiscountsSet", issues);
  checkNullishShopAmount(line.totalTaxSet, "totalTaxSet", issues);
  checkNullishShopAmount(line.totalShippingPriceSet, "totalShippingPriceSet", issues);
  if (line.customer != null) {
    const customer = objectAt(line.customer, "customer", issues);
    if (customer) {
      checkMatch(customer.id, CUSTOMER_GID, "customer.id", issues);
      checkNullishString(customer.email, "customer.email", issues);
      checkNullishString(customer.firstName, "customer.firstName", issues);
      checkNullishString(customer.lastName, "customer.lastName", issues);
      checkNullishMatch(customer.updatedAt, TIME, "customer.updatedAt", issues);
    }
  }
  const refunds = line.refunds;
  if (refunds != null) {
    if (!Array.isArray(refunds)) wrongType(issues, "refunds", "array", refunds);
    else for (let i = 0; i < refunds.length; i++) refundIssues(refunds[i], `refunds.${i}`, issues);
  }
}

/** The problems of a line-item line (ZBulkLineItemLine as it was), none when it has the shape of BulkLineItemFields. */
function lineItemLineIssues(line: Fields, issues: Issues): void {
  checkMatch(line.id, LINE_ITEM_GID, "id", issues);
  checkNullishString(line.sku, "sku", issues);
  checkNullishString(line.title, "title", issues);
  checkNullishString(line.name, "name", issues);
  checkInteger(line.quantity, "quantity", issues);
  checkNullishId(line.product, PRODUCT_GID, "product", issues);
  checkNullishId(line.variant, VARIANT_GID, "variant", issues);
  checkShopAmount(line.discountedTotalSet, "discountedTotalSet", issues);
  checkMatch(line.__parentId, ORDER_GID, "__parentId", issues);
}

/**
 * A checked GID's numeric id, exact; beyond PostgreSQL's bigint it can never be stored. The digits
 * follow the "/" after the type ("gid://shopify/" is 14 characters) up to the end or the "?".
 */
function idOf(value: string, path: string): bigint {
  const start = value.indexOf("/", 14) + 1;
  let end = start;
  let id = 0;
  for (let digit = value.charCodeAt(end) - 48; digit >= 0 && digit <= 9; digit = value.charCodeAt(++end) - 48) id = id * 10 + digit;
  // Below 10^15 a double holds the id exactly, and BigInt of a number is cheaper than of a string.
  if (end - start <= 15) return BigInt(id);
  const exact = BigInt(value.slice(start, end));
  if (exact > MAX_ID) throw new BulkLineError(`${path}: id beyond PostgreSQL's bigint`);
  return exact;
}
const optionalIdOf = (value: { id: string } | null | undefined, path: string) => (value ? idOf(value.id, path) : null);
function dateOf(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new BulkLineError(`${value} is not a time`);
  return date;
}
const nullable = <T>(value: T | null | undefined): T | null => value ?? null;
/**
 * Money of an amount's text. Money values are immutable, so one text may give one shared value: a
 * result repeats its amounts (prices, shipping, zero discounts and tax), and a Decimal costs ~0.4 µs
 * to parse and two objects (~240 bytes) to keep. A direct-mapped cache: a text takes the slot its hash
 * names, in place of what was there (≤ ~4 MB; ~84 % of the amounts of bench/generate-bulk-jsonl.ts's files).
 */
const AMOUNT_SLOTS = 16_384; // a power of two
const amountTexts: (string | undefined)[] = new Array<string | undefined>(AMOUNT_SLOTS).fill(undefined);
const amountValues: (Money | undefined)[] = new Array<Money | undefined>(AMOUNT_SLOTS).fill(undefined);
function amountOf(text: string): Money {
  let slot = text.length;
  for (let i = 0; i < text.length; i++) slot = Math.imul(slot, 31) + text.charCodeAt(i);
  slot = (slot ^ (slot >>> 13)) & (AMOUNT_SLOTS - 1);
  if (amountTexts[slot] === text) return amountValues[slot]!;
  const value = money(text);
  amountTexts[slot] = text;
  amountValues[slot] = value;
  return value;
}
/** The last order line's GID and id: its line items mostly follow it at once, naming it by the same text. */
const lastOrder = { gid: "", id: 0n };

/** Lower-cased status texts (an enum: a few values), shared. */
const lowerCased = new Map<string, string>();
function lowerCase(text: string): string {
  let lower = lowerCased.get(text);
  if (lower === undefined) {
    lower = text.toLowerCase();
    if (lowerCased.size < 64) lowerCased.set(text, lower);
  }
  return lower;
}

/** An absent amount is zero. */
const shopAmountOf = (set: ShopAmount | null | undefined): Money => (set ? amountOf(set.shopMoney.amount) : ZERO);

export type BulkLine =
  | { kind: "order"; order: OrderFacts }
  | { kind: "lineItem"; orderId: bigint; lineItem: LineItemFacts };

/** zod's summary: the first five problems. */
const problemsOf = (issues: Issues) => issues.slice(0, 5).join("; ");

/** Parses and validates one line of the result; a line that can never be imported throws BulkLineError. */
export function parseBulkLine(text: string): BulkLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BulkLineError(`line is not valid JSON: ${(error as Error).message}`);
  }
  if (!isFields(value)) throw new BulkLineError("line is not a JSON object");
  const issues: Issues = [];
  if ("__parentId" in value) {
    lineItemLineIssues(value, issues);
    if (issues.length > 0) throw new BulkLineError(`line item line is missing or has malformed fields — ${problemsOf(issues)}`);
    const line = value as BulkLineItemFields;
    return {
      kind: "lineItem",
      orderId: line.__parentId === lastOrder.gid ? lastOrder.id : idOf(line.__parentId, "__parentId"),
      lineItem: {
        id: idOf(line.id, "id"),
        productId: optionalIdOf(line.product, "product.id"),
        variantId: optionalIdOf(line.variant, "variant.id"),
        sku: nullable(line.sku),
        title: line.title ?? line.name ?? "",
        quantity: line.quantity,
        // discountedTotal = price × quantity − the discounts allocated to the line: the webhook's line amount.
        amount: amountOf(line.discountedTotalSet.shopMoney.amount),
      },
    };
  }
  orderLineIssues(value, issues);
  if (issues.length > 0) throw new BulkLineError(`order line is missing or has malformed fields — ${problemsOf(issues)}`);
  // Converted whole here, so a value that passes the checks but cannot be stored fails as this line.
  return { kind: "order", order: toOrderFacts(value as BulkOrderFields, []) };
}

function toRefundFacts(orderId: bigint, fallbackCreatedAt: Date, refund: BulkRefund): RefundFacts {
  // A bulk query cannot nest the transactions connection inside the refunds list, so the money
  // returned is totalRefundedSet in the buyer's currency — what the successful refund transactions
  // add up to, in the currency the webhook path records them in. Adjustments are inside it.
  const createdAt = refund.createdAt ? dateOf(refund.createdAt) : fallbackCreatedAt;
  return {
    id: idOf(refund.id, "refunds.id"),
    orderId,
    createdAt,
    processedAt: createdAt,
    transactionsAmount: amountOf(refund.totalRefundedSet.presentmentMoney.amount),
    adjustmentsAmount: ZERO,
  };
}

function refundFactsOf(orderId: bigint, fallbackCreatedAt: Date, refunds: Nullish<BulkRefund[]>): RefundFacts[] {
  const facts: RefundFacts[] = [];
  // A loop, not .map(callback): a closure per order costs more than the rest of this function.
  if (refunds) for (const refund of refunds) facts.push(toRefundFacts(orderId, fallbackCreatedAt, refund));
  return facts;
}

function toCustomerProfile(customer: NonNullable<BulkOrderFields["customer"]>): CustomerProfile {
  return {
    id: idOf(customer.id, "customer.id"),
    email: nullable(customer.email),
    firstName: nullable(customer.firstName),
    lastName: nullable(customer.lastName),
    updatedAt: customer.updatedAt ? dateOf(customer.updatedAt) : null,
  };
}

/** An order line and its line items → OrderFacts, field for field as toOrderFacts does for a webhook. */
export function toOrderFacts(order: BulkOrderFields, lineItems: readonly LineItemFacts[]): OrderFacts {
  const id = idOf(order.id, "id");
  lastOrder.gid = order.id;
  lastOrder.id = id;
  const updatedAt = dateOf(order.updatedAt);
  const customer = order.customer ? toCustomerProfile(order.customer) : null;
  const shopTotal = order.totalPriceSet.shopMoney.amount;
  const totalPrice = amountOf(shopTotal);
  const presentmentTotal = order.totalPriceSet.presentmentMoney?.amount;
  const createdAt = dateOf(order.createdAt);
  return {
    id,
    customerId: customer?.id ?? null,
    name: nullable(order.name),
    currency: order.currencyCode,
    presentmentCurrency: order.presentmentCurrencyCode ?? order.currencyCode,
    totalPrice,
    presentmentTotalPrice: presentmentTotal === undefined ? totalPrice : amountOf(presentmentTotal),
    subtotalPrice: shopAmountOf(order.subtotalPriceSet),
    totalDiscounts: shopAmountOf(order.totalDiscountsSet),
    totalTax: shopAmountOf(order.totalTaxSet),
    totalShipping: shopAmountOf(order.totalShippingPriceSet),
    // GraphQL's enum (PAID, PARTIALLY_REFUNDED, …) is the webhook's financial_status upper-cased.
    financialStatus: order.displayFinancialStatus == null ? null : lowerCase(order.displayFinancialStatus),
    cancelledAt: order.cancelledAt ? dateOf(order.cancelledAt) : null,
    test: order.test ?? false,
    createdAt,
    processedAt: order.processedAt ? dateOf(order.processedAt) : createdAt,
    updatedAt,
    sourceName: nullable(order.sourceName),
    discountCodes: order.discountCodes ?? [],
    lineItems: [...lineItems],
    // A refund without createdAt (nullable in the schema) existed by the order's last update.
    refunds: refundFactsOf(id, updatedAt, order.refunds),
    customer,
  };
}

/** Marks an imported version, so a late line item can tell an import's version from a webhook's. */
export const BULK_VERSION_PREFIX = "bulk:";

/** The lines as the default sort orders them (UTF-16 code units); mostly they already are, and are not copied. */
function inSortOrder(lines: readonly string[]): readonly string[] {
  for (let i = 1; i < lines.length; i++) if (lines[i - 1]! > lines[i]!) return [...lines].sort();
  return lines;
}

/**
 * The version hash of an imported order: sha256 over the text of its order line and its line-item
 * lines (sorted, so the order children arrive in does not matter). Same file, same hash: a second
 * import of it is "stale" everywhere. Webhook versions hash the raw body (versionHashOf); the two are
 * only compared when updated_at ties, where either is the same state of the order.
 */
export function bulkVersionHash(orderLine: string, childLines: readonly string[]): string {
  // One string hashed in one call: the same UTF-8 bytes as hashing the pieces in turn ("\n" cannot
  // complete a surrogate pair), at a fraction of the calls.
  let text = orderLine;
  for (const child of inSortOrder(childLines)) text += "\n" + child;
  return BULK_VERSION_PREFIX + hash("sha256", text, "hex");
}

/** An order ready to be written: its facts and its version hash. */
export type ImportedOrder = { order: OrderFacts; versionHash: string };

/**
 * A line item that arrived after its order had left the window (already handed on to be written).
 * `orderUpdatedAt` is the version this import wrote, when the assembler still remembers it.
 */
export type LateLineItem = { orderId: bigint; lineItem: LineItemFacts; orderUpdatedAt: Date | null; line: number; text: string };

export type MalformedLine = { line: number; text: string; reason: string };

/** `replaced` once a later line of the same order has taken its place in the window. */
type PendingOrder = { line: number; text: string; order: OrderFacts; childTexts: string[]; replaced: boolean };

export type AssemblerOptions = {
  /** Orders held while waiting for children; the oldest is handed on when the window is full. */
  windowOrders: number;
  /** Ids and updated_at of orders already handed on, remembered to check late children exactly. */
  rememberedOrders: number;
};

/**
 * The updated_at of the last `capacity` orders handed on, by id, in typed arrays: a fixed ~28 bytes per
 * entry and no garbage (a Map of bigint → Date held ~130 MB of heap at 100,000 entries, measured).
 * A ring of (id, time) in emission order and an open-addressing index into it (linear probing,
 * backward-shift deletion when the oldest entry leaves the ring). Each id is kept as a double too
 * (exact below 2^53, rounded above): probes hash and compare doubles, and read the exact id (reading a
 * BigInt64Array allocates a bigint) only where the doubles are equal.
 */
export class RecentVersions {
  private readonly ids: BigInt64Array;
  private readonly roundedIds: Float64Array;
  private readonly times: Float64Array;
  private readonly slots: Int32Array; // ring position + 1; 0 = empty
  private readonly mask: number;
  private next = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.ids = new BigInt64Array(Math.max(1, capacity));
    this.roundedIds = new Float64Array(Math.max(1, capacity));
    this.times = new Float64Array(Math.max(1, capacity));
    let size = 2;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  private home(rounded: number): number {
    // Mixes the two 32-bit halves of the id as a double (an integer: ToUint32 takes it modulo 2^32).
    const low = rounded >>> 0;
    const high = (rounded / 4_294_967_296) >>> 0;
    return (Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b) >>> 0) & this.mask;
  }

  /** The slot of `id`, or the empty slot that ends its probe run. */
  private find(id: bigint, rounded: number): number {
    for (let slot = this.home(rounded); ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      if (entry === 0 || (this.roundedIds[entry - 1] === rounded && this.ids[entry - 1] === id)) return slot;
    }
  }

  get(id: bigint): Date | null {
    if (this.capacity === 0) return null;
    const entry = this.slots[this.find(id, Number(id))]!;
    return entry === 0 ? null : new Date(this.times[entry - 1]!);
  }

  get size(): number {
    return this.count;
  }

  set(id: bigint, time: Date): void {
    if (this.capacity === 0) return;
    const rounded = Number(id);
    const existing = this.slots[this.find(id, rounded)]!;
    if (existing !== 0) {
      this.times[existing - 1] = time.getTime();
      return;
    }
    if (this.count === this.capacity) this.removeOldest();
    this.ids[this.next] = id;
    this.roundedIds[this.next] = rounded;
    this.times[this.next] = time.getTime();
    this.slots[this.find(id, rounded)] = this.next + 1;
    this.next = (this.next + 1) % this.capacity;
    this.count += 1;
  }

  /** Removes the entry at ring position `next` (the oldest when the ring is full). */
  private removeOldest(): void {
    let hole = this.home(this.roundedIds[this.next]!);
    while (this.slots[hole] !== this.next + 1) hole = (hole + 1) & this.mask;
    this.slots[hole] = 0;
    this.count -= 1;
    // Backward-shift: move later entries of the probe run into the hole when their home allows it.
    for (let slot = (hole + 1) & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      const home = this.home(this.roundedIds[entry - 1]!);
      const distanceToHole = (hole - home) & this.mask;
      const distanceToSlot = (slot - home) & this.mask;
      if (distanceToHole < distanceToSlot) {
        this.slots[hole] = entry;
        this.slots[slot] = 0;
        hole = slot;
      }
    }
  }
}

/**
 * Attaches line items to their orders with bounded memory. Orders wait in a window (insertion order
 * = file order); when it is full the oldest is emitted. A line item whose order is in the window is
 * attached; one whose order has already been emitted comes out as a LateLineItem, to be written only
 * if the stored order still holds this import's version (import-orders.server.ts).
 *
 * Resume safety: orders are emitted oldest first, so every emitted order precedes every pending one
 * in the file. `safeLines` (the line of the oldest pending order, or every line seen) is therefore a
 * point where everything before it has been emitted: orders, their attached children, late children
 * and malformed lines.
 */
export class BulkOrderAssembler {
  // The window: a Map to find an order by id, and a FIFO of the same entries in file order (a Map
  // drained from its front rescans its deleted slots on every read of its first entry).
  private readonly window = new Map<bigint, PendingOrder>();
  // Entries before queueHead are cleared: the queue does not keep orders handed on (up to 4,096 of them
  // until it is compacted), which made every young-generation GC copy them again.
  private queue: (PendingOrder | undefined)[] = [];
  private queueHead = 0;
  private readonly remembered: RecentVersions;
  private linesSeen = 0;
  private emittedOrders = 0;

  constructor(
    private readonly options: AssemblerOptions,
    private readonly emit: {
      order: (order: ImportedOrder) => void;
      late: (item: LateLineItem) => void;
      malformed: (line: MalformedLine) => void;
    },
  ) {
    this.remembered = new RecentVersions(options.rememberedOrders);
  }

  /** Lines before this one are all emitted; an import may resume here. */
  get safeLines(): number {
    return this.oldestPending()?.line ?? this.linesSeen;
  }

  private oldestPending(): PendingOrder | undefined {
    while (this.queueHead < this.queue.length) {
      const pending = this.queue[this.queueHead]!;
      if (!pending.replaced) return pending;
      this.dropHead();
    }
    return undefined;
  }

  private dropHead(): void {
    this.queue[this.queueHead] = undefined;
    this.queueHead += 1;
    if (this.queueHead > 4_096 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  /** Orders emitted so far (all of them before safeLines). */
  get ordersEmitted(): number {
    return this.emittedOrders;
  }

  /** Offers line number `line` (0-based, in file order). Lines before it that were skipped count as seen. */
  push(line: number, text: string): void {
    this.linesSeen = line + 1;
    if (text.charCodeAt(0) !== 123 /* { */ && text.trim() === "") return;
    let parsed: BulkLine;
    try {
      parsed = parseBulkLine(text);
    } catch (error) {
      if (!(error instanceof BulkLineError)) throw error;
      this.emit.malformed({ line, text, reason: error.message });
      return;
    }
    if (parsed.kind === "order") {
      const earlier = this.window.get(parsed.order.id);
      // The same order twice in one result: the later line replaces it in the window (Shopify does
      // not do this; if it did, the later one is the one to keep — and isNewerVersion decides anyway).
      if (earlier) {
        this.window.delete(parsed.order.id);
        earlier.replaced = true;
        parsed.order.lineItems.push(...earlier.order.lineItems);
      }
      const pending: PendingOrder = { line, text, order: parsed.order, childTexts: earlier?.childTexts ?? [], replaced: false };
      this.window.set(parsed.order.id, pending);
      this.queue.push(pending);
      while (this.window.size > this.options.windowOrders) this.emitOldest();
      return;
    }
    const pending = this.window.get(parsed.orderId);
    if (pending) {
      pending.order.lineItems.push(parsed.lineItem);
      pending.childTexts.push(text);
      return;
    }
    this.emit.late({ orderId: parsed.orderId, lineItem: parsed.lineItem, orderUpdatedAt: this.remembered.get(parsed.orderId), line, text });
  }

  /** Emits every order still waiting: the end of the file. */
  finish(): void {
    while (this.window.size > 0) this.emitOldest();
  }

  /** Lines skipped on resume are seen but not parsed. */
  skipTo(lines: number): void {
    this.linesSeen = Math.max(this.linesSeen, lines);
  }

  private emitOldest(): void {
    const pending = this.oldestPending();
    if (!pending) return;
    this.window.delete(pending.order.id);
    this.dropHead();
    this.remembered.set(pending.order.id, pending.order.updatedAt);
    this.emittedOrders += 1;
    this.emit.order({ order: pending.order, versionHash: bulkVersionHash(pending.text, pending.childTexts) });
  }
}
