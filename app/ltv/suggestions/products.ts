// Playbooks from what customers buy: replenishment (products bought again at a regular interval)
// and cross_sell (products bought together). One walk over every customer's orders in day order
// collects what both need, in arrays indexed by product; nothing pairs customers with customers.
import { type ShopFacts, audienceOf, expectedUplift, idsOfMarked } from "./shop-facts";
import { compareStrings, groupRows, quantileOfSorted, share, toMinor } from "./stats";
import type { CrossSellPair, CrossSellPlaybook, ReplenishmentPlaybook, ReplenishmentProduct, SuggestionOptions, SuggestionProduct } from "./types";

export type ProductPurchases = {
  /** Per product: orders containing it, and Σ its line amounts in them. */
  orders: Int32Array;
  amountMinor: Float64Array;
  /** Orders with at least one product line: the base of lift. */
  ordersWithProducts: number;
  /**
   * Repeat intervals by product, each product's sorted ascending: the days between consecutive
   * purchase days of the product by one customer. Product p's are days[start[p] … start[p + 1]).
   */
  intervals: { start: Int32Array; days: Int32Array };
  /** Per product: customers with at least one repeat interval. */
  repeatCustomers: Int32Array;
  /** Buyers by product, in customer order, with the day of their latest purchase of it. */
  buyers: { start: Int32Array; customer: Int32Array; lastDay: Int32Array };
};

export function productPurchases(facts: ShopFacts): ProductPurchases {
  const productCount = facts.productCount;
  const { ordersByCustomer, linesByOrder, orderDay, lineProduct, lineAmount } = facts;
  const orders = new Int32Array(productCount);
  const amountMinor = new Float64Array(productCount);
  const repeatCustomers = new Int32Array(productCount);
  // Per product, the last order / customer seen: resets without clearing anything.
  const orderSeen = new Int32Array(productCount).fill(-1);
  const buyerSeen = new Int32Array(productCount).fill(-1);
  const repeatSeen = new Int32Array(productCount).fill(-1);
  const lastDay = new Int32Array(productCount);
  // A customer buys at most one distinct product per line, and has at most one interval per line.
  const lineCount = lineProduct.length;
  const intervalProduct = new Int32Array(lineCount);
  const intervalDays = new Int32Array(lineCount);
  const buyerProduct = new Int32Array(lineCount);
  const buyerCustomer = new Int32Array(lineCount);
  const buyerLastDay = new Int32Array(lineCount);
  const bought = new Int32Array(productCount);
  let intervalCount = 0;
  let buyerCount = 0;
  let ordersWithProducts = 0;

  for (let c = 0; c < facts.customers.length; c++) {
    let boughtCount = 0;
    for (let k = ordersByCustomer.start[c] as number; k < (ordersByCustomer.start[c + 1] as number); k++) {
      const order = ordersByCustomer.items[k] as number;
      const day = orderDay[order] as number;
      let hasProduct = false;
      for (let j = linesByOrder.start[order] as number; j < (linesByOrder.start[order + 1] as number); j++) {
        const line = linesByOrder.items[j] as number;
        const product = lineProduct[line] as number;
        if (product < 0) continue;
        hasProduct = true;
        amountMinor[product] = (amountMinor[product] as number) + (lineAmount[line] as number);
        if (orderSeen[product] !== order) {
          orderSeen[product] = order;
          orders[product] = (orders[product] as number) + 1;
        }
        if (buyerSeen[product] !== c) {
          buyerSeen[product] = c;
          lastDay[product] = day;
          bought[boughtCount++] = product;
        } else if (day > (lastDay[product] as number)) {
          // Orders come in day order, so this is the next purchase day of the product.
          intervalProduct[intervalCount] = product;
          intervalDays[intervalCount++] = day - (lastDay[product] as number);
          lastDay[product] = day;
          if (repeatSeen[product] !== c) {
            repeatSeen[product] = c;
            repeatCustomers[product] = (repeatCustomers[product] as number) + 1;
          }
        }
      }
      if (hasProduct) ordersWithProducts++;
    }
    for (let b = 0; b < boughtCount; b++) {
      const product = bought[b] as number;
      buyerProduct[buyerCount] = product;
      buyerCustomer[buyerCount] = c;
      buyerLastDay[buyerCount++] = lastDay[product] as number;
    }
  }

  const intervalGroups = groupRows(intervalCount, productCount, (row) => intervalProduct[row] as number);
  const days = new Int32Array(intervalCount);
  for (let k = 0; k < intervalCount; k++) days[k] = intervalDays[intervalGroups.items[k] as number] as number;
  for (let p = 0; p < productCount; p++) {
    const from = intervalGroups.start[p] as number;
    const to = intervalGroups.start[p + 1] as number;
    if (to - from > 1) days.subarray(from, to).sort();
  }
  const buyerGroups = groupRows(buyerCount, productCount, (row) => buyerProduct[row] as number);
  const customer = new Int32Array(buyerCount);
  const latest = new Int32Array(buyerCount);
  for (let k = 0; k < buyerCount; k++) {
    const row = buyerGroups.items[k] as number;
    customer[k] = buyerCustomer[row] as number;
    latest[k] = buyerLastDay[row] as number;
  }
  return {
    orders,
    amountMinor,
    ordersWithProducts,
    intervals: { start: intervalGroups.start, days },
    repeatCustomers,
    buyers: { start: buyerGroups.start, customer, lastDay: latest },
  };
}

function averageOrderAmountMinor(purchases: ProductPurchases, product: number): number {
  return toMinor(share(purchases.amountMinor[product] as number, purchases.orders[product] as number));
}

/**
 * Products with a regular repurchase interval, and the customers due for them. A product qualifies
 * with ≥ replenishmentMinPairs repeat intervals from ≥ replenishmentMinCustomers customers and
 * interquartile range ÷ median ≤ replenishmentMaxRelativeIqr. A buyer (any buyer of the product, a
 * first-time one too) is due when their latest purchase of it + the median interval (whole days)
 * falls within asOfDay − replenishmentDaysOverdue … asOfDay + replenishmentDaysAhead. Products are
 * listed by due customers (then repeat pairs), at most maxGroups.
 */
export function replenishmentPlaybook(
  facts: ShopFacts,
  purchases: ProductPurchases,
  products: readonly SuggestionProduct[],
  options: SuggestionOptions,
): ReplenishmentPlaybook | null {
  const { intervals, buyers } = purchases;
  const dueFrom = facts.asOfDay - options.replenishmentDaysOverdue;
  const dueTo = facts.asOfDay + options.replenishmentDaysAhead;
  const candidates: Array<{ product: number; entry: ReplenishmentProduct; due: number[] }> = [];
  for (let p = 0; p < facts.productCount; p++) {
    const from = intervals.start[p] as number;
    const to = intervals.start[p + 1] as number;
    if (to - from < options.replenishmentMinPairs || (purchases.repeatCustomers[p] as number) < options.replenishmentMinCustomers) continue;
    const median = quantileOfSorted(intervals.days, from, to, 0.5);
    const lowerQuartile = quantileOfSorted(intervals.days, from, to, 0.25);
    const upperQuartile = quantileOfSorted(intervals.days, from, to, 0.75);
    // Intervals are ≥ 1 day, so the median is too.
    if ((upperQuartile - lowerQuartile) / median > options.replenishmentMaxRelativeIqr) continue;
    const medianIntervalDays = Math.round(median);
    const due: number[] = [];
    for (let k = buyers.start[p] as number; k < (buyers.start[p + 1] as number); k++) {
      const dueDay = (buyers.lastDay[k] as number) + medianIntervalDays;
      if (dueDay >= dueFrom && dueDay <= dueTo) due.push(buyers.customer[k] as number);
    }
    if (due.length === 0) continue;
    const product = products[p] as SuggestionProduct;
    candidates.push({
      product: p,
      due,
      entry: {
        productId: product.id,
        title: product.title,
        medianIntervalDays,
        lowerQuartileIntervalDays: lowerQuartile,
        upperQuartileIntervalDays: upperQuartile,
        repeatPairs: to - from,
        repeatCustomers: purchases.repeatCustomers[p] as number,
        averageOrderAmountMinor: averageOrderAmountMinor(purchases, p),
        customerIds: due.map((c) => facts.customers[c]?.id as string),
        customerCount: due.length,
      },
    });
  }
  if (candidates.length === 0) return null;
  candidates.sort((a, b) => b.due.length - a.due.length || b.entry.repeatPairs - a.entry.repeatPairs || compareStrings(a.entry.productId, b.entry.productId));
  const listed = candidates.slice(0, options.maxGroups);
  const marked = new Uint8Array(facts.customers.length);
  let conversionValue = 0;
  for (const { due, entry } of listed) {
    for (const c of due) marked[c] = 1;
    conversionValue += due.length * Math.max(0, entry.averageOrderAmountMinor);
  }
  return {
    kind: "replenishment",
    ...audienceOf(idsOfMarked(facts.customers, marked)),
    timing: { kind: "product_due", daysAhead: options.replenishmentDaysAhead, daysOverdue: options.replenishmentDaysOverdue },
    valueAtStake: expectedUplift(conversionValue, options),
    evidence: { products: listed.length, daysAhead: options.replenishmentDaysAhead, daysOverdue: options.replenishmentDaysOverdue },
    products: listed.map(({ entry }) => entry),
  };
}

/** Rules whose audience is computed, per listed pair: bounds the work when top rules have no audience. */
const CROSS_SELL_RULES_EXAMINED_PER_GROUP = 5;
/** Rules listed per bought product, so one popular product does not fill the whole list. */
export const CROSS_SELL_RULES_PER_BOUGHT_PRODUCT = 3;

/**
 * Products bought together, as rules "bought A → suggest B". Among the crossSellMaxProducts products
 * in most orders (those in at least crossSellMinSupport orders), count the orders containing each
 * pair (orders with more than crossSellMaxBasketProducts of these products are not counted); a pair
 * with support ≥ crossSellMinSupport and lift ≥ crossSellMinLift gives a rule in each direction.
 * Rules are ranked by confidence, then lift, then support; the audience of a rule are the customers
 * who bought A and never B, and rules without one are dropped. At most maxGroups rules, and at most
 * CROSS_SELL_RULES_PER_BOUGHT_PRODUCT for one bought product.
 */
export function crossSellPlaybook(
  facts: ShopFacts,
  purchases: ProductPurchases,
  products: readonly SuggestionProduct[],
  options: SuggestionOptions,
): CrossSellPlaybook | null {
  const productCount = facts.productCount;
  const universe: number[] = [];
  for (let p = 0; p < productCount; p++) if ((purchases.orders[p] as number) >= options.crossSellMinSupport) universe.push(p);
  const idOf = (p: number) => (products[p] as SuggestionProduct).id;
  universe.sort((a, b) => (purchases.orders[b] as number) - (purchases.orders[a] as number) || compareStrings(idOf(a), idOf(b)));
  universe.length = Math.min(universe.length, options.crossSellMaxProducts);
  const size = universe.length;
  if (size < 2) return null;
  const rank = new Int32Array(productCount).fill(-1);
  universe.forEach((p, r) => (rank[p] = r));

  // support[a · size + b], a < b: orders containing both.
  const support = new Int32Array(size * size);
  const seenInOrder = new Int32Array(size).fill(-1);
  const basket = new Int32Array(options.crossSellMaxBasketProducts);
  const { ordersByCustomer, linesByOrder, lineProduct } = facts;
  for (let k = 0; k < ordersByCustomer.items.length; k++) {
    const order = ordersByCustomer.items[k] as number;
    let basketSize = 0;
    let tooLarge = false;
    for (let j = linesByOrder.start[order] as number; j < (linesByOrder.start[order + 1] as number) && !tooLarge; j++) {
      const product = lineProduct[linesByOrder.items[j] as number] as number;
      const r = product < 0 ? -1 : (rank[product] as number);
      if (r < 0 || seenInOrder[r] === order) continue;
      seenInOrder[r] = order;
      if (basketSize === basket.length) tooLarge = true;
      else basket[basketSize++] = r;
    }
    if (tooLarge) continue;
    for (let i = 0; i < basketSize; i++) {
      for (let j = i + 1; j < basketSize; j++) {
        const a = Math.min(basket[i] as number, basket[j] as number);
        const b = Math.max(basket[i] as number, basket[j] as number);
        support[a * size + b] = (support[a * size + b] as number) + 1;
      }
    }
  }

  type Rule = { bought: number; suggested: number; support: number; confidence: number; lift: number };
  const rules: Rule[] = [];
  const base = purchases.ordersWithProducts;
  for (let a = 0; a < size; a++) {
    for (let b = a + 1; b < size; b++) {
      const both = support[a * size + b] as number;
      if (both < options.crossSellMinSupport) continue;
      const productA = universe[a] as number;
      const productB = universe[b] as number;
      const ordersA = purchases.orders[productA] as number;
      const ordersB = purchases.orders[productB] as number;
      const lift = (both * base) / (ordersA * ordersB);
      if (lift < options.crossSellMinLift) continue;
      rules.push({ bought: productA, suggested: productB, support: both, confidence: both / ordersA, lift });
      rules.push({ bought: productB, suggested: productA, support: both, confidence: both / ordersB, lift });
    }
  }
  rules.sort(
    (x, y) =>
      y.confidence - x.confidence ||
      y.lift - x.lift ||
      y.support - x.support ||
      compareStrings(idOf(x.bought), idOf(y.bought)) ||
      compareStrings(idOf(x.suggested), idOf(y.suggested)),
  );

  const { buyers } = purchases;
  const boughtSuggested = new Int32Array(facts.customers.length).fill(-1);
  const marked = new Uint8Array(facts.customers.length);
  const pairs: CrossSellPair[] = [];
  let conversionValue = 0;
  const examinable = options.maxGroups * CROSS_SELL_RULES_EXAMINED_PER_GROUP;
  const listedPerBought = new Map<number, number>();
  let examined = 0;
  for (let r = 0; r < rules.length && examined < examinable && pairs.length < options.maxGroups; r++) {
    const rule = rules[r] as Rule;
    if ((listedPerBought.get(rule.bought) ?? 0) >= CROSS_SELL_RULES_PER_BOUGHT_PRODUCT) continue;
    examined++;
    for (let k = buyers.start[rule.suggested] as number; k < (buyers.start[rule.suggested + 1] as number); k++) boughtSuggested[buyers.customer[k] as number] = r;
    const audience: number[] = [];
    for (let k = buyers.start[rule.bought] as number; k < (buyers.start[rule.bought + 1] as number); k++) {
      const c = buyers.customer[k] as number;
      if (boughtSuggested[c] !== r) audience.push(c);
    }
    if (audience.length === 0) continue;
    for (const c of audience) marked[c] = 1;
    listedPerBought.set(rule.bought, (listedPerBought.get(rule.bought) ?? 0) + 1);
    const bought = products[rule.bought] as SuggestionProduct;
    const suggested = products[rule.suggested] as SuggestionProduct;
    const averageAmount = averageOrderAmountMinor(purchases, rule.suggested);
    conversionValue += audience.length * Math.max(0, averageAmount);
    pairs.push({
      boughtProductId: bought.id,
      boughtTitle: bought.title,
      suggestedProductId: suggested.id,
      suggestedTitle: suggested.title,
      support: rule.support,
      boughtOrders: purchases.orders[rule.bought] as number,
      suggestedOrders: purchases.orders[rule.suggested] as number,
      confidence: rule.confidence,
      lift: rule.lift,
      averageOrderAmountMinor: averageAmount,
      customerIds: audience.map((c) => facts.customers[c]?.id as string),
      customerCount: audience.length,
    });
  }
  if (pairs.length === 0) return null;
  return {
    kind: "cross_sell",
    ...audienceOf(idsOfMarked(facts.customers, marked)),
    timing: { kind: "now" },
    valueAtStake: expectedUplift(conversionValue, options),
    evidence: { pairs: pairs.length, ordersAnalysed: base, productsAnalysed: size },
    pairs,
  };
}
