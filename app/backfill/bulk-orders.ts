// Lines of an orders bulk-operation result (ordersBulkQuery in app/shopify/admin-operations.ts) →
// the same OrderFacts the webhook path builds for the same order. Pure: no I/O.
//
// The result is JSONL: order objects (refunds inline as a list), and line items as their own lines
// with `__parentId` = the order's GID. Children follow their parent, but not necessarily right after
// it, so BulkOrderAssembler holds a bounded window of recent orders to attach them to.
//
// Ids are GID strings here, never JSON numbers, so JSON.parse is lossless (the one number is
// `quantity`); they become bigint exactly, through idFromGid's digits.
import { createHash } from "node:crypto";
import { z } from "zod";
import { money } from "~/ltv/money";
import type { CustomerProfile, LineItemFacts, OrderFacts, RefundFacts } from "~/ltv/order-facts";

export class BulkLineError extends Error {
  override name = "BulkLineError";
}

const MAX_ID = 2n ** 63n - 1n; // PostgreSQL BIGINT, which holds every Shopify id

// The schemas only check shapes (regular expressions, no transforms): zod's transforms and refinements
// cost ~5× more per line, and a result has millions of lines. Values are converted by the mapping below.
const ZGid = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d{1,19}(\\?.*)?$`), `must be a ${type} GID`);
const ZDate = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/, "must be an ISO-8601 time");
const ZAmount = z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount");
const ZShopAmount = z.object({ shopMoney: z.object({ amount: ZAmount }) });

/** A GID's numeric id, exact; beyond PostgreSQL's bigint it can never be stored. */
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

export const ZBulkOrderLine = z.object({
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

export const ZBulkLineItemLine = z.object({
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

export type BulkLine =
  | { kind: "order"; order: OrderFacts }
  | { kind: "lineItem"; orderId: bigint; lineItem: LineItemFacts };

function problemsOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(line)"}: ${issue.message}`)
    .join("; ");
}

/** Parses and validates one line of the result; a line that can never be imported throws BulkLineError. */
export function parseBulkLine(text: string): BulkLine {
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
        // discountedTotal = price × quantity − the discounts allocated to the line: the webhook's line amount.
        amount: money(line.discountedTotalSet.shopMoney.amount),
      },
    };
  }
  const parsed = ZBulkOrderLine.safeParse(value);
  if (!parsed.success) throw new BulkLineError(`order line is missing or has malformed fields — ${problemsOf(parsed.error)}`);
  // Converted whole here, so a value that passes the schema but cannot be stored fails as this line.
  return { kind: "order", order: toOrderFacts(parsed.data, []) };
}

function toRefundFacts(orderId: bigint, fallbackCreatedAt: Date, refund: z.output<typeof ZBulkRefund>): RefundFacts {
  // A bulk query cannot nest the transactions connection inside the refunds list, so the money
  // returned is totalRefundedSet in the buyer's currency — what the successful refund transactions
  // add up to, in the currency the webhook path records them in. Adjustments are inside it.
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

/** An order line and its line items → OrderFacts, field for field as toOrderFacts does for a webhook. */
export function toOrderFacts(order: ZBulkOrder, lineItems: readonly LineItemFacts[]): OrderFacts {
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
    // GraphQL's enum (PAID, PARTIALLY_REFUNDED, …) is the webhook's financial_status upper-cased.
    financialStatus: order.displayFinancialStatus?.toLowerCase() ?? null,
    cancelledAt: order.cancelledAt ? dateOf(order.cancelledAt) : null,
    test: order.test ?? false,
    createdAt,
    processedAt: order.processedAt ? dateOf(order.processedAt) : createdAt,
    updatedAt,
    sourceName: nullable(order.sourceName),
    discountCodes: order.discountCodes ?? [],
    lineItems: [...lineItems],
    // A refund without createdAt (nullable in the schema) existed by the order's last update.
    refunds: (order.refunds ?? []).map((refund) => toRefundFacts(id, updatedAt, refund)),
    customer,
  };
}

/** Marks an imported version, so a late line item can tell an import's version from a webhook's. */
export const BULK_VERSION_PREFIX = "bulk:";

/**
 * The version hash of an imported order: sha256 over the text of its order line and its line-item
 * lines (sorted, so the order children arrive in does not matter). Same file, same hash: a second
 * import of it is "stale" everywhere. Webhook versions hash the raw body (versionHashOf); the two are
 * only compared when updated_at ties, where either is the same state of the order.
 */
export function bulkVersionHash(orderLine: string, childLines: readonly string[]): string {
  const hash = createHash("sha256").update(orderLine);
  for (const child of [...childLines].sort()) hash.update("\n").update(child);
  return BULK_VERSION_PREFIX + hash.digest("hex");
}

/** An order ready to be written: its facts and its version hash. */
export type ImportedOrder = { order: OrderFacts; versionHash: string };

/**
 * A line item that arrived after its order had left the window (already handed on to be written).
 * `orderUpdatedAt` is the version this import wrote, when the assembler still remembers it.
 */
export type LateLineItem = { orderId: bigint; lineItem: LineItemFacts; orderUpdatedAt: Date | null; line: number; text: string };

export type MalformedLine = { line: number; text: string; reason: string };

type PendingOrder = { line: number; text: string; order: OrderFacts; childTexts: string[] };

export type AssemblerOptions = {
  /** Orders held while waiting for children; the oldest is handed on when the window is full. */
  windowOrders: number;
  /** Ids and updated_at of orders already handed on, remembered to check late children exactly. */
  rememberedOrders: number;
};

/**
 * The updated_at of the last `capacity` orders handed on, by id, in typed arrays: a fixed ~20 bytes per
 * entry and no garbage (a Map of bigint → Date held ~130 MB of heap at 100,000 entries, measured).
 * A ring of (id, time) in emission order and an open-addressing index into it (linear probing,
 * backward-shift deletion when the oldest entry leaves the ring).
 */
export class RecentVersions {
  private readonly ids: BigInt64Array;
  private readonly times: Float64Array;
  private readonly slots: Int32Array; // ring position + 1; 0 = empty
  private readonly mask: number;
  private next = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.ids = new BigInt64Array(Math.max(1, capacity));
    this.times = new Float64Array(Math.max(1, capacity));
    let size = 2;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  private home(id: bigint): number {
    // Mixes the id's two 32-bit halves (ids are < 2^63, so asIntN keeps them exactly).
    const low = Number(BigInt.asUintN(32, id));
    const high = Number(BigInt.asUintN(32, id >> 32n));
    return (Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b) >>> 0) & this.mask;
  }

  private find(id: bigint): number {
    for (let slot = this.home(id); ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      if (entry === 0 || this.ids[entry - 1] === id) return slot;
    }
  }

  get(id: bigint): Date | null {
    if (this.capacity === 0) return null;
    const entry = this.slots[this.find(id)]!;
    return entry === 0 ? null : new Date(this.times[entry - 1]!);
  }

  get size(): number {
    return this.count;
  }

  set(id: bigint, time: Date): void {
    if (this.capacity === 0) return;
    const found = this.find(id);
    const existing = this.slots[found]!;
    if (existing !== 0) {
      this.times[existing - 1] = time.getTime();
      return;
    }
    if (this.count === this.capacity) this.remove(this.ids[this.next]!);
    this.ids[this.next] = id;
    this.times[this.next] = time.getTime();
    this.slots[this.find(id)] = this.next + 1;
    this.next = (this.next + 1) % this.capacity;
    this.count += 1;
  }

  private remove(id: bigint): void {
    let hole = this.find(id);
    if (this.slots[hole] === 0) return;
    this.slots[hole] = 0;
    this.count -= 1;
    // Backward-shift: move later entries of the probe run into the hole when their home allows it.
    for (let slot = (hole + 1) & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      const home = this.home(this.ids[entry - 1]!);
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
  private queue: PendingOrder[] = [];
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
      if (this.window.get(pending.order.id) === pending) return pending;
      this.queueHead += 1; // replaced by a later line of the same order
    }
    return undefined;
  }

  /** Orders emitted so far (all of them before safeLines). */
  get ordersEmitted(): number {
    return this.emittedOrders;
  }

  /** Offers line number `line` (0-based, in file order). Lines before it that were skipped count as seen. */
  push(line: number, text: string): void {
    this.linesSeen = line + 1;
    if (text.trim() === "") return;
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
      if (earlier) this.window.delete(parsed.order.id);
      if (earlier) parsed.order.lineItems.push(...earlier.order.lineItems);
      const pending = { line, text, order: parsed.order, childTexts: earlier?.childTexts ?? [] };
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
    this.queueHead += 1;
    if (this.queueHead > 4_096 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    this.remembered.set(pending.order.id, pending.order.updatedAt);
    this.emittedOrders += 1;
    this.emit.order({ order: pending.order, versionHash: bulkVersionHash(pending.text, pending.childTexts) });
  }
}
