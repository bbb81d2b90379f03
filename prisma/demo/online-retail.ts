// UCI "Online Retail" rows → Shopify order and refund webhook payloads for the demo store. Pure: no
// I/O, no clock (the caller passes `now`), so it is unit-tested alone (tests/demo-data.test.ts).
//
// One order per invoice; a cancellation invoice ("C…", negative quantities) becomes refunds on the
// same customer's earlier orders. Money is exact: amounts are bigint ten-thousandths of a pound (the
// precision of the NUMERIC(20,4) columns) and are written as decimal strings. Ids are bigints below
// 2^63, 18 digits like Shopify's, derived deterministically from the invoice and stock codes.
import { createHash } from "node:crypto";
import { stringify } from "lossless-json";

/** One line of the CSV, as read (every field a string). */
export type RetailRow = {
  InvoiceNo: string;
  StockCode: string;
  Description: string;
  Quantity: string;
  InvoiceDate: string;
  UnitPrice: string;
  CustomerID: string;
  Country: string;
};

export const RETAIL_COLUMNS = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"] as const;

export const SHOP_CURRENCY = "GBP";

/** Why a CSV row did not become (part of) a webhook. */
export const SKIP_REASONS = {
  stock_adjustment: "quantity ≤ 0 on an invoice that is not a cancellation (stock adjustments)",
  price_not_positive: "unit price ≤ 0 (free items and samples)",
  accounting_entry: "not a sale: bad-debt adjustment invoices (A…) and Amazon fees (AMAZONFEE)",
  return_without_customer: "return with no CustomerID (nothing to match it to)",
  return_without_earlier_order: "return by a customer with no earlier order",
  return_nothing_left: "return whose customer's earlier orders are already fully refunded",
  return_not_negative: "cancellation line whose quantity is not negative",
  late_row: "row of an invoice already sent (its rows were not together in the file)",
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

export type OrderWebhook = {
  topic: "orders/create";
  invoiceNo: string;
  id: bigint;
  customerId: bigint | null;
  /** Exact total, e.g. "139.12". */
  total: string;
  createdAt: string;
  payload: Record<string, unknown>;
};

export type RefundWebhook = {
  topic: "refunds/create";
  invoiceNo: string;
  id: bigint;
  orderId: bigint;
  /** Exact money returned, e.g. "12.50". */
  amount: string;
  createdAt: string;
  payload: Record<string, unknown>;
};

export type DemoWebhook = OrderWebhook | RefundWebhook;

export type ConversionCounts = {
  rows: number;
  orders: number;
  guestOrders: number;
  /** Order lines sent. */
  lineItems: number;
  refunds: number;
  /** Return rows that became (part of) a refund. */
  returnRows: number;
  /** Return rows refunded less than their value because the order had less left to refund. */
  cappedReturnRows: number;
  /** Σ order totals and Σ refunds, exact decimal strings. */
  grossSales: string;
  refunded: string;
  /** Value of returns that could not be refunded (caps), exact decimal string. */
  unrefundedReturns: string;
  skippedRows: Record<SkipReason, number>;
};

export type ConverterOptions = {
  /** Milliseconds added to every InvoiceDate (see dateShiftMs). */
  shiftMs: number;
  /** Times after `now` are set to `now`: no order is placed in the future. */
  now: Date;
  /** Stop at the first order beyond this many (the returns before it are included). */
  maxOrders?: number;
};

// --- ids: 18 digits, < 2^63, one range per kind so no two kinds can collide ----------------------
const ORDER_ID_BASE = 500_000_000_000_000_000n;
const LINE_ITEM_ID_BASE = 510_000_000_000_000_000n;
const PRODUCT_ID_BASE = 520_000_000_000_000_000n;
const VARIANT_ID_BASE = 530_000_000_000_000_000n;
const REFUND_ID_BASE = 540_000_000_000_000_000n;
const TRANSACTION_ID_BASE = 550_000_000_000_000_000n;
const REFUND_LINE_ID_BASE = 560_000_000_000_000_000n;
/** Lines (or refund targets) per invoice; the largest invoice in the file has 1,114 lines. */
const PER_INVOICE = 100_000n;

/** The number in an invoice number: "536365" → 536365n, "C536379" → 536379n. */
export function invoiceNumber(invoiceNo: string): bigint {
  const match = /^[A-Z]?(\d{1,9})$/.exec(invoiceNo);
  if (!match) throw new Error(`unexpected InvoiceNo ${JSON.stringify(invoiceNo)}`);
  return BigInt(match[1]!);
}

export const orderIdOf = (invoiceNo: string): bigint => ORDER_ID_BASE + invoiceNumber(invoiceNo);

const stockCodeHashes = new Map<string, bigint>();

/** 52 bits of SHA-256 of the stock code: stable across runs and machines (memoised: 4,070 codes). */
function stockCodeHash(stockCode: string): bigint {
  let hash = stockCodeHashes.get(stockCode);
  if (hash === undefined) {
    hash = BigInt(`0x${createHash("sha256").update(stockCode, "utf8").digest("hex").slice(0, 13)}`);
    stockCodeHashes.set(stockCode, hash);
  }
  return hash;
}
export const productIdOf = (stockCode: string): bigint => PRODUCT_ID_BASE + stockCodeHash(stockCode);
export const variantIdOf = (stockCode: string): bigint => VARIANT_ID_BASE + stockCodeHash(stockCode);

// --- money: bigint ten-thousandths ---------------------------------------------------------------
const SCALE = 10_000n;

/** "2.55" → 25500n. Exact; more than 4 decimals is refused rather than rounded. */
export function parseAmount(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!match) throw new Error(`unexpected amount ${JSON.stringify(text)}`);
  const units = BigInt(match[2]!) * SCALE + BigInt((match[3] ?? "").padEnd(4, "0"));
  return match[1] === "-" ? -units : units;
}

/** 153000n → "15.30", 41650n → "4.165": at least two decimals, more only when needed. */
export function formatAmount(units: bigint): string {
  const sign = units < 0n ? "-" : "";
  const abs = units < 0n ? -units : units;
  const fraction = (abs % SCALE).toString().padStart(4, "0").replace(/0{1,2}$/, "");
  return `${sign}${abs / SCALE}.${fraction.length >= 2 ? fraction : fraction.padEnd(2, "0")}`;
}

function parseQuantity(text: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new Error(`unexpected Quantity ${JSON.stringify(text)}`);
  return Number(text);
}

// --- dates ---------------------------------------------------------------------------------------
const DAY_MS = 86_400_000;

let lastDateText = "";
let lastDateMs = 0;

/** "2011-12-09 12:50:00" (the file's times, read as UTC) → epoch ms. */
export function parseInvoiceDate(text: string): number {
  // An invoice's rows share one time: remember the last one parsed.
  if (text === lastDateText) return lastDateMs;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) throw new Error(`unexpected InvoiceDate ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s] = match;
  lastDateMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  lastDateText = text;
  return lastDateMs;
}

/** Whole days that move the file's last invoice onto today's date (UTC), keeping every time of day. */
export function dateShiftMs(lastInvoiceAt: number, now: Date): number {
  const today = Math.floor(now.getTime() / DAY_MS);
  const lastDay = Math.floor(lastInvoiceAt / DAY_MS);
  return (today - lastDay) * DAY_MS;
}

/** Shopify's timestamp form, in UTC: "2026-11-25T12:50:00+00:00". */
const shopifyTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");

const moneySet = (amount: string) => ({
  shop_money: { amount, currency_code: SHOP_CURRENCY },
  presentment_money: { amount, currency_code: SHOP_CURRENCY },
});

// --- the converter -------------------------------------------------------------------------------
type Line = { stockCode: string; title: string; quantity: number; price: bigint };
type ReturnLine = Line;

type OpenInvoice = {
  invoiceNo: string;
  isReturn: boolean;
  customerId: bigint | null;
  country: string;
  firstAt: number;
  lastAt: number;
  lines: Line[];
  /** Rows read for this invoice, and those skipped: counted once the invoice is sent. */
  rows: number;
  skipped: Partial<Record<SkipReason, number>>;
};

/** Why a row is not sent, or null when it becomes an order line or a returned line. */
function skipReason(invoice: OpenInvoice, row: RetailRow): SkipReason | null {
  if (invoice.invoiceNo.startsWith("A") || row.StockCode.trim() === "AMAZONFEE") return "accounting_entry";
  const quantity = parseQuantity(row.Quantity);
  if (invoice.isReturn && quantity >= 0) return "return_not_negative";
  if (!invoice.isReturn && quantity <= 0) return "stock_adjustment";
  if (parseAmount(row.UnitPrice) <= 0n) return "price_not_positive";
  return null;
}

/** What the refund matcher remembers of an order sent for a customer. */
type SentOrder = { id: bigint; remaining: bigint; lineIdByStockCode: Map<string, bigint> };

/** A row more than this after an invoice's last row closes it: rows of one invoice are together in
 * the file but for one invoice interleaved with others within a minute. */
const INVOICE_WINDOW_MS = 60 * 60 * 1000;

const emptySkips = (): Record<SkipReason, number> =>
  Object.fromEntries(Object.keys(SKIP_REASONS).map((reason) => [reason, 0])) as Record<SkipReason, number>;

/**
 * Feed rows in file order with push(); each call returns the webhooks that are complete, in date
 * order (an invoice is complete once the file has moved an hour past it). finish() returns the rest.
 */
export class OnlineRetailConverter {
  private readonly open = new Map<string, OpenInvoice>();
  private readonly sent = new Set<string>();
  private readonly ordersByCustomer = new Map<bigint, SentOrder[]>();
  private readonly productCodes = new Map<bigint, string>();
  private readonly skipped = emptySkips();
  private readonly nowMs: number;
  private rows = 0;
  private orders = 0;
  private guestOrders = 0;
  private lineItems = 0;
  private refunds = 0;
  private returnRows = 0;
  private cappedReturnRows = 0;
  private grossSales = 0n;
  private refunded = 0n;
  private unrefunded = 0n;
  private stopped = false;

  constructor(private readonly options: ConverterOptions) {
    this.nowMs = Math.floor(options.now.getTime() / 1000) * 1000;
  }

  /** True once maxOrders orders are out and the next one was reached: read no further. */
  get done(): boolean {
    return this.stopped;
  }

  push(row: RetailRow): DemoWebhook[] {
    if (this.stopped) return [];
    const at = parseInvoiceDate(row.InvoiceDate);
    const out = this.flush(at - INVOICE_WINDOW_MS);
    if (!this.stopped) this.add(row, at);
    return out;
  }

  finish(): DemoWebhook[] {
    return this.flush(Number.POSITIVE_INFINITY);
  }

  counts(): ConversionCounts {
    return {
      rows: this.rows,
      orders: this.orders,
      guestOrders: this.guestOrders,
      lineItems: this.lineItems,
      refunds: this.refunds,
      returnRows: this.returnRows,
      cappedReturnRows: this.cappedReturnRows,
      grossSales: formatAmount(this.grossSales),
      refunded: formatAmount(this.refunded),
      unrefundedReturns: formatAmount(this.unrefunded),
      skippedRows: { ...this.skipped },
    };
  }

  private add(row: RetailRow, at: number): void {
    const invoiceNo = row.InvoiceNo.trim();
    if (this.sent.has(invoiceNo)) {
      this.rows += 1;
      this.skipped.late_row += 1;
      return;
    }
    let invoice = this.open.get(invoiceNo);
    if (!invoice) {
      const customer = row.CustomerID.trim();
      invoice = {
        invoiceNo,
        isReturn: invoiceNo.startsWith("C"),
        // The file writes CustomerID as an integer or nothing (other copies: "17850.0").
        customerId: customer === "" ? null : BigInt(customer.replace(/\.0+$/, "")),
        country: row.Country.trim(),
        firstAt: at,
        lastAt: at,
        lines: [],
        rows: 0,
        skipped: {},
      };
      this.open.set(invoiceNo, invoice);
    }
    invoice.rows += 1;
    invoice.lastAt = Math.max(invoice.lastAt, at);
    const reason = skipReason(invoice, row);
    if (reason) {
      invoice.skipped[reason] = (invoice.skipped[reason] ?? 0) + 1;
      return;
    }
    const stockCode = row.StockCode.trim();
    invoice.lines.push({
      stockCode,
      title: row.Description.trim() || stockCode,
      quantity: Math.abs(parseQuantity(row.Quantity)),
      price: parseAmount(row.UnitPrice),
    });
  }

  /** Emits, oldest first, every open invoice whose last row is before `before`. */
  private flush(before: number): DemoWebhook[] {
    const out: DemoWebhook[] = [];
    for (const invoice of this.open.values()) {
      if (invoice.lastAt >= before) break;
      if (!invoice.isReturn && invoice.lines.length > 0 && this.options.maxOrders !== undefined && this.orders >= this.options.maxOrders) {
        this.stopped = true;
        this.open.clear();
        break;
      }
      this.open.delete(invoice.invoiceNo);
      this.sent.add(invoice.invoiceNo);
      this.rows += invoice.rows;
      for (const [reason, count] of Object.entries(invoice.skipped)) this.skipped[reason as SkipReason] += count;
      if (invoice.lines.length === 0) continue;
      if (invoice.isReturn) out.push(...this.refundsFor(invoice));
      else out.push(this.orderFor(invoice));
    }
    return out;
  }

  private timeOf(invoice: OpenInvoice): string {
    return shopifyTime(Math.min(invoice.firstAt + this.options.shiftMs, this.nowMs));
  }

  private productId(stockCode: string): bigint {
    const id = productIdOf(stockCode);
    const known = this.productCodes.get(id);
    if (known === undefined) this.productCodes.set(id, stockCode);
    else if (known !== stockCode) throw new Error(`stock codes ${known} and ${stockCode} hash to the same product id`);
    return id;
  }

  private orderFor(invoice: OpenInvoice): OrderWebhook {
    const id = orderIdOf(invoice.invoiceNo);
    const number = invoiceNumber(invoice.invoiceNo);
    const at = this.timeOf(invoice);
    const lineIdByStockCode = new Map<string, bigint>();
    let total = 0n;
    const lineItems = invoice.lines.map((line, index) => {
      const lineId = LINE_ITEM_ID_BASE + number * PER_INVOICE + BigInt(index);
      if (!lineIdByStockCode.has(line.stockCode)) lineIdByStockCode.set(line.stockCode, lineId);
      total += line.price * BigInt(line.quantity);
      const price = formatAmount(line.price);
      // The fields the worker reads (and Shopify sends): a lean line keeps 530,000 of them light.
      return {
        id: lineId,
        product_id: this.productId(line.stockCode),
        variant_id: variantIdOf(line.stockCode),
        sku: line.stockCode,
        title: line.title,
        quantity: line.quantity,
        price,
        price_set: moneySet(price),
        total_discount: "0.00",
        discount_allocations: [],
      };
    });
    const amount = formatAmount(total);
    const zero = "0.00";
    const payload = {
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${invoice.invoiceNo}`,
      order_number: Number(number),
      email: null,
      contact_email: null,
      currency: SHOP_CURRENCY,
      presentment_currency: SHOP_CURRENCY,
      total_price: amount,
      total_price_set: moneySet(amount),
      current_total_price: amount,
      current_total_price_set: moneySet(amount),
      subtotal_price: amount,
      subtotal_price_set: moneySet(amount),
      current_subtotal_price: amount,
      current_subtotal_price_set: moneySet(amount),
      total_line_items_price: amount,
      total_line_items_price_set: moneySet(amount),
      total_discounts: zero,
      total_discounts_set: moneySet(zero),
      total_tax: zero,
      total_tax_set: moneySet(zero),
      current_total_tax: zero,
      current_total_tax_set: moneySet(zero),
      total_shipping_price_set: moneySet(zero),
      taxes_included: false,
      financial_status: "paid",
      fulfillment_status: null,
      confirmed: true,
      cancelled_at: null,
      cancel_reason: null,
      test: false,
      created_at: at,
      processed_at: at,
      updated_at: at,
      source_name: "web",
      discount_codes: [],
      tags: "",
      line_items: lineItems,
      shipping_lines: [],
      refunds: [],
      billing_address: invoice.country ? { country: invoice.country } : null,
      customer:
        invoice.customerId === null
          ? null
          : {
              id: invoice.customerId,
              admin_graphql_api_id: `gid://shopify/Customer/${invoice.customerId}`,
              // Protected customer data level 1: Shopify sends no name or email, the data has none.
              email: null,
              first_name: null,
              last_name: null,
              state: "enabled",
              currency: SHOP_CURRENCY,
              updated_at: at,
            },
    };
    this.orders += 1;
    this.lineItems += lineItems.length;
    this.grossSales += total;
    if (invoice.customerId === null) this.guestOrders += 1;
    else {
      const history = this.ordersByCustomer.get(invoice.customerId) ?? [];
      history.push({ id, remaining: total, lineIdByStockCode });
      this.ordersByCustomer.set(invoice.customerId, history);
    }
    return { topic: "orders/create", invoiceNo: invoice.invoiceNo, id, customerId: invoice.customerId, total: amount, createdAt: at, payload };
  }

  /**
   * Each returned line goes to the customer's most recent earlier order that contains its stock code
   * and still has money left to refund, else to their most recent earlier order with money left; it
   * is capped at what that order has left. One refund per (cancellation invoice, order).
   */
  private refundsFor(invoice: OpenInvoice): RefundWebhook[] {
    const rows = invoice.lines.length;
    if (invoice.customerId === null) {
      this.skipped.return_without_customer += rows;
      return [];
    }
    const history = this.ordersByCustomer.get(invoice.customerId);
    if (!history || history.length === 0) {
      this.skipped.return_without_earlier_order += rows;
      return [];
    }
    type Target = { order: SentOrder; amount: bigint; lines: Array<{ line: ReturnLine; lineItemId: bigint; amount: bigint; index: number }> };
    const targets = new Map<bigint, Target>();
    invoice.lines.forEach((line, index) => {
      let order: SentOrder | undefined;
      for (let i = history.length - 1; i >= 0 && !order; i--) {
        const candidate = history[i]!;
        if (candidate.remaining > 0n && candidate.lineIdByStockCode.has(line.stockCode)) order = candidate;
      }
      for (let i = history.length - 1; i >= 0 && !order; i--) {
        if (history[i]!.remaining > 0n) order = history[i];
      }
      if (!order) {
        this.skipped.return_nothing_left += 1;
        return;
      }
      const value = line.price * BigInt(line.quantity);
      const amount = value < order.remaining ? value : order.remaining;
      order.remaining -= amount;
      this.returnRows += 1;
      if (amount < value) {
        this.cappedReturnRows += 1;
        this.unrefunded += value - amount;
      }
      const target = targets.get(order.id) ?? { order, amount: 0n, lines: [] };
      target.amount += amount;
      const lineItemId = order.lineIdByStockCode.get(line.stockCode);
      if (lineItemId !== undefined) target.lines.push({ line, lineItemId, amount, index });
      targets.set(order.id, target);
    });

    const number = invoiceNumber(invoice.invoiceNo);
    const at = this.timeOf(invoice);
    return [...targets.values()].map((target, k) => {
      const id = REFUND_ID_BASE + number * PER_INVOICE + BigInt(k);
      const transactionId = TRANSACTION_ID_BASE + number * PER_INVOICE + BigInt(k);
      const amount = formatAmount(target.amount);
      this.refunds += 1;
      this.refunded += target.amount;
      const payload = {
        id,
        admin_graphql_api_id: `gid://shopify/Refund/${id}`,
        order_id: target.order.id,
        created_at: at,
        processed_at: at,
        note: `Return ${invoice.invoiceNo}`,
        restock: true,
        refund_line_items: target.lines.map(({ line, lineItemId, amount: lineAmount, index }) => {
          const subtotal = formatAmount(lineAmount);
          return {
            id: REFUND_LINE_ID_BASE + number * PER_INVOICE + BigInt(index),
            line_item_id: lineItemId,
            quantity: line.quantity,
            restock_type: "return",
            subtotal,
            subtotal_set: moneySet(subtotal),
            total_tax: "0.00",
            total_tax_set: moneySet("0.00"),
          };
        }),
        order_adjustments: [],
        transactions: [
          {
            id: transactionId,
            admin_graphql_api_id: `gid://shopify/OrderTransaction/${transactionId}`,
            order_id: target.order.id,
            kind: "refund",
            status: "success",
            gateway: "manual",
            amount,
            currency: SHOP_CURRENCY,
            created_at: at,
            processed_at: at,
          },
        ],
      };
      return { topic: "refunds/create" as const, invoiceNo: invoice.invoiceNo, id, orderId: target.order.id, amount, createdAt: at, payload };
    });
  }
}

/** The latest InvoiceDate among the rows (epoch ms). */
export function lastInvoiceAt(rows: Iterable<RetailRow>): number {
  let last = Number.NEGATIVE_INFINITY;
  for (const row of rows) last = Math.max(last, parseInvoiceDate(row.InvoiceDate));
  if (!Number.isFinite(last)) throw new Error("no rows");
  return last;
}

/** Converts rows held in memory (small inputs and tests); the import streams with the class instead. */
export function convertOnlineRetail(
  rows: readonly RetailRow[],
  options: { now: Date; maxOrders?: number },
): { webhooks: DemoWebhook[]; counts: ConversionCounts; shiftMs: number } {
  const shiftMs = dateShiftMs(lastInvoiceAt(rows), options.now);
  const converter = new OnlineRetailConverter({ shiftMs, now: options.now, maxOrders: options.maxOrders });
  const webhooks: DemoWebhook[] = [];
  for (const row of rows) {
    webhooks.push(...converter.push(row));
    if (converter.done) break;
  }
  webhooks.push(...converter.finish());
  return { webhooks, counts: converter.counts(), shiftMs };
}

/** The webhook body: JSON with bigint ids written as exact integers, as Shopify writes them. */
export function webhookBody(webhook: DemoWebhook): string {
  return stringify(webhook.payload) ?? "null";
}
