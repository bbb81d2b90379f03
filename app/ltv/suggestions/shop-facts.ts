// The input checked and arranged once for every playbook: each customer's orders in day order, each
// order's lines, and the purchase timeline (first, second and last purchase day). Linear in the
// orders and lines (counting sorts), apart from sorting a customer's own orders by day when they do
// not come that way.
//
// Purchases are counted by day, as the models count them (./customer-history.ts): two orders on one
// day are one purchase, so a customer who split a basket is not a repeat customer and a gap is
// always at least a day.
import { CHURN_RISKS } from "../churn-risk";
import { RFM_GROUPS } from "../rfm";
import { VALUE_TIERS } from "../value-tiers";
import { type Grouped, groupRows, share, toMinor } from "./stats";
import type { SuggestionCustomer, SuggestionInput, SuggestionOptions, ValueAtStake } from "./types";

/** No such purchase (no second purchase day, say). */
export const NO_DAY = -0x80000000;

export type ShopFacts = {
  asOfDay: number;
  customers: readonly SuggestionCustomer[];
  /** Orders on or before asOfDay by customer, in day order: customer c's are items[start[c] … start[c + 1]). */
  ordersByCustomer: Grouped;
  /** Lines by order. */
  linesByOrder: Grouped;
  orderDay: ArrayLike<number>;
  lineProduct: ArrayLike<number>;
  lineAmount: ArrayLike<number>;
  productCount: number;
  /** Per customer; NO_DAY without such a purchase. */
  firstDay: Int32Array;
  secondDay: Int32Array;
  lastDay: Int32Array;
  /** Distinct days with an order. */
  purchaseDays: Int32Array;
  customersWithOrders: number;
  /** Customers with purchases on two or more days. */
  repeatCustomers: number;
  /** Σ net amount ÷ orders, over the orders on or before asOfDay; 0 without orders. */
  averageOrderValueMinor: number;
};

const RFM_GROUP_SET = new Set<string>(RFM_GROUPS);
const VALUE_TIER_SET = new Set<string>(VALUE_TIERS);
const CHURN_RISK_SET = new Set<string>(CHURN_RISKS);

export function shopFacts(input: SuggestionInput): ShopFacts {
  const { asOfDay, customers, orders, lines, products } = input;
  if (!Number.isInteger(asOfDay)) throw new RangeError(`suggestions: asOfDay must be a whole day number, got ${asOfDay}`);
  validateCustomers(customers);
  validateProducts(products);
  const customerCount = customers.length;
  const orderCount = orders.customerIndex.length;
  const lineCount = lines.orderIndex.length;
  if (orders.day.length !== orderCount || orders.netAmountMinor.length !== orderCount) {
    throw new RangeError("suggestions: orders.customerIndex, day and netAmountMinor must have the same length");
  }
  if (lines.productIndex.length !== lineCount || lines.amountMinor.length !== lineCount) {
    throw new RangeError("suggestions: lines.orderIndex, productIndex and amountMinor must have the same length");
  }
  let totalOrders = 0;
  let totalAmount = 0;
  for (let o = 0; o < orderCount; o++) {
    const customer = orders.customerIndex[o] as number;
    const day = orders.day[o] as number;
    const amount = orders.netAmountMinor[o] as number;
    if (!Number.isInteger(customer) || customer < 0 || customer >= customerCount) throw new RangeError(`suggestions: order ${o} refers to customer ${customer}, not in customers`);
    if (!Number.isInteger(day)) throw new RangeError(`suggestions: order ${o}: day must be a whole day number, got ${day}`);
    if (!Number.isSafeInteger(amount)) throw new RangeError(`suggestions: order ${o}: netAmountMinor must be a whole number of minor units, got ${amount}`);
    if (day <= asOfDay) {
      totalOrders++;
      totalAmount += amount;
    }
  }
  for (let l = 0; l < lineCount; l++) {
    const order = lines.orderIndex[l] as number;
    const product = lines.productIndex[l] as number;
    const amount = lines.amountMinor[l] as number;
    if (!Number.isInteger(order) || order < 0 || order >= orderCount) throw new RangeError(`suggestions: line ${l} refers to order ${order}, not in orders`);
    if (!Number.isInteger(product) || product < -1 || product >= products.length) throw new RangeError(`suggestions: line ${l} refers to product ${product}, not in products`);
    if (!Number.isSafeInteger(amount)) throw new RangeError(`suggestions: line ${l}: amountMinor must be a whole number of minor units, got ${amount}`);
  }

  const ordersByCustomer = groupRows(orderCount, customerCount, (o) => ((orders.day[o] as number) <= asOfDay ? (orders.customerIndex[o] as number) : -1));
  const linesByOrder = groupRows(lineCount, orderCount, (l) => lines.orderIndex[l] as number);

  const firstDay = new Int32Array(customerCount).fill(NO_DAY);
  const secondDay = new Int32Array(customerCount).fill(NO_DAY);
  const lastDay = new Int32Array(customerCount).fill(NO_DAY);
  const purchaseDays = new Int32Array(customerCount);
  let customersWithOrders = 0;
  let repeatCustomers = 0;
  for (let c = 0; c < customerCount; c++) {
    const from = ordersByCustomer.start[c] as number;
    const to = ordersByCustomer.start[c + 1] as number;
    if (to === from) continue;
    sortByDay(ordersByCustomer.items, from, to, orders.day);
    let days = 0;
    let previous = NO_DAY;
    for (let k = from; k < to; k++) {
      const day = orders.day[ordersByCustomer.items[k] as number] as number;
      if (day === previous) continue;
      days++;
      if (days === 1) firstDay[c] = day;
      else if (days === 2) secondDay[c] = day;
      previous = day;
    }
    lastDay[c] = previous;
    purchaseDays[c] = days;
    customersWithOrders++;
    if (days >= 2) repeatCustomers++;
  }

  return {
    asOfDay,
    customers,
    ordersByCustomer,
    linesByOrder,
    orderDay: orders.day,
    lineProduct: lines.productIndex,
    lineAmount: lines.amountMinor,
    productCount: products.length,
    firstDay,
    secondDay,
    lastDay,
    purchaseDays,
    customersWithOrders,
    repeatCustomers,
    averageOrderValueMinor: toMinor(share(totalAmount, totalOrders)),
  };
}

/** Sorts one customer's orders by day (then position, so the result is deterministic). */
function sortByDay(items: Int32Array, from: number, to: number, day: ArrayLike<number>): void {
  let sorted = true;
  for (let k = from + 1; k < to && sorted; k++) sorted = (day[items[k - 1] as number] as number) <= (day[items[k] as number] as number);
  if (sorted) return;
  if (to - from > 32) {
    items.subarray(from, to).sort((a, b) => (day[a] as number) - (day[b] as number) || a - b);
    return;
  }
  // Most customers have a handful of orders: insertion sort beats a comparator sort there.
  for (let k = from + 1; k < to; k++) {
    const order = items[k] as number;
    const orderDay = day[order] as number;
    let at = k - 1;
    for (; at >= from; at--) {
      const other = items[at] as number;
      const otherDay = day[other] as number;
      if (otherDay < orderDay || (otherDay === orderDay && other < order)) break;
      items[at + 1] = other;
    }
    items[at + 1] = order;
  }
}

function validateCustomers(customers: readonly SuggestionCustomer[]): void {
  for (let c = 0; c < customers.length; c++) {
    const customer = customers[c] as SuggestionCustomer;
    const where = `suggestions: customer ${c}`;
    if (typeof customer.id !== "string" || customer.id === "") throw new RangeError(`${where}: id must be a non-empty string`);
    if (!Number.isSafeInteger(customer.netRevenueMinor)) throw new RangeError(`${where}: netRevenueMinor must be a whole number of minor units, got ${customer.netRevenueMinor}`);
    for (const name of ["probabilityAlive", "probabilityAlivePrevious"] as const) {
      const value = customer[name];
      if (value !== null && !(value >= 0 && value <= 1)) throw new RangeError(`${where}: ${name} must be within [0, 1] or null, got ${value}`);
    }
    if (customer.predictedClvMinor !== null && !Number.isFinite(customer.predictedClvMinor)) {
      throw new RangeError(`${where}: predictedClvMinor must be finite or null, got ${customer.predictedClvMinor}`);
    }
    if (customer.rfmGroup !== null && !RFM_GROUP_SET.has(customer.rfmGroup)) throw new RangeError(`${where}: unknown rfmGroup ${String(customer.rfmGroup)}`);
    if (customer.valueTier !== null && !VALUE_TIER_SET.has(customer.valueTier)) throw new RangeError(`${where}: unknown valueTier ${String(customer.valueTier)}`);
    if (customer.churnRisk !== null && !CHURN_RISK_SET.has(customer.churnRisk)) throw new RangeError(`${where}: unknown churnRisk ${String(customer.churnRisk)}`);
  }
}

function validateProducts(products: SuggestionInput["products"]): void {
  for (let p = 0; p < products.length; p++) {
    const product = products[p] as SuggestionInput["products"][number];
    if (typeof product.id !== "string" || product.id === "") throw new RangeError(`suggestions: product ${p}: id must be a non-empty string`);
    if (typeof product.title !== "string") throw new RangeError(`suggestions: product ${p}: title must be a string`);
    if (product.category !== null && typeof product.category !== "string") throw new RangeError(`suggestions: product ${p}: category must be a string or null`);
  }
}

/** The ids of customers 0 … n − 1 marked 1, in customer order. */
export function idsOfMarked(customers: readonly SuggestionCustomer[], marked: Uint8Array): string[] {
  const ids: string[] = [];
  for (let c = 0; c < marked.length; c++) if (marked[c] === 1) ids.push((customers[c] as SuggestionCustomer).id);
  return ids;
}

/** The audience fields every playbook shares. `export_csv` is the only action until tagging arrives. */
export function audienceOf(customerIds: string[]): { audienceCustomerIds: string[]; audienceCount: number; actions: ["export_csv"] } {
  return { audienceCustomerIds: customerIds, audienceCount: customerIds.length, actions: ["export_csv"] };
}

/**
 * Expected uplift: assumedConversionRate × Σ over the audience of the value of one conversion
 * (`conversionValueMinor`, already summed: audience × value, or Σ per group), whole minor units.
 */
export function expectedUplift(conversionValueMinor: number, options: SuggestionOptions): Extract<ValueAtStake, { basis: "expected_uplift" }> {
  return { basis: "expected_uplift", amountMinor: toMinor(conversionValueMinor * options.assumedConversionRate), assumedConversionRate: options.assumedConversionRate };
}
